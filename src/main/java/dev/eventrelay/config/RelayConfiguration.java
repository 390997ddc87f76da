package dev.eventrelay.config;

import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.Destinations;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.delivery.RabbitConnections;
import dev.eventrelay.ingest.InterruptedRuns;
import dev.eventrelay.ingest.RunFailures;
import dev.eventrelay.ingest.file.EmbeddedSftpServer;
import dev.eventrelay.ingest.file.FileImporter;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.warehouse.MappingCheck;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.ops.HooksApi;
import dev.eventrelay.ops.OpsApi;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.WarehouseCursors;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the {@code relay.*} configuration, checks all of it (start-up stops with every problem and
 * the key to fix), opens the state store, and binds the beans the routes call.
 */
public final class RelayConfiguration implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RelayConfiguration.class);

    @Override
    public void configure(CamelContext context) throws Exception {
        PropertiesComponent pc = context.getPropertiesComponent();
        Properties loaded = pc.loadProperties(key -> key.startsWith("relay."));
        Map<String, String> raw = new LinkedHashMap<>();
        loaded.stringPropertyNames().forEach(key -> raw.put(key, loaded.getProperty(key)));
        RelayProperties p = new RelayProperties(raw, key -> pc.resolveProperty(key).orElse(null));

        if (p.bool("relay.embedded-sftp.enabled", false)) {
            EmbeddedSftpServer sftp = new EmbeddedSftpServer(p.integer("relay.embedded-sftp.port", 2222, 1, 65535),
                    Path.of(p.string("relay.embedded-sftp.folder", "data/sftp")),
                    Path.of(p.string("relay.embedded-sftp.keys-folder", "data/embedded-sftp")));
            sftp.prepare();
            context.addService(sftp, true, true);
        }
        EventTypes eventTypes = EventTypes.read(p);
        Map<String, SftpImportConfig> imports = new LinkedHashMap<>();
        for (String name : p.names(SftpImportConfig.PREFIX)) {
            imports.put(name, SftpImportConfig.read(name, p));
        }
        Map<String, WarehouseSyncConfig> syncs = new LinkedHashMap<>();
        Map<String, String> syncsNotStarted = new LinkedHashMap<>();
        readSyncs(p, imports.keySet(), syncs, syncsNotStarted);
        Map<String, HookConfig> hooks = new LinkedHashMap<>();
        for (String name : p.names(HookConfig.PREFIX)) {
            hooks.put(name, HookConfig.read(name, p));
        }
        RabbitConnections.bind(context, p, hooks.values());
        int chunkRows = p.integer("relay.imports.chunk.rows", 1000, 1, 100_000);
        String storeUrl = p.string("relay.store.url", "jdbc:h2:file:./data/state/relay;MODE=PostgreSQL;"
                + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        String storeUser = p.string("relay.store.user", "sa");
        String storePassword = p.string("relay.store.password", "");
        int storePool = p.integer("relay.store.pool-size", 8, 2, 200);
        p.check();

        StateStore store = new StateStore(storeUrl, storeUser, storePassword, storePool);
        store.migrate();
        context.addService(store, true, true);
        Clock clock = Clock.systemUTC();
        RunStore runs = new RunStore(store);
        EventLog events = new EventLog(store);
        FileLedger ledger = new FileLedger(store);
        ErrorLog errors = new ErrorLog(store);
        DeadLetters deadLetters = new DeadLetters(store);
        HookStates hookStates = new HookStates(store);

        RunFailures failures = new RunFailures(store, runs, events, ledger, errors, clock);
        SftpImportRunner runner = new SftpImportRunner(imports, eventTypes, store, runs, ledger, errors,
                new FileImporter(store, runs, events, clock, chunkRows), failures, clock);
        WarehouseSyncRunner warehouse = new WarehouseSyncRunner(syncs, syncsNotStarted, store, runs, events,
                new WarehouseCursors(store), errors, failures, clock);
        context.addService(warehouse, true, true);
        InterruptedRuns interrupted = new InterruptedRuns(store, runs, events, ledger, runner, warehouse, clock);
        interrupted.recover();
        context.getRegistry().bind("interruptedRuns", interrupted);
        checkSyncColumns(warehouse, syncs, errors, clock);
        HookDelivery delivery = new HookDelivery(hooks, Destinations.of(hooks.values(), clock), events, hookStates,
                deadLetters, errors, clock);
        context.getRegistry().bind("sftpImports", runner);
        context.getRegistry().bind("warehouseSyncs", warehouse);
        context.getRegistry().bind("hookDelivery", delivery);
        context.getRegistry().bind("opsApi", new OpsApi(runner, warehouse, runs, store, clock));
        context.getRegistry().bind("hooksApi", new HooksApi(delivery, hookStates, deadLetters, errors, clock));
        context.getRegistry().bind("configuredRoutes", new ConfiguredRoutes(imports.values(),
                syncs.values(), hooks.values()));
        LOG.info("Event Relay configured: {} import(s), {} warehouse sync(s), {} event type(s), {} hook(s)",
                imports.size(), syncs.size(), eventTypes.all().size(), hooks.size());
    }

    /**
     * Reads every {@code relay.sync.<name>}. Unlike every other part, a sync whose configuration or mapping
     * is wrong does not stop start-up: it is logged with the keys to fix and not started, and the rest runs.
     */
    private static void readSyncs(RelayProperties p, java.util.Set<String> importNames,
                                  Map<String, WarehouseSyncConfig> syncs, Map<String, String> notStarted) {
        for (String name : p.names(WarehouseSyncConfig.PREFIX)) {
            RelayProperties own = p.fresh();
            WarehouseSyncConfig config = WarehouseSyncConfig.read(name, own);
            List<String> problems = new ArrayList<>(own.problems());
            problems.addAll(MappingCheck.rules(config));
            if (importNames.contains(name)) {
                problems.add(WarehouseSyncConfig.PREFIX + name + " has the name of relay.import." + name
                        + "; imports and syncs share the ops API's names, rename one of them");
            }
            if (problems.isEmpty()) {
                syncs.put(name, config);
            } else {
                notStarted.put(name, String.join("; ", problems));
                LOG.error("Warehouse sync '{}' is not started; fix: {}", name, String.join("; ", problems));
            }
        }
    }

    /**
     * Checks that every mapped column exists in each sync's source; a sync whose columns are missing is
     * removed and not started. A warehouse that cannot be reached now is left to the runs, which fail
     * with the reason until it answers.
     */
    private static void checkSyncColumns(WarehouseSyncRunner warehouse, Map<String, WarehouseSyncConfig> syncs,
                                         ErrorLog errors, Clock clock) {
        for (String name : List.copyOf(syncs.keySet())) {
            try {
                List<String> missing = warehouse.checkColumns(name);
                if (!missing.isEmpty()) {
                    warehouse.exclude(name, String.join("; ", missing));
                    syncs.remove(name);
                    LOG.error("Warehouse sync '{}' is not started; fix: {}", name, String.join("; ", missing));
                    errors.record(name, "sync-not-started", "warehouse sync '" + name + "' is not started: its"
                            + " mapping names columns its source lacks", String.join("; ", missing), clock.instant());
                }
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Warehouse sync '{}': its columns could not be checked now ({}); each run checks them",
                        name, e.getMessage());
            }
        }
    }
}
