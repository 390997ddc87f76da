package dev.eventrelay.boot;

import dev.eventrelay.backbone.BackboneConfig;
import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.settings.ConfigException;
import dev.eventrelay.settings.JdbcDrivers;
import dev.eventrelay.settings.JdbcUrls;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.settings.StoreUrls;
import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.PrivateTargets;
import dev.eventrelay.delivery.RabbitConnections;
import dev.eventrelay.ingest.file.CsvLimits;
import dev.eventrelay.ingest.file.EmbeddedSftpConfig;
import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.upload.UploadImportConfig;
import dev.eventrelay.ingest.warehouse.MappingCheck;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.ops.ApiAuthentication;
import dev.eventrelay.state.RetentionPolicy;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every part of the configuration, read and checked without starting anything: the one check that both
 * start-up ({@link RelayWiring}) and the command {@code bin/check-config} ({@link ConfigCheck}) run.
 *
 * @param uploadImports   imports that take uploads only ({@code relay.import.<name>.source = upload})
 * @param syncsNotStarted warehouse syncs whose configuration is wrong, with the problems naming their keys;
 *                        by design they do not stop start-up (the sync is not started, the rest runs)
 */
public record ValidatedConfig(EmbeddedSftpConfig embeddedSftp, EventTypes eventTypes,
                            Map<String, SftpImportConfig> imports, Map<String, UploadImportConfig> uploadImports,
                            Upload upload, Map<String, WarehouseSyncConfig> syncs,
                            Map<String, String> syncsNotStarted, Map<String, HookConfig> hooks,
                            Map<String, RabbitConnections.Settings> rabbitConnections, int chunkRows,
                            CsvLimits csvLimits, Store store, RetentionPolicy retention, Instance instance,
                            BackboneConfig backbone) {

    /** This instance: its id in the store ({@code relay.instance.id}), host, pid, and its lease's length. */
    public record Instance(String id, String host, long pid, Duration lease) {
    }

    /** The state store's connection settings. */
    public record Store(String url, String user, String password, int poolSize) {
        @Override
        public String toString() {
            return "Store[" + url + ", user " + user + ", pool " + poolSize + "]";
        }
    }

    /** Limits of manual uploads: the largest body, and how long a stalled body is waited for. */
    public record Upload(int maxBytes, Duration idleTimeout) {
    }

    public static final String DEFAULT_STORE_URL = StoreUrls.DEFAULT;

    /**
     * Checks the {@code camel.main}, {@code camel.server} and {@code camel.routecontroller} keys
     * ({@link CamelMainKeys}), that an API listening beyond loopback has a token ({@link ApiAuthentication}), the routes of {@code camel.main.routes-include-pattern} ({@link RoutesCheck}), and reads every
     * {@code relay.*} part; every problem is recorded in {@code p} (throw them with {@link PropertyReader#check()}).
     * The context is only read, never started.
     */
    public static ValidatedConfig check(CamelContext context, PropertyReader p) {
        CamelMainKeys.problems(context).forEach(p::problem);
        RoutesCheck.problems(context).forEach(p::problem);
        PropertiesComponent pc = context.getPropertiesComponent();
        if (Boolean.parseBoolean(pc.resolveProperty("camel.server.enabled").orElse("false"))) {
            try {
                ApiAuthentication.check(pc.resolveProperty(ApiAuthentication.HOST_KEY).orElse(null),
                        p.string(ApiAuthentication.TOKEN_KEY, null));
            } catch (ConfigException e) {
                e.problems().forEach(p::problem);
            }
        }
        return read(p);
    }

    /** Reads every {@code relay.*} part; every problem is recorded in {@code p}, naming its key. */
    public static ValidatedConfig read(PropertyReader p) {
        EmbeddedSftpConfig embedded = EmbeddedSftpConfig.read(p);
        EventTypes eventTypes = EventTypes.read(p);
        Map<String, SftpImportConfig> imports = new LinkedHashMap<>();
        Map<String, UploadImportConfig> uploadImports = new LinkedHashMap<>();
        for (String name : p.names(SftpImportConfig.PREFIX)) {
            if (UploadImportConfig.isUploadOnly(name, p)) {
                uploadImports.put(name, UploadImportConfig.read(name, p));
            } else {
                imports.put(name, SftpImportConfig.read(name, p, embedded::makes));
            }
        }
        Upload upload = new Upload(p.integer("relay.upload.max-bytes", 104_857_600, 1, Integer.MAX_VALUE),
                p.seconds("relay.upload.idle-timeout.seconds", Duration.ofSeconds(60), Duration.ofSeconds(1)));
        Map<String, WarehouseSyncConfig> syncs = new LinkedHashMap<>();
        Map<String, String> syncsNotStarted = new LinkedHashMap<>();
        JdbcDrivers.load(p); // before the syncs: their URLs may need a dropped-in driver
        readSyncs(p, p.names(SftpImportConfig.PREFIX), syncs, syncsNotStarted);
        Map<String, HookConfig> hooks = new LinkedHashMap<>();
        for (String name : p.names(HookConfig.PREFIX)) {
            hooks.put(name, HookConfig.read(name, p));
        }
        Map<String, RabbitConnections.Settings> rabbit = RabbitConnections.read(p, hooks.values());
        int chunkRows = p.integer("relay.imports.chunk.rows", 1000, 1, 100_000);
        CsvLimits csvLimits = new CsvLimits(
                p.integer("relay.imports.csv.max-row-chars", CsvLimits.DEFAULTS.maxRowChars(), 1_000, 100_000_000),
                p.integer("relay.imports.csv.max-columns", CsvLimits.DEFAULTS.maxColumns(), 1, 100_000));
        p.integer("relay.imports.concurrent-runs", 2, 1, 64);
        if (p.string("camel.server.port", "").matches("[0-9]{1,9}")) {
            p.integer("camel.server.port", 8080, 1, 65535); // a port that is no number is CamelMainKeys' problem
        }
        String storeUrl = p.string("relay.store.url", DEFAULT_STORE_URL);
        JdbcUrls.check(p, "relay.store.url", storeUrl);
        StoreUrls.checkDurable(p, "relay.store.url", storeUrl);
        StoreUrls.checkNoOldStore(p, "relay.store.url", storeUrl, Path.of(""));
        Store store = new Store(storeUrl, p.string("relay.store.user", "sa"), p.string("relay.store.password", ""),
                p.integer("relay.store.pool-size", 8, 2, 200));
        BackboneConfig backbone = BackboneConfig.read(p);
        RetentionPolicy retention = RetentionPolicy.read(p,
                imports.values().stream().mapToInt(SftpImportConfig::lookBackDays).max().orElse(0));
        Instance instance = instance(p);

        Set<String> sources = new HashSet<>(p.names(SftpImportConfig.PREFIX));
        sources.addAll(p.names(WarehouseSyncConfig.PREFIX));
        hooks.values().forEach(hook -> checkReferences(p, hook, sources, eventTypes));
        PrivateTargets.check(p, hooks.values());
        for (String prefix : List.of(SftpImportConfig.PREFIX, HookConfig.PREFIX, EventTypes.PREFIX,
                RabbitConnections.PREFIX)) {
            p.unknownKeys(prefix);
        }
        p.unknownKeysOf(EmbeddedSftpConfig.PREFIX);
        p.unknownKeysOf(BackboneConfig.PREFIX);
        return new ValidatedConfig(embedded, eventTypes, imports, uploadImports, upload, syncs, syncsNotStarted,
                hooks, rabbit, chunkRows, csvLimits, store, retention, instance, backbone);
    }

    /** {@code relay.instance.id} (default: host name + "-" + pid) and {@code relay.instance.lease-seconds}. */
    private static Instance instance(PropertyReader p) {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        String id = p.string("relay.instance.id", host + "-" + pid);
        if (!id.matches("[A-Za-z0-9._:@-]{1,200}")) {
            p.problem("relay.instance.id", "'" + id + "' is not an instance id: use 1 to 200 letters, digits and"
                    + " . _ : @ - (the default is the host name, '-' and the pid)");
        }
        int lease = p.integer("relay.instance.lease-seconds", 30, 2, 3600);
        return new Instance(id, host, pid, Duration.ofSeconds(Math.max(lease, 2)));
    }

    private static String hostName() {
        try {
            String name = java.net.InetAddress.getLocalHost().getHostName();
            return name.isBlank() ? "localhost" : name.replaceAll("[^A-Za-z0-9._:@-]", "_");
        } catch (java.net.UnknownHostException e) {
            String env = System.getenv("HOSTNAME");
            return env == null || env.isBlank() ? "localhost" : env.replaceAll("[^A-Za-z0-9._:@-]", "_");
        }
    }

    /**
     * Reads every {@code relay.sync.<name>}. Unlike every other part, a sync whose configuration or mapping
     * is wrong does not stop start-up: it is kept with the keys to fix and not started, and the rest runs.
     */
    private static void readSyncs(PropertyReader p, Set<String> importNames,
                                  Map<String, WarehouseSyncConfig> syncs, Map<String, String> notStarted) {
        for (String name : p.names(WarehouseSyncConfig.PREFIX)) {
            PropertyReader own = p.fresh();
            WarehouseSyncConfig config = WarehouseSyncConfig.read(name, own);
            own.unknownKeysOf(WarehouseSyncConfig.PREFIX + name + ".");
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
            }
        }
    }

    /** A hook's filters may name only imports, syncs and event codes that are configured. */
    private static void checkReferences(PropertyReader p, HookConfig hook, Set<String> sources,
                                        EventTypes eventTypes) {
        String prefix = HookConfig.PREFIX + hook.name() + ".";
        for (String source : hook.filter().imports()) {
            if (!sources.contains(source)) {
                p.problem(prefix + "filter.imports", "names '" + source + "', which is neither an import"
                        + " (relay.import." + source + ".*) nor a warehouse sync (relay.sync." + source + ".*)");
            }
        }
        for (String code : hook.filter().eventCodes()) {
            if (eventTypes.byCode(code).isEmpty()) {
                p.problem(prefix + "filter.event-codes", "names the event code '" + code + "', which has no event"
                        + " type; set " + EventTypes.PREFIX + code + ".name or remove the code");
            }
        }
    }
}
