package dev.eventrelay.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.faults.Arrivals;
import dev.eventrelay.faults.LoginDrops;
import dev.eventrelay.support.RabbitAdmin;
import dev.eventrelay.support.RelayProcess;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.StoreRows;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestSftpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Three instances of the real jar, each its own JVM, on one PostgreSQL store (issue 13): an SFTP import of
 * {@value #FILES} files and a warehouse sync from a PostgreSQL table go to an HTTP receiver, a Kafka topic and a
 * RabbitMQ queue while the cluster is hit the way production hits it — run-now sent to all three at once, SIGKILL of
 * the instance that is importing, later SIGKILL of the instance delivering the HTTP hook, then at once a rolling
 * restart (a new instance starts, an old one stops gracefully) during delivery. Instance leases are short
 * ({@value #LEASE_SECONDS} s), so takeovers come quickly.
 *
 * <p>At the end every receiver holds every accepted row (compared with the rows the test wrote), a duplicate is only
 * an identical copy under the same {@code event_id}, an HTTP batch id always carries the same events, each file was
 * imported once (run_file and the file ledger), and no run is left {@code Fetching} or {@code Processing}. What the
 * cluster promises on the way (one run per run-now, a takeover within lease + a poll, one owner per hook) is noted
 * as a {@link Findings finding} and the test fails at the end with all of them. The subclasses choose the event
 * backbone: the store, or a Kafka topic of 3 partitions.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
@Slow
abstract class ClusterScenario {

    static final String IMPORT = "default";
    static final String SYNC = "cluster-sync";
    static final String HTTP_HOOK = "cluster-http";
    static final String KAFKA_HOOK = "cluster-kafka";
    static final String RABBIT_HOOK = "cluster-rabbit";
    static final List<String> HOOKS = List.of(HTTP_HOOK, KAFKA_HOOK, RABBIT_HOOK);
    static final String HOOK_TOPIC = "cluster-events";
    static final int HOOK_TOPIC_PARTITIONS = 3;
    static final int FILES = 30;
    static final int FILE_ROWS = 3_000;
    static final int TABLE_ROWS = 9_000;
    static final int INVALID_FILE_ROW_EVERY = 997;
    static final int INVALID_TABLE_ROW_EVERY = 499;
    static final int LEASE_SECONDS = 3;
    /** The HTTP and Kafka hooks' rate limit per instance: delivery lasts long enough to be cut by a kill and a restart. */
    static final int EVENTS_PER_SECOND = 800;
    /**
     * The most HTTP batches that may arrive a second time: the receiver answers every request 200, so a batch is
     * sent again only when the instance that sent it was killed or stopped before it recorded the answer, or a
     * takeover (a lease, a rebalance) hands its page to another instance — a few per kill, stop and start.
     */
    static final int BATCHES_AGAIN = 20;
    /** Events per HTTP batch, and per step of the other hooks. */
    static final int HTTP_BATCH = 500;
    static final int BATCH = 1000;
    /** The longest {@code GET /api/instances} may take to show who owns a run or a hook under way. */
    static final Duration OWNER_SHOWN = Duration.ofSeconds(5);
    /** The longest a takeover may take: the lease, a poll, and room for a loaded 2-core machine. */
    static final Duration TAKEOVER = Duration.ofSeconds(LEASE_SECONDS * 3L + 20);

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    TestSftpServer sftp;
    TestHttpReceiver http;
    TestKafkaBroker kafka;
    KafkaConsumer<String, String> consumer;
    RabbitAdmin rabbit;
    String queue;
    String warehouseUrl;
    String storeUrl;
    StoreRows store;
    Cluster cluster;
    Instant began;

    final Findings findings = new Findings();
    final Arrivals atHttp = new Arrivals("http", LoginDrops::rowKey);
    final Arrivals atKafka = new Arrivals("kafka", LoginDrops::rowKey);
    final Arrivals atRabbit = new Arrivals("rabbitmq-queue", LoginDrops::rowKey);
    /** HTTP batch id → the event ids of its first arrival, and the batch ids that later came with other events. */
    final Map<String, List<String>> eventsOfBatch = new HashMap<>();
    final List<String> batchDefects = new ArrayList<>();
    /** HTTP requests that carried a batch id seen before: a retry after a takeover, or a page sent twice. */
    long batchesAgain;

    /** A short name of the backbone, for the processes' logs. */
    abstract String backbone();

    /** The backbone's keys ({@code relay.backbone.*}) for every instance. */
    abstract Map<String, String> backboneConfig();

    /** What {@code GET /api/instances} should soon say of the hooks' owners on this backbone, as a sentence. */
    abstract String hookOwnersPromise();

    /** Whether {@code owners} (hook → the instances that list it in {@code owns.hooks}) keeps that promise. */
    abstract boolean hookOwnersKept(Map<String, List<String>> owners);

    /** Notes what the backbone should hold at the end ({@code accepted} rows went through it). */
    abstract void checkBackbone(int accepted) throws Exception;

    @BeforeEach
    void startPeers() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        http = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        kafka = TestKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
        kafka.createTopic(HOOK_TOPIC, HOOK_TOPIC_PARTITIONS);
        consumer = kafka.consumer();
        List<TopicPartition> partitions = IntStream.range(0, HOOK_TOPIC_PARTITIONS)
                .mapToObj(p -> new TopicPartition(HOOK_TOPIC, p)).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        rabbit = new RabbitAdmin();
        queue = rabbit.declareQueue(RabbitAdmin.uniqueName("cluster"));
        warehouseUrl = StoreDatabases.newPostgres();
        storeUrl = StoreDatabases.newPostgres();
    }

    /** Every JVM first (they hold connections to the store), then the peers and the databases; all even on failure. */
    @AfterEach
    void stopEverything() throws Exception {
        List<AutoCloseable> closing = new ArrayList<>();
        closing.add(cluster);
        closing.add(consumer);
        closing.add(kafka);
        closing.add(rabbit);
        closing.add(http);
        closing.add(sftp);
        closing.add(() -> StoreDatabases.dropPostgres(warehouseUrl));
        closing.add(() -> StoreDatabases.dropPostgres(storeUrl));
        Exception first = null;
        for (AutoCloseable part : closing) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Test
    void threeInstancesSurviveAKilledImporterAKilledDeliveryAndARollingRestartWithEveryRowDeliveredAndNoFileTwice()
            throws Exception {
        began = Instant.now();
        Set<String> accepted = writeFiles();
        accepted.addAll(fillTable());
        Set<String> sampled = sampled(accepted);
        Map<String, String> config = config();
        store = new StoreRows(config);
        cluster = new Cluster("cluster-" + backbone(), dir, config);
        try {
            scenario(accepted, sampled);
        } catch (Exception | AssertionError e) {
            System.out.println("Logs of the instances:\n" + cluster.logs());
            throw findings.with(e);
        }
        assertThatNothingWasFound();
    }

    private void scenario(Set<String> accepted, Set<String> sampled) throws Exception {
        // 0. three instances on one store, started side by side; each sees the three
        cluster.startAll("relay-1", "relay-2", "relay-3");
        progress("three instances up");
        boolean listed = cluster.view().isPresent();
        if (!listed) {
            findings.check(false, "every instance lists the live instances: " + cluster.describeView());
        } else {
            softAwait("GET /api/instances to list relay-1, relay-2 and relay-3 as live", TAKEOVER,
                    cluster::liveIds, ids -> ids.containsAll(List.of("relay-1", "relay-2", "relay-3")));
            softAwait(hookOwnersPromise() + " (GET /api/instances owns.hooks)", TAKEOVER, cluster::hookOwners,
                    this::hookOwnersKept);
        }

        // 1. run-now of the import and of the sync sent to all three at once: one run each, two refusals each
        Started importRun = runNowOnAll(IMPORT);
        Started syncRun = runNowOnAll(SYNC);
        progress("run-now on all three: import run " + importRun.runId() + " on " + importRun.acceptedBy()
                + ", sync run " + syncRun.runId() + " on " + syncRun.acceptedBy());

        // 2. SIGKILL of the instance that is importing, with some of the files imported and not all
        long importedAtKill = RelayUnderTest.await("the import to have imported 2 of " + FILES + " files",
                Duration.ofMinutes(2), this::importedFiles, n -> n >= 2);
        RelayProcess importer = owner(() -> cluster.ownerOfRun(importRun.runId()),
                "GET /api/instances names the instance that executes run " + importRun.runId() + " (owns.runs)",
                cluster.instance(importRun.acceptedBy()));
        importer.kill();
        long afterKill = importedFiles();
        progress("killed " + cluster.idOf(importer) + ", the importer, with " + afterKill + " of " + FILES
                + " files imported");
        if (afterKill >= FILES) {
            throw new AssertionError("the import had ended when its instance was killed (" + importedAtKill
                    + " files at the probe): make the files bigger, the kill must come in the middle of the import");
        }
        String killedImporter = cluster.idOf(importer);
        boolean takenOver = softAwait("a live instance to take over the import of the killed " + killedImporter
                + " within " + TAKEOVER.toSeconds() + " s (lease " + LEASE_SECONDS + " s + a poll): more files"
                + " imported than " + afterKill, TAKEOVER, this::importedFiles, n -> n > afterKill);
        if (!takenOver) {
            // noted above; a spare instance starts, as a supervisor would start one, so the rest still gets tested
            cluster.start("relay-spare");
            progress("started relay-spare, since no live instance took the import over");
        }
        if (listed) {
            softAwait("GET /api/instances to drop the killed " + killedImporter + " once its lease expired",
                    TAKEOVER, cluster::liveIds, ids -> !ids.contains(killedImporter));
        }

        // 3. SIGKILL of the instance delivering the HTTP hook, with 30% of the rows at the receiver
        RelayUnderTest.await("the HTTP receiver to hold 30% of the rows", Duration.ofMinutes(3), () -> {
            drain();
            return atHttp.rows();
        }, rows -> rows >= accepted.size() * 3 / 10);
        RelayProcess deliverer = owner(() -> cluster.ownersOfHook(HTTP_HOOK).stream().findFirst(),
                "GET /api/instances names the instance that delivers " + HTTP_HOOK + " (owns.hooks)",
                cluster.anyAlive());
        deliverer.kill();
        drain();
        int httpAtKill = atHttp.rows();
        progress("killed " + cluster.idOf(deliverer) + ", the deliverer of " + HTTP_HOOK);
        findings.check(httpAtKill < accepted.size(), "the kill of the deliverer came before the HTTP receiver had"
                + " every row (it had " + httpAtKill + " of " + accepted.size() + "): slow the hooks down");
        softAwait("a live instance to take over " + HTTP_HOOK + " of the killed " + cluster.idOf(deliverer)
                + " within " + TAKEOVER.toSeconds() + " s: more rows at the HTTP receiver than " + httpAtKill,
                TAKEOVER, () -> {
                    drain();
                    return atHttp.rows();
                }, rows -> rows > httpAtKill || rows >= accepted.size());

        // 4. rolling restart during delivery: a new instance starts, then an old one stops gracefully
        cluster.start("relay-4");
        progress("relay-4 up");
        RelayProcess old = cluster.instance(cluster.alive().stream().filter(id -> !id.equals("relay-4"))
                .min(java.util.Comparator.comparing((String id) -> id.equals("relay-spare")))
                .orElseThrow(() -> new AssertionError("no old instance is left to stop")));
        drain();
        int httpAtStop = atHttp.rows();
        old.stop();
        progress("stopped " + cluster.idOf(old) + " gracefully");
        findings.check(httpAtStop < accepted.size(), "the rolling restart came during delivery (the HTTP receiver"
                + " had " + httpAtStop + " of " + accepted.size() + " rows when the old instance stopped)");

        // 5. the rest is delivered
        RelayUnderTest.await("every receiver to hold every accepted row", Duration.ofMinutes(4), () -> {
            drain();
            return List.of(atHttp.rows(), atKafka.rows(), atRabbit.rows());
        }, rows -> rows.get(0) >= accepted.size() && rows.get(1) >= accepted.size()
                && rows.get(2) >= sampled.size());
        progress("every receiver has every row");
        checkReceivers(accepted, sampled);
        checkStore();
        checkBackbone(accepted.size());
        System.out.printf("Cluster test (%s backbone): %d accepted rows (%d sampled for RabbitMQ); duplicates http %d,"
                        + " kafka %d, rabbitmq %d; %d s in all%n", backbone(), accepted.size(), sampled.size(),
                atHttp.duplicates(), atKafka.duplicates(), atRabbit.duplicates(),
                Duration.between(began, Instant.now()).toSeconds());
    }

    private void checkReceivers(Set<String> accepted, Set<String> sampled) {
        for (Arrivals arrivals : List.of(atHttp, atKafka, atRabbit)) {
            findings.check(arrivals.defects().isEmpty(), "duplicates only as identical events under one event_id at "
                    + arrivals + ": " + arrivals.defects());
        }
        // one instance sends a page: copies come only from a retry after a kill, a stop or a takeover
        findings.check(atHttp.duplicates() <= BATCHES_AGAIN * HTTP_BATCH, "a page is sent by one instance: at most "
                + BATCHES_AGAIN + " batches of " + HTTP_BATCH + " again at the HTTP receiver, not " + atHttp.duplicates()
                + " copies (" + atHttp + ")");
        for (Arrivals arrivals : List.of(atKafka, atRabbit)) {
            findings.check(arrivals.duplicates() <= BATCHES_AGAIN * BATCH, "a page is sent by one instance: at most "
                    + BATCHES_AGAIN + " steps of " + BATCH + " again at " + arrivals + ", not " + arrivals.duplicates()
                    + " copies");
        }
        findings.check(atHttp.rowKeys().equals(accepted), "the HTTP receiver holds exactly the accepted rows"
                + difference(accepted, atHttp.rowKeys()));
        findings.check(atKafka.rowKeys().equals(accepted), "the Kafka topic holds exactly the accepted rows"
                + difference(accepted, atKafka.rowKeys()));
        findings.check(atRabbit.rowKeys().equals(sampled), "the RabbitMQ queue holds exactly the sampled rows"
                + difference(sampled, atRabbit.rowKeys()));
        findings.check(batchDefects.isEmpty(), "a batch id is sent with the same events every time, by whichever"
                + " instance: " + batchDefects);
        findings.check(batchesAgain <= BATCHES_AGAIN, "a page is sent by one instance: at most " + BATCHES_AGAIN
                + " HTTP batches arrive again (a retry after a kill, a stop or a takeover), not " + batchesAgain
                + " of " + eventsOfBatch.size() + " batches");
    }

    private void checkStore() throws Exception {
        List<String> twice = store.column("SELECT f.file_name || ' (' || COUNT(*) || ' times)' FROM run_file f"
                + " JOIN import_run r ON r.id = f.run_id WHERE r.import_name = ? AND f.status = 'Imported'"
                + " GROUP BY f.file_name HAVING COUNT(*) > 1", IMPORT);
        findings.check(twice.isEmpty(), "no file imported twice (run_file): " + twice);
        findings.check(importedFiles() == FILES, "every file imported: " + importedFiles() + " of " + FILES
                + " file names have an Imported run_file");
        long ledger = store.count("SELECT COUNT(*) FROM file_ledger WHERE import_name = ?", IMPORT);
        findings.check(ledger == FILES, "the file ledger holds each of the " + FILES + " files once: " + ledger);
        boolean ended = softAwait("no run left Fetching or Processing", Duration.ofSeconds(30),
                () -> store.column("SELECT import_name || ' ' || id || ' ' || fetch_status || '/' ||"
                        + " COALESCE(processing_status, '-') FROM import_run WHERE fetch_status = 'Fetching'"
                        + " OR processing_status = 'Processing'"), List::isEmpty);
        findings.check(ended, "every run ended (none left Fetching or Processing)");
        findings.check(cluster.anyAlive().getJson("/api/dead-letters").get("dead_letters").isEmpty(),
                "no dead letters");
    }

    /**
     * The instance the cluster names (waiting up to {@link #OWNER_SHOWN} while {@code GET /api/instances} answers);
     * else a note that it did not, and {@code fallback}.
     */
    private RelayProcess owner(RelayUnderTest.Probe<Optional<RelayProcess>> named, String what, RelayProcess fallback)
            throws Exception {
        Optional<RelayProcess> found = named.get();
        if (found.isEmpty() && cluster.view().isPresent()) {
            try {
                found = RelayUnderTest.await("the owner to show", OWNER_SHOWN, named, Optional::isPresent);
            } catch (AssertionError notShown) {
                found = Optional.empty();
            }
        }
        if (found.isPresent()) {
            return found.get();
        }
        findings.check(false, what + "; " + cluster.describeView() + " — the test kills "
                + cluster.idOf(fallback) + " instead");
        return fallback;
    }

    /** The run a run-now sent to every live instance at once started, and the instance that accepted it. */
    record Started(String runId, String acceptedBy) {
    }

    private Started runNowOnAll(String name) throws Exception {
        List<String> ids = cluster.alive();
        CyclicBarrier together = new CyclicBarrier(ids.size());
        ExecutorService senders = Executors.newFixedThreadPool(ids.size());
        Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
        try {
            Map<String, Future<HttpResponse<String>>> sent = new LinkedHashMap<>();
            for (String id : ids) {
                RelayProcess instance = cluster.instance(id);
                sent.put(id, senders.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return instance.post("/api/imports/" + name + "/run");
                }));
            }
            for (Map.Entry<String, Future<HttpResponse<String>>> answer : sent.entrySet()) {
                answers.put(answer.getKey(), answer.getValue().get(60, TimeUnit.SECONDS));
            }
        } finally {
            senders.shutdownNow();
        }
        List<String> acceptedBy = answers.entrySet().stream().filter(a -> a.getValue().statusCode() == 202)
                .map(Map.Entry::getKey).toList();
        long refused = answers.values().stream().filter(a -> a.statusCode() == 409).count();
        StringBuilder seen = new StringBuilder();
        answers.forEach((id, a) -> seen.append(' ').append(id).append(": ").append(a.statusCode()).append(' ')
                .append(a.body()).append(';'));
        findings.check(acceptedBy.size() == 1 && refused == ids.size() - 1, "run-now of " + name + " sent to "
                + ids.size() + " instances at once starts one run and the others answer 409:" + seen);
        if (acceptedBy.isEmpty()) {
            throw new AssertionError("no instance started a run of " + name + ":" + seen);
        }
        String runId = JSON.readTree(answers.get(acceptedBy.get(0)).body()).get("run_id").asText();
        return new Started(runId, acceptedBy.get(0));
    }

    /** How many of the files have an Imported run_file, by whichever run. */
    private long importedFiles() throws Exception {
        return store.count("SELECT COUNT(DISTINCT f.file_name) FROM run_file f JOIN import_run r ON r.id = f.run_id"
                + " WHERE r.import_name = ? AND f.status = 'Imported'", IMPORT);
    }

    /** Waits as {@link RelayUnderTest#await} does; a timeout is a finding, not the end of the test. */
    private <T> boolean softAwait(String what, Duration timeout, RelayUnderTest.Probe<T> probe,
                                  java.util.function.Predicate<T> done) throws Exception {
        try {
            RelayUnderTest.await(what, timeout, probe, done);
            return true;
        } catch (AssertionError timedOut) {
            findings.check(false, timedOut.getMessage());
            return false;
        }
    }

    private void assertThatNothingWasFound() {
        if (!findings.all().isEmpty()) {
            throw new AssertionError("the cluster broke " + findings.all().size() + " promise(s):\n" + findings
                    + "\nlogs: target/fault-tests/cluster-" + backbone() + "-*.log");
        }
    }

    private static String difference(Set<String> expected, Set<String> got) {
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(got);
        Set<String> extra = new HashSet<>(got);
        extra.removeAll(expected);
        return missing.isEmpty() && extra.isEmpty() ? "" : " (missing " + missing.size() + ", e.g. "
                + missing.stream().limit(5).toList() + "; unexpected " + extra.size() + ", e.g. "
                + extra.stream().limit(5).toList() + ")";
    }

    void progress(String what) {
        System.out.printf("%4d s: %s; %s, %s, %s%n", Duration.between(began, Instant.now()).toSeconds(), what,
                atHttp, atKafka, atRabbit);
    }

    private Map<String, String> config() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("relay.store.url", storeUrl);
        config.put("relay.store.user", StoreDatabases.POSTGRES_USER);
        config.put("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
        config.put("relay.store.pool-size", "6");
        config.put("relay.instance.lease-seconds", String.valueOf(LEASE_SECONDS));
        config.putAll(backboneConfig());
        config.put("relay.hook.all-events.enabled", "false");
        config.putAll(sftp.importConfig(IMPORT, LoginDrops.CHANNEL, "ed25519"));
        config.put("relay.import." + IMPORT + ".schedule", "0 0 0 1 1 ? 2099");
        String sync = "relay.sync." + SYNC + ".";
        config.put(sync + "jdbc.url", warehouseUrl);
        config.put(sync + "jdbc.user", StoreDatabases.POSTGRES_USER);
        config.put(sync + "jdbc.password", StoreDatabases.POSTGRES_PASSWORD);
        config.put(sync + "table", "cluster_events");
        config.put(sync + "schedule", "0 0 0 1 1 ? 2099");
        config.put(sync + "page-size", "500");
        config.put(sync + "mapping.event-date", "event_ts");
        config.put(sync + "mapping.event-type", "metric_name");
        config.put(sync + "mapping.email", "email");
        config.put(sync + "mapping.changed-at", "updated_at");
        config.put(sync + "mapping.unique-id", "event_uid");
        String rate = String.valueOf(EVENTS_PER_SECOND);
        hook(config, HTTP_HOOK, "http", Map.of("http.url", http.url(), "batch.max-events", String.valueOf(HTTP_BATCH),
                "rate.events-per-second", rate));
        hook(config, KAFKA_HOOK, "kafka", Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                "kafka.topic", HOOK_TOPIC, "rate.events-per-second", rate));
        hook(config, RABBIT_HOOK, "rabbitmq-queue", Map.of("rabbitmq.queue", queue,
                "filter.property.sample.equals", "rabbit"));
        return config;
    }

    private static void hook(Map<String, String> config, String name, String destination, Map<String, String> own) {
        String prefix = "relay.hook." + name + ".";
        config.put(prefix + "destination", destination);
        config.put(prefix + "batch.max-events", String.valueOf(BATCH));
        config.put(prefix + "retry.times", "20");
        config.put(prefix + "retry.period.seconds", "1");
        own.forEach((key, value) -> config.put(prefix + key, value));
    }

    /** Yesterday's {@value #FILES} files of logins, rows numbered across them; returns the valid rows. */
    private Set<String> writeFiles() throws Exception {
        Set<String> valid = new HashSet<>();
        for (int n = 1; n <= FILES; n++) {
            valid.addAll(LoginDrops.write(sftp.root().resolve(LoginDrops.name(n)), (n - 1) * FILE_ROWS + 1,
                    n * FILE_ROWS, INVALID_FILE_ROW_EVERY));
        }
        return valid;
    }

    /** Fills the warehouse table; every 499th row has a purely numeric event type. Returns the valid rows. */
    private Set<String> fillTable() throws Exception {
        try (Connection c = DriverManager.getConnection(warehouseUrl, StoreDatabases.POSTGRES_USER,
                StoreDatabases.POSTGRES_PASSWORD); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE cluster_events (event_uid VARCHAR(36) PRIMARY KEY, email VARCHAR(100) NOT NULL,
                      metric_name VARCHAR(64) NOT NULL, event_ts TIMESTAMPTZ NOT NULL,
                      updated_at TIMESTAMPTZ NOT NULL, sample VARCHAR(10) NOT NULL)""");
            s.execute("INSERT INTO cluster_events SELECT md5('w' || i)::uuid::text, 'w-' || i || '@example.com',"
                    + " CASE WHEN i % " + INVALID_TABLE_ROW_EVERY + " = 0 THEN '12345' ELSE 'Visit' END,"
                    + " TIMESTAMPTZ '2026-11-20 00:00:00+00' + i * INTERVAL '1 second',"
                    + " TIMESTAMPTZ '2026-11-21 00:00:00+00' + (i / 3) * INTERVAL '1 second',"
                    + " CASE WHEN i % " + LoginDrops.SAMPLE_EVERY + " = 0 THEN 'rabbit' ELSE 'other' END"
                    + " FROM generate_series(1, " + TABLE_ROWS + ") AS i");
        }
        Set<String> valid = new HashSet<>();
        for (int i = 1; i <= TABLE_ROWS; i++) {
            if (i % INVALID_TABLE_ROW_EVERY != 0) {
                valid.add("w-" + i + "@example.com");
            }
        }
        return valid;
    }

    /** The rows the RabbitMQ hook's filter lets through (sample = rabbit). */
    private static Set<String> sampled(Set<String> accepted) {
        Set<String> sampled = new HashSet<>();
        for (String key : accepted) {
            if (LoginDrops.sampled(Integer.parseInt(key.replaceAll("^[cw]-|@example\\.com$", "")))) {
                sampled.add(key);
            }
        }
        return sampled;
    }

    /** Takes what each receiver got since the last call. */
    void drain() throws Exception {
        for (TestHttpReceiver.Request request : http.take()) {
            JsonNode batch = JSON.readTree(request.body());
            List<String> ids = new ArrayList<>();
            for (JsonNode event : batch.get("events")) {
                atHttp.add(event);
                ids.add(event.path("event_id").asText());
            }
            String batchId = batch.path("batch_id").asText();
            List<String> first = eventsOfBatch.putIfAbsent(batchId, ids);
            if (first != null) {
                batchesAgain++;
            }
            if (first != null && !first.equals(ids) && batchDefects.size() < 10) {
                batchDefects.add("batch " + batchId + " came with " + first.size() + " events, then with "
                        + ids.size() + " others");
            }
        }
        // a bounded number of polls: a topic that keeps filling must not hold the caller's deadline back
        for (int polls = 0; polls < 20; polls++) {
            var records = consumer.poll(Duration.ofMillis(50));
            if (records.isEmpty()) {
                break;
            }
            for (ConsumerRecord<String, String> record : records) {
                atKafka.add(record.value());
            }
        }
        for (RabbitAdmin.Received message : rabbit.take(queue)) {
            atRabbit.add(message.body());
        }
    }
}
