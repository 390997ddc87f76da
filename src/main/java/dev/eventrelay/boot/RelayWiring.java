package dev.eventrelay.boot;

import dev.eventrelay.backbone.BackboneConfig;
import dev.eventrelay.common.Secrets;
import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.settings.StoreUrls;
import dev.eventrelay.delivery.DeliveryListener;
import dev.eventrelay.delivery.Destination;
import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.Destinations;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.delivery.HookTester;
import dev.eventrelay.delivery.HttpRequests;
import dev.eventrelay.delivery.KafkaProducers;
import dev.eventrelay.delivery.RabbitConnections;
import dev.eventrelay.ingest.recovery.InterruptedRuns;
import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.ingest.RunBookkeeping;
import dev.eventrelay.ingest.RunFailures;
import dev.eventrelay.ingest.file.EmbeddedSftpServer;
import dev.eventrelay.ingest.file.CsvFileCheck;
import dev.eventrelay.ingest.file.FileImporter;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.upload.UploadImportConfig;
import dev.eventrelay.ingest.upload.UploadImporter;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.ingest.PauseGate;
import dev.eventrelay.ops.ApiAuthentication;
import dev.eventrelay.ops.Health;
import dev.eventrelay.ops.ConsoleFiles;
import dev.eventrelay.ops.ConsoleHeaders;
import dev.eventrelay.ops.HookControl;
import dev.eventrelay.ops.HooksApi;
import dev.eventrelay.ops.ImportControl;
import dev.eventrelay.ops.InstancesApi;
import dev.eventrelay.ops.JsonErrorPages;
import dev.eventrelay.ops.MetricsApi;
import dev.eventrelay.ops.OpsApi;
import dev.eventrelay.ops.TemplateApi;
import dev.eventrelay.ops.UploadApi;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.HookLease;
import dev.eventrelay.state.HookLeases;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.Instances;
import dev.eventrelay.state.OutboxCursor;
import dev.eventrelay.state.Retention;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.WarehouseCursors;
import dev.eventrelay.systemevents.SystemEvents;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;

/**
 * Reads the {@code relay.*} configuration, checks all of it (start-up stops with every problem and
 * the key to fix), opens the state store, and binds the beans the routes call.
 */
