package dev.eventrelay.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.eventrelay.support.RabbitAdmin;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestSftpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;

/**
 * The bounded soak: the real service in this JVM with one hook per destination — file, HTTP (a receiver in
 * this JVM), rabbitmq-queue (the broker on 127.0.0.1, its queue drained as it fills), kafka (a KRaft broker in
 * this JVM) — fed at a steady rate for the given minutes: every {@code interval.seconds} a CSV file of
 * {@code csv.rows} rows is dropped on the SFTP server (in this JVM) and imported, and {@code warehouse.rows}
 * rows are added to a PostgreSQL table and synced. Every {@code sample.seconds} it samples the heap in use
 * right after {@code System.gc()}, live threads, open file descriptors, sockets and established TCP
 * connections of the process, and prints the samples as a Markdown table with a verdict: flat when the mean of
 * the last third of the samples exceeds that of the first third by no more than the stated bounds. At the end
 * it waits until every accepted event has arrived at every destination and compares the counts. The state
 * store and the warehouse are two fresh PostgreSQL databases, dropped at the end.
 *
 * <p>Settings as {@code name=value} arguments or system properties (a bare number is {@code minutes}):
 * {@code minutes} (10), {@code interval.seconds} (15), {@code csv.rows} (2000), {@code warehouse.rows} (1000),
 * {@code sample.seconds} (30), {@code dir} (target/soak), {@code log} (WARN). Exits 1 when it is not flat or
 * an event is missing.
 */
public final class Soak {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYNC = "soak-warehouse";
    private static final String TOPIC = "soak-events";
    private static final int PARTITIONS = 3;

