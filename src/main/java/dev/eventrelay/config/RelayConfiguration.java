package dev.eventrelay.config;

import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.Destinations;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.delivery.RabbitConnections;
import dev.eventrelay.ingest.file.EmbeddedSftpServer;
import dev.eventrelay.ingest.file.FileImporter;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ops.HooksApi;
import dev.eventrelay.ops.OpsApi;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
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
        recover(store, runs, events, ledger, clock);

        SftpImportRunner runner = new SftpImportRunner(imports, eventTypes, store, runs, ledger, errors,
                new FileImporter(store, runs, events, clock, chunkRows), clock);
        HookDelivery delivery = new HookDelivery(hooks, Destinations.of(hooks.values(), clock), events, hookStates,
                deadLetters, errors, clock);
        context.getRegistry().bind("sftpImports", runner);
        context.getRegistry().bind("hookDelivery", delivery);
        context.getRegistry().bind("opsApi", new OpsApi(runner, runs, store, clock));
        context.getRegistry().bind("hooksApi", new HooksApi(delivery, hookStates, deadLetters, errors, clock));
        context.getRegistry().bind("configuredRoutes", new ConfiguredRoutes(imports.values(), hooks.values()));
        LOG.info("Event Relay configured: {} import(s), {} event type(s), {} hook(s)", imports.size(),
                eventTypes.all().size(), hooks.size());
    }

    /** Runs cut short by a stop fail with that reason; their staged events are dropped and their files freed. */
    private static void recover(StateStore store, RunStore runs, EventLog events, FileLedger ledger, Clock clock) {
        int failed = runs.failInterrupted("interrupted: the service stopped during this run; the next run imports"
                + " its unfinished files", clock.instant());
        int discarded = store.inTransaction(c -> {
            ledger.releaseUnfinished(c);
            return events.discardStaged(c);
        });
        if (failed > 0 || discarded > 0) {
            LOG.warn("Recovered from a stop: {} run(s) marked Failed, {} unpublished batch(es) dropped", failed, discarded);
        }
    }
}