public final class RelayWiring implements CamelConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RelayWiring.class);
    @Override
    public void configure(CamelContext context) throws Exception {
        // the same check as bin/check-config (ConfigCheck): routes/ and every relay.* key; stops with every problem
        PropertyReader p = PropertyReader.load(context.getPropertiesComponent());
        ValidatedConfig settings = ValidatedConfig.check(context, p);
        p.check();
        PropertiesComponent pc = context.getPropertiesComponent();
        // the keys of the files and every key read, so that a secret given only as an environment variable is masked too
        Set<String> keys = new TreeSet<>(pc.loadProperties(key -> key.startsWith("relay.")).stringPropertyNames());
        keys.addAll(p.asked());
        Secrets.remember(keys, key -> pc.resolveProperty(key).orElse(null));
        if (Boolean.parseBoolean(pc.resolveProperty("camel.server.enabled").orElse("false"))) {
            ApiAuthentication.check(pc.resolveProperty(ApiAuthentication.HOST_KEY).orElse(null),
                    p.string(ApiAuthentication.TOKEN_KEY, null)).register(context);
        }
        settings.syncsNotStarted().forEach((name, why) -> LOG.error("Warehouse sync '{}' is not started; fix: {}",
                name, why));
        if (settings.embeddedSftp().enabled()) {
            EmbeddedSftpServer sftp = settings.embeddedSftp().server();
            sftp.prepare();
            context.addService(sftp, true, true);
        }
        EventTypes eventTypes = settings.eventTypes();
        Map<String, SftpImportConfig> imports = settings.imports();
        Map<String, WarehouseSyncConfig> syncs = new LinkedHashMap<>(settings.syncs());
        Map<String, String> syncsNotStarted = new LinkedHashMap<>(settings.syncsNotStarted());
        Map<String, HookConfig> hooks = settings.hooks();
        RabbitConnections.bind(context, settings.rabbitConnections());
        int chunkRows = settings.chunkRows();
        String storeUrl = settings.store().url();
        String storeUser = settings.store().user();
        String storePassword = settings.store().password();
        int storePool = settings.store().poolSize();

        StateStore store = new StateStore(storeUrl, storeUser, storePassword, storePool);
        store.migrate();
        context.addService(store, true, true);
        Clock clock = Clock.systemUTC();
        Instances instances = lease(context, store, settings.instance(), clock);
        RelayMetrics metrics = new RelayMetrics();
        RunStore runs = new RunStore(store);
        RunOwnership ownership = new RunOwnership(store);
        EventLog events = new EventLog(store);
        FileLedger ledger = new FileLedger(store);
        ErrorLog errors = new ErrorLog(store);
        DeadLetters deadLetters = new DeadLetters(store);
        HookLease hookLeases = hookLeases(context, store, storeUrl, settings.backbone(), instances, clock, hooks);
        HookStates hookStates = new HookStates(store, HookStates.KEEP_ATTEMPTS, hookLeases.holder());
        ImportStates importStates = new ImportStates(store);
        PauseGate pauses = new PauseGate(importStates, errors, clock);
        SystemEvents systemEvents = new SystemEvents(store, events, runs, clock);
        systemEvents.prepare();
        context.getRegistry().bind("systemEvents", systemEvents);
        // this instance's id is the prefix of the Kafka transactional ids
        WarehouseCursors cursors = new WarehouseCursors(store);
        BackboneWiring.Backbone backbone = BackboneWiring.wire(context, settings, store, events, hookStates, clock,
                instances.id(), new SealedSegments(runs, cursors));
        SegmentWriter segments = backbone.segments();

        FileFailures fileFailures = new FileFailures(store, runs, ownership, segments, ledger, clock, metrics,
                systemEvents);
        RunFailures failures = new RunFailures(store, fileFailures, errors, clock, systemEvents);
        FileImporter fileImporter = new FileImporter(store, runs, segments, clock, chunkRows,
                settings.csvLimits(), fileFailures, metrics);
        RunBookkeeping bookkeeping = new RunBookkeeping(runs, pauses, failures, clock, metrics, systemEvents,
                instances.id());
        SftpImportRunner runner = new SftpImportRunner(imports, eventTypes, store, ledger, errors, fileImporter,
                fileFailures, bookkeeping);
        WarehouseSyncRunner warehouse = new WarehouseSyncRunner(syncs, syncsNotStarted, store, segments,
                cursors, bookkeeping, metrics);
        context.addService(warehouse, true, true);
        InterruptedRuns interrupted = new InterruptedRuns(instances, ownership, fileFailures, segments, runner,
                warehouse);
        interrupted.recover();
        context.getRegistry().bind("interruptedRuns", interrupted);
        checkSyncColumns(warehouse, syncs, errors, clock);
        Map<String, Destination> destinations = Destinations.of(hooks.values(), clock);
        HookDelivery delivery = new HookDelivery(hooks, destinations, backbone.feed(), hookStates,
                deadLetters, errors, clock, metrics, systemEvents, hookLeases);
        // a hook that stops attempting (410 Gone, or its circuit opened) raises relay_hook_disabled
        delivery.listen(new DeliveryListener() {
            @Override
            public void hookDisabled(String hook, String reason, Instant at) {
                systemEvents.hookDisabled(hook, reason);
            }

            @Override
            public void circuitOpened(String hook, String reason, Instant at) {
                systemEvents.hookDisabled(hook, reason);
            }
        });
        context.getRegistry().bind("sftpImports", runner);
        context.getRegistry().bind("warehouseSyncs", warehouse);
        context.getRegistry().bind("hookDelivery", delivery);
        context.getRegistry().bind(HttpRequests.BEAN, new HttpRequests());
        KafkaProducers kafkaRecords = new KafkaProducers();
        context.getRegistry().bind(KafkaProducers.BEAN, kafkaRecords);
        context.addService(kafkaRecords, true, true);
        context.getRegistry().bind("opsApi", new OpsApi(runner, warehouse, runs, store, clock, settings.uploadImports()));
        UploadImporter uploads = new UploadImporter(UploadImportConfig.all(imports.values(), settings.uploadImports()), eventTypes,
                store, runs, errors, fileImporter, new CsvFileCheck(settings.csvLimits(), clock, UploadApi.MAX_REJECTED_SHOWN),
                fileFailures, settings.upload().maxBytes(), clock, metrics, systemEvents, instances.id());
        context.getRegistry().bind("uploadApi", new UploadApi(uploads, runs, settings.upload().idleTimeout()));
        context.getRegistry().bind("templateApi", new TemplateApi(eventTypes, uploads.imports()));
        HooksApi hooksApi = new HooksApi(delivery, hookStates, deadLetters, errors, clock, metrics.activity(),
                hookLeases);
        context.getRegistry().bind("hooksApi", hooksApi);
        context.getRegistry().bind("hookControl", new HookControl(delivery, hooksApi, hookStates, deadLetters,
                new HookTester(delivery, hookStates, context, clock), eventTypes, clock));
        context.getRegistry().bind("importControl", new ImportControl(runner, warehouse, runs, importStates,
                settings.uploadImports(), clock));
        context.getRegistry().bind("consoleFiles", new ConsoleFiles());
        context.getRegistry().bind("consoleHeaders", new ConsoleHeaders());
        JsonErrorPages.register(context);
        // owns.hooks: the hooks whose lease each instance holds
        InstancesApi instancesApi = new InstancesApi(instances, ownership, hookLeases::hooksByOwner);
        context.getRegistry().bind("instancesApi", instancesApi);
        context.getRegistry().bind("relayHealth", new Health(runner, warehouse, delivery, hookStates, runs, store,
                instancesApi));
        context.getRegistry().bind("relayMetrics", metrics);
        // on the kafka backbone the event log holds only system events, kept until they are forwarded to the topic
        context.getRegistry().bind("retention", new Retention(store, settings.retention(), backbone.config().kafka()
                ? List.of(OutboxCursor.NAME)
                : hooks.values().stream().filter(HookConfig::enabled).map(HookConfig::name).toList(), clock));
        context.getRegistry().bind("metricsApi", new MetricsApi(metrics));
        metrics.known(java.util.stream.Stream.concat(imports.keySet().stream(), syncs.keySet().stream()).toList(),
                hooks.keySet());
        context.getRegistry().bind("configuredRoutes", new ConfiguredRoutes(imports.values(),
                syncs.values(), hooks.values(), destinations, importStates));
        LOG.info("Event Relay configured: {} import(s), {} warehouse sync(s), {} event type(s), {} hook(s)",
                imports.size(), syncs.size(), eventTypes.all().size(), hooks.size());
    }

    /**
     * Takes this instance's lease in the store (refused when another live process holds its id) and binds it for the
     * route {@code instance-lease} (routes/cluster.camel.yaml), which renews it. Added as a service after the store, so
     * a graceful stop gives the lease up (deletes its row) before the store closes.
     */
    private static Instances lease(CamelContext context, StateStore store, ValidatedConfig.Instance instance,
                                   Clock clock) throws Exception {
        Instances instances = new Instances(store, instance.id(), instance.host(), instance.pid(), instance.lease(),
                clock);
        instances.register();
        if (store.heldAlone()) {
            instances.forgetOthers(); // the embedded store's lock: another lease in it is a dead process's
        }
        context.addService(instances, true, true);
        context.getRegistry().bind("instances", instances);
        return instances;
    }

    /**
     * Which instance delivers each hook. On a shared store (PostgreSQL) a lease per hook ({@link HookLeases}), a
     * Camel service added after the store, so it is stopped (its leases released) after the routes and before the
     * store. The embedded SQLite store serves one instance (its OS lock refuses a second), so there every hook is
     * this instance's and a restart after a crash does not wait for the old process's leases to end.
     * The share of hooks each instance takes counts the live instances of {@link Instances#liveCount()}. On the kafka
     * backbone the hooks' consumer groups spread the work, and the owners are the groups' members.
     */
    private static HookLease hookLeases(CamelContext context, StateStore store, String storeUrl, BackboneConfig backbone,
                                        Instances instances, Clock clock, Map<String, HookConfig> hooks)
            throws Exception {
        List<String> enabled = hooks.values().stream().filter(HookConfig::enabled).map(HookConfig::name).toList();
        HookLease leases;
        if (backbone.kafka()) {
            leases = BackboneWiring.hookOwners(context, backbone, enabled, clock);
        } else if (StoreUrls.isSqlite(storeUrl)) {
            leases = HookLease.always(instances.id(), enabled);
        } else {
            HookLeases shared = new HookLeases(store, instances.id(), instances.lease(), instances::liveCount, clock, enabled);
            context.addService(shared, true, true);
            leases = shared;
        }
        context.getRegistry().bind("hookLeases", leases);
        return leases;
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