    /**
     * Flat means: the last third's mean exceeds the first third's by at most these (heap: MB or a share). A sample
     * also sees the threads and connections of runs under way; a leak of one per run (8 runs a minute by default)
     * exceeds the bounds within a few minutes.
     */
    static final long HEAP_BOUND_MB = 16;
    static final double HEAP_BOUND_RATIO = 0.20;
    static final long THREADS_BOUND = 8;
    static final long FDS_BOUND = 12;
    static final long TCP_BOUND = 4;

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.read(args);
        Benchmarks.quietLogs(settings.logLevel());
        int exit;
        try {
            exit = run(settings);
        } catch (Exception | AssertionError e) {
            System.err.println("soak failed: " + e);
            e.printStackTrace(System.err);
            exit = 1;
        }
        System.exit(exit);
    }

    /** The soak's settings. */
    record Settings(Duration duration, Duration interval, int csvRows, int warehouseRows, Duration sampleEvery,
                    Path dir, Level logLevel) {

        static Settings read(String[] args) {
            Map<String, String> values = new HashMap<>();
            List<String> names = List.of("minutes", "interval.seconds", "csv.rows", "warehouse.rows",
                    "sample.seconds", "dir", "log");
            for (String name : names) {
                String value = System.getProperty(name);
                if (value != null) {
                    values.put(name, value);
                }
            }
            for (String arg : args) {
                String a = arg.startsWith("--") ? arg.substring(2) : arg;
                int eq = a.indexOf('=');
                if (a.matches("[0-9]+")) {
                    values.put("minutes", a);
                } else if (eq > 0 && names.contains(a.substring(0, eq))) {
                    values.put(a.substring(0, eq), a.substring(eq + 1));
                } else {
                    throw new IllegalArgumentException("argument '" + arg + "' is neither a number of minutes nor"
                            + " name=value with a name of " + names);
                }
            }
            return new Settings(Duration.ofMinutes(positive(values, "minutes", 10)),
                    Duration.ofSeconds(positive(values, "interval.seconds", 15)),
                    (int) positive(values, "csv.rows", 2000), (int) positive(values, "warehouse.rows", 1000),
                    Duration.ofSeconds(positive(values, "sample.seconds", 30)),
                    Path.of(values.getOrDefault("dir", "target/soak")),
                    Level.toLevel(values.getOrDefault("log", "WARN"), Level.WARN));
        }

        private static long positive(Map<String, String> values, String name, long fallback) {
            String text = values.get(name);
            try {
                long value = text == null ? fallback : Long.parseLong(text.trim());
                if (value < 1) {
                    throw new NumberFormatException();
                }
                return value;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " must be a whole number of at least 1, not '" + text + "'");
            }
        }
    }

    private static int run(Settings settings) throws Exception {
        Path work = settings.dir().toAbsolutePath();
        Benchmarks.deleteTree(work);
        Files.createDirectories(work);
        String warehouse = StoreDatabases.newPostgres();
        String state = null;
        try {
            state = StoreDatabases.newPostgres();
            try (java.sql.Connection c = WarehouseBenchmarks.connect(warehouse); Statement s = c.createStatement()) {
                WarehouseBenchmarks.PosEventsTable.create(s);
                WarehouseBenchmarks.PosEventsTable.index(s);
            }
            boolean ok = soak(settings, work, warehouse, state);
            if (ok) {
                Benchmarks.deleteTree(work);
            } else {
                System.err.println("The work folder is kept for inspection: " + work);
            }
            return ok ? 0 : 1;
        } finally {
            drop(warehouse);
            if (state != null) {
                drop(state);
            }
        }
    }

    private static boolean soak(Settings settings, Path work, String warehouse, String state) throws Exception {
        Path outbox = work.resolve("outbox");
        try (TestSftpServer sftp = new TestSftpServer(Files.createDirectories(work.resolve("sftp")));
             TestHttpReceiver http = new TestHttpReceiver(RelayUnderTest.freePort()).start();
             TestKafkaBroker kafka = TestKafkaBroker.start(Map.of());
             RabbitAdmin rabbit = new RabbitAdmin();
             Arrivals arrivals = new Arrivals(outbox, http, kafka, rabbit.declareQueue(RabbitAdmin.uniqueName("soak")))) {
            kafka.createTopic(TOPIC, PARTITIONS);
            Map<String, String> config = new LinkedHashMap<>(sftp.importConfig(Benchmarks.IMPORT, Benchmarks.CHANNEL,
                    "ed25519"));
            config.put("relay.import." + Benchmarks.IMPORT + ".after-import", "delete");
            config.put("relay.event-type." + Benchmarks.EVENT_CODE + ".name", "Purchase");
            config.put("relay.event-type." + Benchmarks.EVENT_CODE + ".attributes", Benchmarks.CsvGenerator.ATTRIBUTES);
            config.put("relay.store.url", state);
            config.put("relay.store.user", StoreDatabases.POSTGRES_USER);
            config.put("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
            config.putAll(WarehouseBenchmarks.syncConfig(SYNC, warehouse));
            config.put("relay.hook." + Benchmarks.HOOK + ".file.folder", outbox.toString());
            config.put("relay.hook.soak-http.destination", "http");
            config.put("relay.hook.soak-http.http.url", http.url());
            config.put("relay.hook.soak-rabbitmq.destination", "rabbitmq-queue");
            config.put("relay.hook.soak-rabbitmq.rabbitmq.queue", arrivals.queue());
            config.put("relay.hook.soak-kafka.destination", "kafka");
            config.put("relay.hook.soak-kafka.kafka.topic", TOPIC);
            config.put("relay.hook.soak-kafka.kafka.bootstrap-servers", kafka.bootstrapServers());

            double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            try (RelayUnderTest relay = new RelayUnderTest(config).start()) {
                Feed feed = new Feed(relay, sftp.root(), work.resolve("staging"), warehouse, settings);
                List<Sample> samples = drive(settings, feed, arrivals);
                System.out.println("Feed stopped; waiting for the runs to end and every event to arrive ...");
                long accepted = feed.awaitRunsEnded(Duration.ofMinutes(5));
                boolean arrived = arrivals.await(accepted, Duration.ofMinutes(5));
                Sample last = Sample.take(-1, accepted, arrivals);
                System.out.println();
                System.out.print(report(settings, feed, samples, last, accepted, loadAtStart));
                Verdict verdict = Verdict.of(samples);
                System.out.println(verdict.line());
                String counts = counts(accepted, last);
                System.out.println(counts);
                return verdict.flat() && arrived && feed.rejected() == 0 && feed.failures().isEmpty();
            }
        }
    }

    /** Feeds at the steady rate and samples, until the duration is over; returns the samples. */
    private static List<Sample> drive(Settings settings, Feed feed, Arrivals arrivals) throws Exception {
        List<Sample> samples = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        long nextFeed = start;
        long nextSample = start + settings.sampleEvery().toNanos();
        System.out.printf(Locale.ROOT, "Soak: %d min, every %d s a CSV file of %,d rows and %,d warehouse rows,"
                        + " a sample every %d s%n", settings.duration().toMinutes(), settings.interval().toSeconds(),
                settings.csvRows(), settings.warehouseRows(), settings.sampleEvery().toSeconds());
        for (long now = start; now < end || nextSample <= end; now = System.nanoTime()) {
            if (now >= nextFeed && now < end) {
                feed.tick();
                nextFeed += settings.interval().toNanos();
            }
            if (now >= nextSample) {
                Sample sample = Sample.take((now - start) / 1_000_000_000L, feed.accepted(), arrivals);
                samples.add(sample);
                System.out.println("  " + sample.row());
                nextSample += settings.sampleEvery().toNanos();
            }
            long next = nextFeed < end ? Math.min(nextFeed, nextSample) : nextSample;
            LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
        }
        return samples;
    }

    /** The steady input: a CSV file on the SFTP server and rows in the warehouse table, each followed by a run. */
    static final class Feed {
        private final RelayUnderTest relay;
        private final Path sftpRoot;
        private final Path staging;
        private final String warehouse;
        private final Settings settings;
        private final LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        private final Map<String, JsonNode> runs = new LinkedHashMap<>();
        private final List<String> failures = new ArrayList<>();
        private int files;
        private long warehouseRows;
        private int busy;

        Feed(RelayUnderTest relay, Path sftpRoot, Path staging, String warehouse, Settings settings)
                throws IOException {
            this.relay = relay;
            this.sftpRoot = sftpRoot;
            this.staging = Files.createDirectories(staging);
            this.warehouse = warehouse;
            this.settings = settings;
        }

        /** Drops the next file, adds the next rows, and asks for a run of the import and of the sync. */
        void tick() throws Exception {
            files++;
            String name = Benchmarks.CHANNEL + "-" + Benchmarks.EVENT_CODE + "-"
                    + yesterday.format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + files + ".csv";
            Path file = staging.resolve(name);
            Benchmarks.CsvGenerator.write(file, settings.csvRows(), yesterday);
            Files.move(file, sftpRoot.resolve(name)); // whole, never half-written, into the served folder
            try (java.sql.Connection c = WarehouseBenchmarks.connect(warehouse); Statement s = c.createStatement()) {
                WarehouseBenchmarks.PosEventsTable.insert(s, warehouseRows + 1, warehouseRows + settings.warehouseRows(),
                        "now()");
            }
            warehouseRows += settings.warehouseRows();
            start(Benchmarks.IMPORT);
            start(SYNC);
        }

        private void start(String name) throws Exception {
            HttpResponse<String> started = relay.post("/api/imports/" + name + "/run");
            if (started.statusCode() == 202) {
                runs.put(JSON.readTree(started.body()).get("run_id").asText(), null);
            } else if (started.statusCode() == 409) {
                busy++; // the previous run is still under way; the next one takes what this one would have
            } else {
                failures.add("POST /api/imports/" + name + "/run answered " + started.statusCode() + ": "
                        + started.body());
            }
        }

        /** Events accepted so far by every run (those of runs under way count as far as they got). */
        long accepted() throws Exception {
            long accepted = 0;
            for (Map.Entry<String, JsonNode> run : runs.entrySet()) {
                JsonNode now = run.getValue();
                if (now == null) {
                    now = relay.getJson("/api/runs/" + run.getKey());
                    if (ended(now)) {
                        run.setValue(now);
                        if (!"Processed".equals(now.path("processing_status").asText())) {
                            failures.add("run " + run.getKey() + " ended " + now);
                        }
                    }
                }
                accepted += now.path("rows_processed").asLong();
            }
            return accepted;
        }

        long awaitRunsEnded(Duration timeout) throws Exception {
            RelayUnderTest.await("every run to end", timeout, () -> {
                accepted();
                return runs.containsValue(null);
            }, open -> !open);
            return accepted();
        }

        private static boolean ended(JsonNode run) {
            String status = run.path("processing_status").asText();
            return "Processed".equals(status) || "Failed".equals(status) || "Failed".equals(run.path("fetch_status").asText());
        }

        long rejected() {
            return runs.values().stream().filter(run -> run != null).mapToLong(run -> run.path("rows_errored").asLong())
                    .sum();
        }

        List<String> failures() {
            return failures;
        }

        long offered() {
            return (long) files * settings.csvRows() + warehouseRows;
        }

        int runs() {
            return runs.size();
        }

        int busy() {
            return busy;
        }
    }

    /** What each destination has received: outbox lines, HTTP events, RabbitMQ messages drained, Kafka records. */
    static final class Arrivals implements AutoCloseable {
        private final Benchmarks.OutboxLines outbox;
        private final TestHttpReceiver http;
        private final AtomicLong httpEvents = new AtomicLong();
        private final String queue;
        private final Connection rabbit;
        private final AtomicLong rabbitMessages = new AtomicLong();
        private final Admin kafka;

        Arrivals(Path outbox, TestHttpReceiver http, TestKafkaBroker broker, String queue) throws Exception {
            this.outbox = new Benchmarks.OutboxLines(Files.createDirectories(outbox));
            this.http = http;
            this.queue = queue;
            ConnectionFactory factory = new ConnectionFactory();
            factory.setHost(RabbitAdmin.HOST);
            factory.setPort(RabbitAdmin.PORT);
            this.rabbit = factory.newConnection("event-relay soak drain");
            Channel channel = rabbit.createChannel();
            channel.basicConsume(queue, true, (tag, delivery) -> rabbitMessages.incrementAndGet(), tag -> { });
            this.kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        }

        String queue() {
            return queue;
        }

        long file() throws IOException {
            return outbox.count();
        }

        long http() {
            httpEvents.addAndGet(DeliveryBenchmarks.countEvents(http.take()));
            return httpEvents.get();
        }

        long rabbitmq() {
            return rabbitMessages.get();
        }

        long kafka() throws Exception {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                latest.put(new TopicPartition(TOPIC, partition), OffsetSpec.latest());
            }
            return kafka.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values().stream()
                    .mapToLong(offsets -> offsets.offset()).sum();
        }

        /** Waits until every destination has at least {@code events}; false when the deadline passed first. */
        boolean await(long events, Duration timeout) throws Exception {
            try {
                RelayUnderTest.await(events + " events at every destination", timeout,
                        () -> Math.min(Math.min(file(), http()), Math.min(rabbitmq(), kafka())), least -> least >= events);
                return true;
            } catch (AssertionError timedOut) {
                System.err.println(timedOut.getMessage());
                return false;
            }
        }

        @Override
        public void close() throws Exception {
            kafka.close();
            rabbit.close();
        }
    }

    /** One sample of the process and the arrivals; {@code seconds} -1 marks the final one. */
    record Sample(long seconds, long accepted, long file, long http, long rabbitmq, long kafka, long heapAfterGc,
                  long threads, long fds, long sockets, long tcpEstablished) {

        static Sample take(long seconds, long accepted, Arrivals arrivals) throws Exception {
            ProcessGauges.Gauges gauges = ProcessGauges.read();
            return new Sample(seconds, accepted, arrivals.file(), arrivals.http(), arrivals.rabbitmq(), arrivals.kafka(),
                    gauges.heapAfterGc(), gauges.threads(), gauges.fds(), gauges.sockets(), gauges.tcpEstablished());
        }

        static String header() {
            return "| t | accepted | file | http | rabbitmq | kafka | heap after GC | threads | open fds | sockets"
                    + " | TCP established |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
        }

        String row() {
            return String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d | %,d | %s | %d | %d | %d | %d |",
                    seconds < 0 ? "end" : seconds / 60 + ":" + String.format(Locale.ROOT, "%02d", seconds % 60),
                    accepted, file, http, rabbitmq, kafka, Benchmarks.Table.mb(heapAfterGc), threads, fds, sockets,
                    tcpEstablished);
        }
    }

    /** The process's own gauges: heap after a full collection, live threads, file descriptors, sockets, TCP. */
    static final class ProcessGauges {

        record Gauges(long heapAfterGc, long threads, long fds, long sockets, long tcpEstablished) {
        }

        private ProcessGauges() {
        }

        static Gauges read() throws IOException {
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            long threads = ManagementFactory.getThreadMXBean().getThreadCount();
            Set<String> socketInodes = new HashSet<>();
            long fds = 0;
            try (Stream<Path> links = Files.list(Path.of("/proc/self/fd"))) {
                for (Path link : links.toList()) {
                    fds++;
                    try {
                        String target = Files.readSymbolicLink(link).toString();
                        if (target.startsWith("socket:[")) {
                            socketInodes.add(target.substring("socket:[".length(), target.length() - 1));
                        }
                    } catch (IOException closedMeanwhile) {
                        // the descriptor was closed between the listing and the read
                    }
                }
            }
            long tcp = established(Path.of("/proc/self/net/tcp"), socketInodes)
                    + established(Path.of("/proc/self/net/tcp6"), socketInodes);
            return new Gauges(heap, threads, fds, socketInodes.size(), tcp);
        }

        /** Established connections (state 01) in a /proc/net/tcp table whose socket inode is one of ours. */
        private static long established(Path table, Set<String> inodes) throws IOException {
            if (!Files.exists(table)) {
                return 0;
            }
            try (Stream<String> lines = Files.lines(table)) {
                return lines.skip(1).map(line -> line.trim().split("\\s+"))
                        .filter(f -> f.length > 9 && "01".equals(f[3]) && inodes.contains(f[9])).count();
            }
        }
    }

    /** Flat or not: the last third of the samples against the first third, gauge by gauge. */
    record Verdict(boolean flat, String line) {

        static Verdict of(List<Sample> samples) {
            if (samples.size() < 2) {
                return new Verdict(false, "verdict: too few samples (" + samples.size() + ") to compare; run longer");
            }
            int third = Math.max(1, samples.size() / 3);
            List<Sample> first = samples.subList(0, third);
            List<Sample> last = samples.subList(samples.size() - third, samples.size());
            StringBuilder line = new StringBuilder();
            boolean flat = true;
            double heapFirst = mean(first, Sample::heapAfterGc) / (1024 * 1024);
            double heapLast = mean(last, Sample::heapAfterGc) / (1024 * 1024);
            double heapBound = Math.max(HEAP_BOUND_MB, heapFirst * HEAP_BOUND_RATIO);
            flat &= heapLast - heapFirst <= heapBound;
            line.append(String.format(Locale.ROOT, "heap after GC %.0f → %.0f MB (bound +%.0f MB)", heapFirst, heapLast,
                    heapBound));
            flat &= gauge(line, "threads", first, last, Sample::threads, THREADS_BOUND);
            flat &= gauge(line, "open fds", first, last, Sample::fds, FDS_BOUND);
            flat &= gauge(line, "TCP established", first, last, Sample::tcpEstablished, TCP_BOUND);
            return new Verdict(flat, String.format(Locale.ROOT, "verdict: %s — mean of the last %d samples against"
                    + " the first %d: %s.", flat ? "FLAT" : "GROWING", third, third, line));
        }

        private static boolean gauge(StringBuilder line, String name, List<Sample> first, List<Sample> last,
                                     ToLongFunction<Sample> value, long bound) {
            double before = mean(first, value);
            double after = mean(last, value);
            line.append(String.format(Locale.ROOT, "; %s %.1f → %.1f (bound +%d)", name, before, after, bound));
            return after - before <= bound;
        }

        private static double mean(List<Sample> samples, ToLongFunction<Sample> value) {
            return samples.stream().mapToLong(value).average().orElse(0);
        }
    }

    private static String report(Settings settings, Feed feed, List<Sample> samples, Sample last, long accepted,
                                 double loadAtStart) {
        StringBuilder out = new StringBuilder(Sample.header());
        samples.forEach(sample -> out.append(sample.row()).append('\n'));
        out.append(last.row()).append('\n');
        out.append('\n');
        out.append(String.format(Locale.ROOT, "- feed: %d min, every %d s a CSV file of %,d rows (SFTP import) and"
                        + " %,d new warehouse rows (sync): %,d rows offered, %,d runs (run requests refused while the"
                        + " previous run was under way: %d), %,d events accepted, %,d rejected.%n",
                settings.duration().toMinutes(), settings.interval().toSeconds(), settings.csvRows(),
                settings.warehouseRows(), feed.offered(), feed.runs(), feed.busy(), accepted, feed.rejected()));
        out.append("- hooks: file, http (receiver in this JVM), rabbitmq-queue (broker on 127.0.0.1, drained),"
                + " kafka (KRaft broker in this JVM), all capturing every event; state store and warehouse: PostgreSQL"
                + " on 127.0.0.1.\n");
        out.append("- gauges of the whole JVM (service, SFTP server, HTTP receiver, Kafka broker): heap in use right"
                + " after System.gc(), live threads, entries of /proc/self/fd, sockets among them, and those of"
                + " /proc/self/net/tcp{,6} in state ESTABLISHED; end = after the feed stopped and every event arrived.\n");
        out.append(String.format(Locale.ROOT, "- machine: %d CPUs, load average %.1f at the start, %.1f at the end,"
                        + " Java %s, -Xmx %s.%n", Runtime.getRuntime().availableProcessors(), loadAtStart,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), System.getProperty("java.version"),
                Benchmarks.Table.mb(Runtime.getRuntime().maxMemory())));
        feed.failures().forEach(failure -> out.append("- FAILURE: ").append(failure).append('\n'));
        return out.toString();
    }

    private static String counts(long accepted, Sample last) {
        boolean all = last.file() >= accepted && last.http() >= accepted && last.rabbitmq() >= accepted
                && last.kafka() >= accepted;
        boolean exact = last.file() == accepted && last.http() == accepted && last.rabbitmq() == accepted
                && last.kafka() == accepted;
        return String.format(Locale.ROOT, "arrivals: %s — accepted %,d; file %,d, http %,d, rabbitmq %,d, kafka %,d%s",
                all ? "COMPLETE" : "MISSING EVENTS", accepted, last.file(), last.http(), last.rabbitmq(), last.kafka(),
                exact ? " (each exactly once)" : all ? " (more than accepted: redeliveries, at least once)" : "");
    }

    private static void drop(String url) {
        try {
            StoreDatabases.dropPostgres(url);
        } catch (Exception e) {
            System.err.println("could not drop the soak database " + url + ": " + e.getMessage());
        }
    }
}
