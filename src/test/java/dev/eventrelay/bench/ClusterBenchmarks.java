package dev.eventrelay.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayProcess;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestSftpServer;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cluster benchmark (issue 13): events per second delivered end to end by 1, 2 and 3 instances of the real jar,
 * each its own JVM ({@code -Xmx256m}, {@link RelayProcess}), on one PostgreSQL store, on each backbone (the store's
 * event log; a Kafka topic of 3 partitions on a KRaft broker in this JVM). Per backbone the instances join one by
 * one; after each join a drop of {@value #FILES} files ({@code rows} rows in all) is imported, and the time runs
 * from {@code POST /api/imports/default/run} until each of {@value #HOOKS} HTTP hooks (each to its own receiver in
 * this JVM) has delivered every event of the drop (end to end); then a second drop is imported with the hooks
 * paused, and the time runs from their resume to the last event (delivery alone). events/s = rows × hooks ÷ that
 * time; the ratio is against one instance on the same backbone. Before each measure the benchmark waits (at most {@code 3 × lease + 10 s}) until
 * {@code GET /api/instances} lists every instance and the hooks have owners on more than one instance, and says
 * when they never did.
 */
final class ClusterBenchmarks {

    static final int HOOKS = 3;
    static final int FILES = 6;
    static final int MAX_INSTANCES = 3;
    static final int LEASE_SECONDS = 5;
    private static final Pattern EVENT_ID = Pattern.compile("\"event_id\":\"([^\"]+)\"");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterBenchmarks() {
    }

    /** One measure: a backbone, how many instances ran, the events delivered and the time it took. */
    record Row(String backbone, int instances, long events, long nanos, double importSeconds, long deliveryNanos,
               String note) {
        /** End to end: run-now to the last event, import and delivery overlapping. */
        double perSecond() {
            return events / Benchmarks.seconds(nanos);
        }

        /** Delivery alone: the hooks resumed over a drop imported while they were paused, to the last event. */
        double deliveredPerSecond() {
            return events / Benchmarks.seconds(deliveryNanos);
        }
    }

    /** Every measure of both backbones, in order (a backbone that failed has fewer rows and a note). */
    static List<Row> run(Path work, long rows) throws Exception {
        if (!Files.isRegularFile(RelayProcess.JAR)) {
            throw new IllegalStateException(RelayProcess.JAR + " is missing: the cluster measure runs the jar; bin/bench"
                    + " packages it when measures names cluster (mvn -q package -DskipTests)");
        }
        List<Row> measured = new ArrayList<>();
        for (String backbone : List.of("store", "kafka")) {
            System.out.printf(Locale.ROOT, "Cluster (%s backbone): %,d rows per drop, %d hooks, 1 to %d instances ...%n",
                    backbone, rows, HOOKS, MAX_INSTANCES);
            measured.addAll(backbone(work.resolve("cluster-" + backbone), backbone, rows));
        }
        return measured;
    }

    private static List<Row> backbone(Path dir, String backbone, long rows) throws Exception {
        Files.createDirectories(dir);
        List<Row> measured = new ArrayList<>();
        List<TestHttpReceiver> receivers = new ArrayList<>();
        List<Set<String>> delivered = new ArrayList<>();
        List<RelayProcess> instances = new ArrayList<>();
        String store = StoreDatabases.newPostgres();
        TestKafkaBroker kafka = null;
        try (TestSftpServer sftp = new TestSftpServer(dir.resolve("sftp"))) {
            Map<String, String> config = new LinkedHashMap<>(sftp.importConfig(Benchmarks.IMPORT, Benchmarks.CHANNEL,
                    "ed25519"));
            config.put("relay.import." + Benchmarks.IMPORT + ".schedule", "0 0 0 1 1 ? 2099");
            config.put("relay.store.url", store);
            config.put("relay.store.user", StoreDatabases.POSTGRES_USER);
            config.put("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
            config.put("relay.store.pool-size", "6");
            config.put("relay.instance.lease-seconds", String.valueOf(LEASE_SECONDS));
            config.put("relay.hook.all-events.enabled", "false");
            config.put("relay.event-type." + Benchmarks.EVENT_CODE + ".name", "Purchase");
            config.put("relay.event-type." + Benchmarks.EVENT_CODE + ".attributes", Benchmarks.CsvGenerator.ATTRIBUTES);
            config.put("relay.backbone.kind", backbone);
            if (backbone.equals("kafka")) {
                kafka = TestKafkaBroker.start(Map.of());
                config.put("relay.backbone.kafka.bootstrap-servers", kafka.bootstrapServers());
                config.put("relay.backbone.kafka.topic", "relay-events");
                config.put("relay.backbone.kafka.partitions", "3");
                config.put("relay.backbone.kafka.replication-factor", "1");
            }
            for (int h = 1; h <= HOOKS; h++) {
                TestHttpReceiver receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
                receivers.add(receiver);
                delivered.add(new HashSet<>());
                String prefix = "relay.hook.bench-cluster-" + h + ".";
                config.put(prefix + "destination", "http");
                config.put(prefix + "http.url", receiver.url());
                config.put(prefix + "batch.max-events", "500");
            }
            long perFile = Math.max(1, rows / FILES);
            for (int n = 1; n <= MAX_INSTANCES; n++) {
                RelayProcess instance = new RelayProcess("bench-cluster-" + backbone + "-relay-" + n, dir,
                        withId(config, "relay-" + n));
                instances.add(instance);
                instance.start();
                if (n == 1) {
                    System.out.println("  warm-up drop (untimed) ...");
                    drop(sftp, instances, receivers, delivered, 0, perFile);
                }
                String note = awaitSpread(instances, n);
                Timed endToEnd = drop(sftp, instances, receivers, delivered, n, perFile);
                long deliveryNanos = pausedDrop(sftp, instances, receivers, delivered, 10 + n, perFile);
                Row row = new Row(backbone, n, endToEnd.events(), endToEnd.nanos(), endToEnd.importSeconds(),
                        deliveryNanos, note);
                measured.add(row);
                System.out.printf(Locale.ROOT, "  %d instance(s): %,.0f events/s end to end (%.1f s), %,.0f events/s"
                                + " delivery alone (%.1f s)%s%n", n, row.perSecond(), Benchmarks.seconds(row.nanos()),
                        row.deliveredPerSecond(), Benchmarks.seconds(deliveryNanos), note.isEmpty() ? "" : "; " + note);
            }
        } catch (Exception | AssertionError e) {
            measured.add(new Row(backbone, instances.size(), 0, 1, -1, 1, "FAILED: " + e.getMessage()));
            System.out.println("  FAILED: " + e.getMessage() + " (logs: target/fault-tests/bench-cluster-" + backbone
                    + "-*.log)");
        } finally {
            for (RelayProcess instance : instances) {
                instance.stop();
            }
            receivers.forEach(TestHttpReceiver::close);
            if (kafka != null) {
                kafka.close();
            }
            StoreDatabases.dropPostgres(store);
        }
        return measured;
    }

    /**
     * Delivery alone: drop {@code tag} is imported while every hook is paused ({@code POST /api/hooks/{name}/pause}),
     * then the hooks are resumed and the time runs until every receiver has every event of the drop.
     */
    private static long pausedDrop(TestSftpServer sftp, List<RelayProcess> instances, List<TestHttpReceiver> receivers,
                                   List<Set<String>> delivered, int tag, long perFile) throws Exception {
        RelayProcess any = instances.get(0);
        for (int h = 1; h <= HOOKS; h++) {
            expect(any.post("/api/hooks/bench-cluster-" + h + "/pause?reason=benchmark"), 200);
        }
        writeDrop(sftp, tag, perFile);
        String runId = any.runNow(Benchmarks.IMPORT);
        RelayUnderTest.await("the paused drop's import to end", Duration.ofMinutes(15), () -> ended(any, runId),
                done -> done);
        count(receivers, delivered);
        long target = delivered.get(0).size() + perFile * FILES;
        long start = System.nanoTime();
        for (int h = 1; h <= HOOKS; h++) {
            expect(any.post("/api/hooks/bench-cluster-" + h + "/resume"), 200);
        }
        RelayUnderTest.await(instances.size() + " instance(s) to deliver the paused drop", Duration.ofMinutes(15), () -> {
            count(receivers, delivered);
            return delivered.stream().mapToLong(Set::size).min().orElse(0);
        }, least -> least >= target);
        return System.nanoTime() - start;
    }

    private static void expect(HttpResponse<String> answer, int status) {
        if (answer.statusCode() != status) {
            throw new IllegalStateException("the ops API answered " + answer.statusCode() + ": " + answer.body());
        }
    }

    private static void writeDrop(TestSftpServer sftp, int tag, long perFile) throws Exception {
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        String day = yesterday.format(DateTimeFormatter.BASIC_ISO_DATE);
        for (int f = 1; f <= FILES; f++) {
            Benchmarks.CsvGenerator.write(sftp.root().resolve(Benchmarks.CHANNEL + "-" + Benchmarks.EVENT_CODE + "-"
                    + day + "-" + (tag * 100 + f) + ".csv"), perFile, yesterday);
        }
    }

    /** A timed drop: from run-now to the last event at every receiver. */
    private record Timed(int instances, long events, long nanos, double importSeconds) {
    }

    /** Puts drop {@code tag} ({@value #FILES} files of {@code perFile} rows) on the server and times its delivery. */
    private static Timed drop(TestSftpServer sftp, List<RelayProcess> instances, List<TestHttpReceiver> receivers,
                              List<Set<String>> delivered, int tag, long perFile) throws Exception {
        writeDrop(sftp, tag, perFile);
        count(receivers, delivered);
        long target = delivered.get(0).size() + perFile * FILES;
        long start = System.nanoTime();
        String runId = instances.get(0).runNow(Benchmarks.IMPORT);
        double[] importSeconds = {-1};
        RelayUnderTest.await(instances.size() + " instance(s) to deliver " + perFile * FILES + " events to each of "
                + HOOKS + " hooks", Duration.ofMinutes(15), () -> {
            count(receivers, delivered);
            if (importSeconds[0] < 0 && ended(instances.get(0), runId)) {
                importSeconds[0] = Benchmarks.seconds(System.nanoTime() - start);
            }
            return delivered.stream().mapToLong(Set::size).min().orElse(0);
        }, least -> least >= target);
        return new Timed(instances.size(), perFile * FILES * HOOKS, System.nanoTime() - start, importSeconds[0]);
    }

    private static Map<String, String> withId(Map<String, String> config, String id) {
        Map<String, String> own = new LinkedHashMap<>(config);
        own.put("relay.instance.id", id);
        return own;
    }

    /**
     * Waits until {@code GET /api/instances} lists {@code n} live instances and, with more than one, the hooks are
     * owned on more than one instance; returns what did not happen (empty when all did).
     */
    private static String awaitSpread(List<RelayProcess> instances, int n) throws Exception {
        HttpResponse<String> first = instances.get(0).get("/api/instances");
        if (first.statusCode() != 200) {
            return "GET /api/instances answered " + first.statusCode() + ": every instance runs every hook";
        }
        try {
            RelayUnderTest.await(n + " live instances with the hooks spread", Duration.ofSeconds(LEASE_SECONDS * 3L + 10),
                    () -> JSON.readTree(instances.get(0).get("/api/instances").body()).path("instances"),
                    list -> list.size() >= n && (n == 1 || owning(list) > 1));
            return "";
        } catch (AssertionError notSpread) {
            return "hooks not spread: " + notSpread.getMessage();
        }
    }

    private static long owning(JsonNode list) {
        long owning = 0;
        for (JsonNode instance : list) {
            if (!instance.path("owns").path("hooks").isEmpty()) {
                owning++;
            }
        }
        return owning;
    }

    private static boolean ended(RelayProcess instance, String runId) throws Exception {
        JsonNode run = instance.getJson("/api/runs/" + runId);
        String status = run.path("processing_status").asText();
        return status.equals("Processed") || status.equals("Failed");
    }

    /** Adds the event ids each receiver got since the last call to its set. */
    private static void count(List<TestHttpReceiver> receivers, List<Set<String>> delivered) {
        for (int i = 0; i < receivers.size(); i++) {
            for (TestHttpReceiver.Request request : receivers.get(i).take()) {
                Matcher ids = EVENT_ID.matcher(request.body());
                while (ids.find()) {
                    delivered.get(i).add(ids.group(1));
                }
            }
        }
    }

    /**
     * The cluster table: one row per backbone and number of instances, events/s and the ratio to one instance on the
     * same backbone, then how it was measured and what each measure saw.
     */
    static String table(List<Row> rows, long rowsPerDrop) {
        StringBuilder out = new StringBuilder();
        out.append("| backbone | instances | events | end to end | ratio to 1 | delivery alone | ratio to 1 |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|\n");
        for (Row row : rows) {
            if (row.note().startsWith("FAILED")) {
                out.append(String.format(Locale.ROOT, "| %s | %d | FAILED | – | – | – | – |%n", row.backbone(),
                        row.instances()));
                continue;
            }
            Row one = rows.stream().filter(r -> r.backbone().equals(row.backbone()) && r.instances() == 1
                    && !r.note().startsWith("FAILED")).findFirst().orElse(null);
            out.append(String.format(Locale.ROOT, "| %s | %d | %,d | %,.0f events/s (%.1f s) | %s | %,.0f events/s"
                            + " (%.1f s) | %s |%n", row.backbone(), row.instances(), row.events(), row.perSecond(),
                    Benchmarks.seconds(row.nanos()), one == null ? "–"
                            : String.format(Locale.ROOT, "%.2f", row.perSecond() / one.perSecond()),
                    row.deliveredPerSecond(), Benchmarks.seconds(row.deliveryNanos()), one == null ? "–"
                            : String.format(Locale.ROOT, "%.2f", row.deliveredPerSecond() / one.deliveredPerSecond())));
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "- instances of the jar (each its own JVM, -Xmx256m) on one PostgreSQL"
                + " store join one by one; after each join two drops of %d files (%,d rows each) are imported."
                + " End to end: from POST /api/imports/default/run to the last event at each of %d HTTP receivers"
                + " (in the benchmark's JVM, distinct event ids counted), import and delivery overlapping. Delivery"
                + " alone: the second drop is imported with every hook paused, then the hooks are resumed and timed"
                + " to the last event. events = rows × hooks. One untimed drop warms the first instance up. Kafka"
                + " backbone: a KRaft broker in the benchmark's JVM, topic relay-events of 3 partitions. Lease %d s.%n",
                FILES, rowsPerDrop, HOOKS, LEASE_SECONDS));
        for (Row row : rows) {
            boolean failed = row.note().startsWith("FAILED");
            out.append(String.format(Locale.ROOT, "- %s backbone, %d instance(s): %s%s%n", row.backbone(),
                    row.instances(), failed ? "" : String.format(Locale.ROOT, "the end-to-end drop's import run"
                            + " ended after %s", row.importSeconds() < 0 ? "(not seen)"
                                    : String.format(Locale.ROOT, "%.1f s", row.importSeconds())),
                    row.note().isEmpty() ? "" : (failed ? "" : "; ") + row.note()));
        }
        out.append(String.format(Locale.ROOT, "- machine: %d CPUs, load average %.1f at the end.%n",
                Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        return out.toString();
    }
}
