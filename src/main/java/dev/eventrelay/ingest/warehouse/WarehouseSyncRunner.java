package dev.eventrelay.ingest.warehouse;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.eventrelay.ingest.PauseGate;
import dev.eventrelay.ingest.RunFailures;
import dev.eventrelay.mapping.RowOutcome;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.RejectedRow;
import dev.eventrelay.model.RowCounts;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.state.WarehouseCursors;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs warehouse syncs. A run reads the rows changed after the sync's cursor, page by page (see
 * {@link PageQuery}); each page is written in one state-store transaction: its events appended to a
 * new event-log segment and published, its rejected rows recorded with their key, the run's counts,
 * and the cursor moved to the page's last row. A run that fails keeps the pages it committed, so the
 * next run resumes after the last one. Each sync reads through its own small connection pool.
 */
public final class WarehouseSyncRunner extends ServiceSupport {

    private static final Logger LOG = LoggerFactory.getLogger(WarehouseSyncRunner.class);
    /** Rejection reasons are cut to this length (rejected_row.reason holds 4000 characters). */
    private static final int MAX_REASON = 1000;

    /** The sync cannot start a run now; the message says why. */
    public static final class RunRefusedException extends RuntimeException {
        public RunRefusedException(String reason) {
            super(reason);
        }
    }

    private final Map<String, WarehouseSyncConfig> syncs;
    private final Map<String, String> notStarted;
    private final Map<String, HikariDataSource> pools = new LinkedHashMap<>();
    private final StateStore store;
    private final RunStore runs;
    private final EventLog events;
    private final WarehouseCursors cursors;
    private final ErrorLog errors;
    private final PauseGate pauses;
    private final RunFailures failures;
    private final Clock clock;
    private final RelayMetrics metrics;

    /**
     * @param syncs      the syncs that run
     * @param notStarted the syncs left out because of their configuration, with the reason
     */
    public WarehouseSyncRunner(Map<String, WarehouseSyncConfig> syncs, Map<String, String> notStarted,
                               StateStore store, RunStore runs, EventLog events, WarehouseCursors cursors,
                               ErrorLog errors, PauseGate pauses, RunFailures failures, Clock clock,
                               RelayMetrics metrics) {
        this.syncs = Collections.synchronizedMap(new LinkedHashMap<>(syncs));
        this.notStarted = Collections.synchronizedMap(new LinkedHashMap<>(notStarted));
        this.store = store;
        this.runs = runs;
        this.events = events;
        this.cursors = cursors;
        this.errors = errors;
        this.pauses = pauses;
        this.failures = failures;
        this.clock = clock;
        this.metrics = metrics;
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
        failures.recordPending();
        if (!syncs.get(name).enabled()) {
            throw new RunRefusedException("sync '" + name + "' is disabled (relay.sync." + name + ".enabled=false)");
        }
        pauses.refusal("sync", name).ifPresent(reason -> {
            throw new RunRefusedException(reason);
        });
        runs.active(name).ifPresent(active -> {
            throw new RunRefusedException("run " + active.id() + " of sync '" + name + "' is still under way");
        });
        return runs.create(name, "warehouse", trigger, clock.instant());
    }

    /** Starts a scheduled run; null (and a log line) when the sync is paused or its previous run is under way. */
    public String startScheduled(String name) {
        if (pauses.skipsSchedule("sync", name)) {
            return null;
        }
        try {
            return start(name, "schedule");
        } catch (RunRefusedException e) {
            LOG.warn("Scheduled run of sync '{}' skipped: {}", name, e.getMessage());
            return null;
        }
    }

