package dev.eventrelay.ingest.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.ingest.RunBookkeeping;
import dev.eventrelay.ingest.RunRefusedException;
import dev.eventrelay.settings.JdbcUrls;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.state.WarehouseCursors;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs warehouse syncs: starts a run (see {@link RunBookkeeping}), checks the source's columns, has the
 * {@link SyncPageImporter} read and publish the rows changed after the sync's cursor page by page, and
 * ends the run. A run that fails keeps the pages it committed, so the next run resumes after the last
 * one. Each sync reads through its own small connection pool, set up by the sync's {@link SqlDialect} (read-only
 * connections, the session in UTC).
 */
public final class WarehouseSyncRunner extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSyncRunner.class);

    private final Map<String, WarehouseSyncConfig> syncs;
    private final Map<String, String> notStarted;
    private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    private final StateStore store;
    private final WarehouseCursors cursors;
    private final SyncPageImporter pageImporter;
    private final RunBookkeeping bookkeeping;
    private final RunStore runs;
    private final Clock clock;
    private final RelayMetrics metrics;

    /**
     * @param syncs      the syncs that run
     * @param notStarted the syncs left out because of their configuration, with the reason
     */
    public WarehouseSyncRunner(Map<String, WarehouseSyncConfig> syncs, Map<String, String> notStarted,
                               StateStore store, SegmentWriter events, WarehouseCursors cursors,
                               RunBookkeeping bookkeeping, RelayMetrics metrics) {
        this.syncs = Collections.synchronizedMap(new LinkedHashMap<>(syncs));
        this.notStarted = Collections.synchronizedMap(new LinkedHashMap<>(notStarted));
        this.store = store;
        this.cursors = cursors;
        this.bookkeeping = bookkeeping;
        this.runs = bookkeeping.runs();
        this.clock = bookkeeping.clock();
        this.metrics = metrics;
        this.pageImporter = new SyncPageImporter(store, runs, events, cursors, clock);
        for (WarehouseSyncConfig config : this.syncs.values()) {
            pools.put(config.name(), pool(config));
        }
    }

    /** The syncs that run, by name. */
    public Map<String, WarehouseSyncConfig> syncs() {
        return Collections.unmodifiableMap(syncs);
    }

    /** The syncs left out because of their configuration, with the reason. */
    public Map<String, String> notStarted() {
        return Collections.unmodifiableMap(notStarted);
    }

    /** Leaves a sync out (its configuration is wrong): it is listed with the reason and never runs. */
    public synchronized void exclude(String name, String reason) {
        syncs.remove(name);
        notStarted.put(name, reason);
        HikariDataSource pool = pools.remove(name);
        if (pool != null) {
            pool.close();
        }
    }

    public WarehouseCursors cursors() {
        return cursors;
    }

    /** The mapped columns the sync's source lacks (empty when all exist); throws when the warehouse cannot be read. */
    public List<String> checkColumns(String name) throws SQLException {
        WarehouseSyncConfig config = syncs.get(name);
        try (Connection c = pools.get(name).getConnection()) {
            return MappingCheck.columns(config, SourceColumns.read(c, config));
        }
    }

    /** Records a new run of the sync, to be executed by {@link #execute(String)}; refuses when disabled, paused or one is under way. */
    public synchronized String start(String name, String trigger) {
        if (!syncs.containsKey(name)) {
            throw new RunRefusedException("sync '" + name + "' is not started: " + notStarted.getOrDefault(name,
                    "no sync has that name"));
        }
        bookkeeping.recordPendingFailures();
        if (!syncs.get(name).enabled()) {
            throw new RunRefusedException("sync '" + name + "' is disabled (relay.sync." + name + ".enabled=false)");
        }
        return bookkeeping.create("sync", "warehouse", name, trigger, active -> "under way", false);
    }

    /** Starts a scheduled run; null (and a log line) when the sync is paused or its previous run is under way. */
    public String startScheduled(String name) {
        return bookkeeping.startScheduled("sync", name, sync -> start(sync, "schedule"));
    }

    /** Executes a run recorded by {@link #start}: reads and publishes page after page until none is left. */
    public void execute(String runId) {
        Run run = bookkeeping.find(runId);
        WarehouseSyncConfig config = syncs.get(run.importName());
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long runFileId = store.inTransaction(c -> runs.addFile(c, runId, config.source(), null, null, clock.instant()));
        SyncPageImporter.Counts counts = new SyncPageImporter.Counts();
        LOG.info("Run {} of sync '{}' started", runId, config.name());
        try (Connection warehouse = pools.get(config.name()).getConnection()) {
            SourceColumns columns = SourceColumns.read(warehouse, config);
            List<String> missing = MappingCheck.columns(config, columns);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(String.join("; ", missing));
            }
            runs.processing(runId, clock.instant());
            pageImporter.importPages(warehouse, config, columns, runId, runFileId, receivedAt, counts);
            store.inTransaction(c -> {
                runs.endFile(c, runFileId, Status.IMPORTED, counts.toRowCounts(), null, clock.instant());
                return null;
            });
            LOG.info("Run {} of sync '{}': {} rows, {} accepted, {} rejected", runId, config.name(),
                    counts.toRowCounts().total(), counts.toRowCounts().processed(), counts.toRowCounts().errored());
            metrics.rows(config.name(), counts.toRowCounts());
            bookkeeping.processed(config.name(), "warehouse", runId, receivedAt);
        } catch (SQLException | RuntimeException e) {
            // the counts of the pages published so far are recorded with each page
            metrics.rows(config.name(), counts.toRowCounts());
            bookkeeping.failed("sync", "warehouse", config.name(), runId,
                    "run " + runId + " of sync '" + config.name() + "' failed", reason(e), receivedAt);
        }
    }

    /** The messages of the failure and its causes (the pool's timeout says little; the driver's cause says why). */
    private static String reason(Throwable e) {
        StringBuilder reason = new StringBuilder();
        for (Throwable t = e; t != null && reason.length() < 2000; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.toString() : t.getMessage();
            if (reason.indexOf(message) < 0) {
                reason.append(reason.length() == 0 ? "" : ": ").append(message);
            }
        }
        return reason.length() > 3900 ? reason.substring(0, 3900) + "…" : reason.toString();
    }

    private static HikariDataSource pool(WarehouseSyncConfig config) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("warehouse-" + config.name());
        String url = JdbcUrls.forDriver(config.jdbcUrl());
        hikari.setJdbcUrl(url == null ? config.jdbcUrl() : url);
        hikari.setUsername(config.jdbcUser());
        hikari.setPassword(config.jdbcPassword());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(0);
        hikari.setIdleTimeout(config.dialect().idleTimeoutMillis());
        hikari.setReadOnly(config.dialect().readOnlyConnections());
        hikari.setConnectionInitSql(config.dialect().sessionSql());
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    @Override
    protected void doStop() {
        pools.values().forEach(HikariDataSource::close);
    }
}