    /** Executes a run recorded by {@link #start}: reads and publishes page after page until none is left. */
    public void execute(String runId) {
        Run run = runs.find(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
        WarehouseSyncConfig config = syncs.get(run.importName());
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long runFileId = store.inTransaction(c -> runs.addFile(c, runId, config.source(), null, null, clock.instant()));
        Counts counts = new Counts();
        LOG.info("Run {} of sync '{}' started", runId, config.name());
        try (Connection warehouse = pools.get(config.name()).getConnection()) {
            SourceColumns columns = SourceColumns.read(warehouse, config);
            List<String> missing = MappingCheck.columns(config, columns);
            if (!missing.isEmpty()) {
                throw new IllegalStateException(String.join("; ", missing));
            }
            runs.processing(runId, clock.instant());
            PageQuery pages = new PageQuery(config, columns);
            WarehouseRowMapper mapper = new WarehouseRowMapper(config, columns, runId);
            SourceColumns.Column changed = columns.find(config.column(WarehouseSyncConfig.CHANGED_AT)).orElseThrow();
            SourceColumns.Column unique = columns.find(config.column(WarehouseSyncConfig.UNIQUE_ID)).orElse(null);
            PageQuery.Position at = cursors.find(config.name())
                    .map(cursor -> new PageQuery.Position(cursor.changedAt(), cursor.rowKey())).orElse(null);
            while (true) {
                Page page = readPage(warehouse, pages, at, config, mapper, changed, unique, receivedAt, counts);
                if (page.rows == 0) {
                    break;
                }
                commit(config, runId, runFileId, page, counts);
                at = page.end;
                if (!pages.mayHaveMore(page.rows)) {
                    break;
                }
            }
            store.inTransaction(c -> {
                runs.endFile(c, runFileId, Status.IMPORTED, counts.toRowCounts(), null, clock.instant());
                return null;
            });
            runs.finished(runId, clock.instant());
            LOG.info("Run {} of sync '{}': {} rows, {} accepted, {} rejected", runId, config.name(), counts.total,
                    counts.processed, counts.errored);
            metrics.rows(config.name(), counts.toRowCounts());
            metrics.runEnded(config.name(), "warehouse", Status.PROCESSED, Duration.between(receivedAt, clock.instant()));
        } catch (SQLException | RuntimeException e) {
            String reason = reason(e);
            LOG.warn("Run {} of sync '{}' failed: {}", runId, config.name(), reason);
            // the counts of the pages published so far are recorded with each page
            failures.fail(config.name(), runId, "run " + runId + " of sync '" + config.name() + "' failed", reason);
            metrics.rows(config.name(), counts.toRowCounts());
            metrics.runEnded(config.name(), "warehouse", Status.FAILED, Duration.between(receivedAt, clock.instant()));
        }
    }

    private Page readPage(Connection warehouse, PageQuery pages, PageQuery.Position from, WarehouseSyncConfig config,
                          WarehouseRowMapper mapper, SourceColumns.Column changed, SourceColumns.Column unique,
                          Instant receivedAt, Counts counts) throws SQLException {
        Page page = new Page();
        try (PreparedStatement query = pages.prepare(warehouse, from, config.startAt());
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                page.rows++;
                RowOutcome outcome = mapper.map(rows, receivedAt);
                if (outcome.isAccepted()) {
                    page.accepted.add(new EventLog.Entry(0, outcome.event().eventId(), outcome.event().eventType(),
                            EventJson.write(outcome.event())));
                } else {
                    String why = outcome.rejection();
                    page.rejected.add(new RejectedRow(null, counts.total + page.rows,
                            why.length() > MAX_REASON ? why.substring(0, MAX_REASON) + "…" : why, mapper.rowKey(rows)));
                }
                OffsetDateTime changedAt = rows.getObject(changed.index(), OffsetDateTime.class);
                String key = unique == null ? null : rows.getString(unique.index());
                page.end = new PageQuery.Position(changedAt, key);
            }
        }
        return page;
    }

    private void commit(WarehouseSyncConfig config, String runId, long runFileId, Page page, Counts counts) {
        Counts after = counts.plus(page);
        store.inTransaction(c -> {
            Instant now = clock.instant();
            long segmentId = events.openSegment(c, runId, now);
            events.append(c, segmentId, page.accepted);
            events.publish(c, segmentId, now);
            runs.addRejected(c, runId, runFileId, page.rejected);
            runs.updateFile(c, runFileId, after.toRowCounts());
            cursors.advance(c, config.name(), page.end.changedAt(), page.end.rowKey(), now);
            return null;
        });
        counts.set(after);
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
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.jdbcUser());
        hikari.setPassword(config.jdbcPassword());
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(0);
        hikari.setReadOnly(true);
        hikari.setConnectionTimeout(5_000);
        hikari.setInitializationFailTimeout(-1);
        return new HikariDataSource(hikari);
    }

    @Override
    protected void doStop() {
        pools.values().forEach(HikariDataSource::close);
    }

    /** The rows of one page: accepted events, rejected rows, the position of its last row. */
    private static final class Page {
        private final List<EventLog.Entry> accepted = new ArrayList<>();
        private final List<RejectedRow> rejected = new ArrayList<>();
        private int rows;
        private PageQuery.Position end;
    }

    /** The run's running counts. */
    private static final class Counts {
        private long total;
        private long processed;
        private long errored;

        Counts plus(Page page) {
            Counts next = new Counts();
            next.total = total + page.rows;
            next.processed = processed + page.accepted.size();
            next.errored = errored + page.rejected.size();
            return next;
        }

        void set(Counts other) {
            total = other.total;
            processed = other.processed;
            errored = other.errored;
        }

        RowCounts toRowCounts() {
            return new RowCounts(total, processed, errored, 0);
        }
    }
}
