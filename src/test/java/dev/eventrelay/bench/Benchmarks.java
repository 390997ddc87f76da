package dev.eventrelay.bench;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestSftpServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The benchmarks of DESIGN.md ("Benchmarks"): a program, not a test. It writes a CSV file of
 * {@code rows} realistic rows, parses it with Commons CSV alone (raw), then imports the same file
 * through the real service (SFTP import route, state store, file hook) and prints a Markdown table
 * {@code measure | Event Relay | raw | ratio | peak heap}.
 *
 * <p>Run from the project folder (the service reads {@code application.properties} and {@code routes/}):
 * <pre>
 * mvn -q -o test-compile &amp;&amp; java -Xmx256m -Drows=1000000 \
 *   -cp "target/classes:target/test-classes:$(mvn -q -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)" \
 *   dev.eventrelay.bench.Benchmarks
 * </pre>
 * Settings, as system properties or {@code name=value} arguments (a bare number is {@code rows}):
 * {@code rows} (default 1,000,000),
 * {@code dir} (work folder, default {@code target/bench}), {@code timeout.minutes} (default 30),
 * {@code keep} (keep the store, outbox and file after a successful run; default false),
 * {@code log} (the service's log level, default WARN),
 * {@code measures} (which rows to measure, comma-separated: {@code csv}, {@code delivery}, {@code warehouse},
 * {@code cluster}; default {@code csv,delivery,warehouse}; the warehouse row is {@link WarehouseBenchmarks}, the
 * cluster table — 1, 2 and 3 instances of the jar on each backbone, {@code cluster.rows} rows per drop, default
 * 30,000 — is {@link ClusterBenchmarks}). Exits 1 when an import or sync fails or lines
 * are missing.
 */
public final class Benchmarks {

    static final String CHANNEL = "udc_1itzAa15r";
    static final String EVENT_CODE = "UDE_BENCH0001";
    static final String IMPORT = "default";
    static final String HOOK = "all-events";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Benchmarks() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.read(args);
        quietLogs(settings.logLevel());
        int exit;
        try {
            exit = run(settings);
        } catch (Exception | AssertionError e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace(System.err);
            exit = 1;
        }
        System.exit(exit);
    }

    private static int run(Settings settings) throws Exception {
        Path work = Files.createDirectories(settings.dir()).toAbsolutePath();
        clean(work);
        CsvOutcome csv = settings.measures().contains("csv") ? csv(work, settings) : null;

        List<DeliveryBenchmarks.Row> delivery = List.of();
        if (settings.measures().contains("delivery")) {
            int deliveryEvents = (int) Math.min(settings.rows(), Long.getLong("delivery.events", 20_000));
            System.out.printf(Locale.ROOT, "Delivery: %,d events to each destination, Event Relay and the raw client ...%n",
                    deliveryEvents);
            delivery = DeliveryBenchmarks.run(work, deliveryEvents);
        }

        WarehouseBenchmarks.Outcome warehouse =
                settings.measures().contains("warehouse") ? WarehouseBenchmarks.run(work, settings) : null;

        List<ClusterBenchmarks.Row> cluster = List.of();
        long clusterRows = Math.min(settings.rows(), Long.getLong("cluster.rows", 30_000));
        if (settings.measures().contains("cluster")) {
            cluster = ClusterBenchmarks.run(work, clusterRows);
        }

        if (csv != null || !delivery.isEmpty() || warehouse != null) {
            System.out.println();
            System.out.print(Table.render(settings.rows(), csv, delivery, warehouse));
        }
        if (!cluster.isEmpty()) {
            System.out.println();
            System.out.print(ClusterBenchmarks.table(cluster, clusterRows));
        }
        if ((csv != null && csv.problem() != null) || (warehouse != null && warehouse.problem() != null)
                || cluster.stream().anyMatch(r -> r.note().startsWith("FAILED"))) {
            System.err.println("The work folder is kept for inspection: " + work);
            return 1;
        }
        if (!settings.keep()) {
            clean(work);
        }
        return 0;
    }

    /** The CSV import measured on one store: the raw pipeline and the service, both into that kind of store. */
    record CsvOnStore(String store, RawResult raw, RelayResult relay) {
    }

    /** The CSV import measure: the file, Commons CSV alone over it (context), then each store's raw and relay runs. */
    record CsvOutcome(String fileName, long bytes, long warmUpRows, Result parse, List<CsvOnStore> stores) {

        String problem() {
            return stores.stream().map(s -> s.relay().problem()).filter(java.util.Objects::nonNull).findFirst()
                    .orElse(null);
        }
    }

    private static CsvOutcome csv(Path work, Settings settings) throws Exception {
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        String prefix = CHANNEL + "-" + EVENT_CODE + "-" + yesterday.format(DateTimeFormatter.BASIC_ISO_DATE);
        String warmName = prefix + "-1.csv";
        String fileName = prefix + "-2.csv";
        Path csv = work.resolve(fileName);
        Path warm = work.resolve(warmName);
        long warmRows = Math.min(settings.rows(), WARM_UP_ROWS);

        System.out.printf(Locale.ROOT, "Writing %,d rows to %s (and %,d warm-up rows) ...%n", settings.rows(), csv,
                warmRows);
        long generateStart = System.nanoTime();
        CsvGenerator.write(csv, settings.rows(), yesterday);
        CsvGenerator.write(warm, warmRows, yesterday);
        long bytes = Files.size(csv);
        System.out.printf(Locale.ROOT, "  %.1f MB, %d columns, in %.1f s%n", bytes / 1e6,
                CsvGenerator.HEADER.size(), seconds(System.nanoTime() - generateStart));

        System.out.println("Plain parse (context): Commons CSV alone ...");
        Result parse = RawParse.measure(csv, settings.rows());
        System.out.printf(Locale.ROOT, "  %,.0f rows/s%n", parse.rowsPerSecond());

        List<CsvOnStore> stores = new ArrayList<>();
        for (String kind : List.of("embedded", "postgresql")) {
            String relayStore = kind.equals("embedded") ? BenchStores.embedded(work.resolve("store-relay"))
                    : StoreDatabases.newPostgres();
            String rawStore = kind.equals("embedded") ? BenchStores.embedded(work.resolve("store-raw"))
                    : StoreDatabases.newPostgres();
            try {
                String name = BenchStores.kind(relayStore);
                System.out.printf(Locale.ROOT, "Raw pipeline on %s: Commons CSV + JSON write + batched insert ...%n", name);
                RawResult raw = RawImport.measure(rawStore, work, warm, csv, settings.rows());
                System.out.printf(Locale.ROOT, "  %,.0f rows/s (through the insert: %,.0f rows/s)%n",
                        raw.result().rowsPerSecond(), raw.importRowsPerSecond());

                System.out.printf(Locale.ROOT, "Event Relay on %s: the SFTP import into the file hook ...%n", name);
                RelayResult relay = RelayImport.measure(work, warm, warmRows, csv, fileName, relayStore, settings);
                if (relay.problem() == null) {
                    System.out.printf(Locale.ROOT, "  %,.0f rows/s%n", relay.result().rowsPerSecond());
                } else {
                    System.out.println("  FAILED: " + relay.problem());
                }
                stores.add(new CsvOnStore(name, raw, relay));
            } finally {
                if (kind.equals("postgresql")) {
                    dropQuietly(relayStore);
                    dropQuietly(rawStore);
                }
                deleteTree(work.resolve("store-relay"));
                deleteTree(work.resolve("store-raw"));
            }
        }
        return new CsvOutcome(fileName, bytes, warmRows, parse, stores);
    }

    /** Rows of the warm-up pass that both the raw pipeline and the service run, untimed, before the measured file. */
    static final long WARM_UP_ROWS = 200_000;

    private static void dropQuietly(String url) {
        try {
            StoreDatabases.dropPostgres(url);
        } catch (java.sql.SQLException e) {
            System.err.println("could not drop the benchmark database " + url + ": " + e.getMessage());
        }
    }

    /**
     * The raw pipeline of the measure ({@link RawPipeline}), stage for stage what the relay's path does with the
     * plain libraries: the file streamed over SFTP by JSch (from an SSHD server in this JVM, the session set up as
     * the service's {@code SftpSite} sets it up), Commons CSV, one JSON write per row, batched inserts into the same kind of store,
     * then the events read back and appended to a JSON lines file as the file hook does (pages of the hook's batch
     * size, the position committed). A warm-up pass first, then the measured file. The stages up
     * to the last insert are timed apart too ({@link RawResult#importNanos}): the issue's raw import.
     */
    static final class RawImport {

        /** Events per page of the file hook: {@code relay.hook.all-events.batch.max-events} as shipped. */
        static final int FILE_HOOK_PAGE = 1000;

        private RawImport() {
        }

        static RawResult measure(String url, Path work, Path warm, Path csv, long rows) throws Exception {
            Path out = work.resolve("outbox-raw.jsonl");
            Files.deleteIfExists(out);
            deleteTree(work.resolve("sftp-raw"));
            try (TestSftpServer server = new TestSftpServer(Files.createDirectories(work.resolve("sftp-raw")));
                 RawPipeline pipeline = new RawPipeline(url, BenchStores.user(url), BenchStores.password(url))) {
                Files.copy(warm, server.root().resolve(warm.getFileName()));
                Files.copy(csv, server.root().resolve(csv.getFileName()));
                long[] importNanos = new long[1];
                pass(server, pipeline, warm.getFileName().toString(), out, importNanos);
                try (HeapWatch heap = new HeapWatch()) {
                    long start = System.nanoTime();
                    long imported = pass(server, pipeline, csv.getFileName().toString(), out, importNanos);
                    long nanos = System.nanoTime() - start;
                    if (imported != rows) {
                        throw new IllegalStateException("raw pipeline imported " + imported + " rows, the file has " + rows);
                    }
                    return new RawResult(new Result(imported, nanos, heap.stop()), importNanos[0] - start);
                }
            } finally {
                Files.deleteIfExists(out);
                deleteTree(work.resolve("sftp-raw"));
            }
        }

        /** One file through every stage; {@code importDone[0]} = when its last row was inserted (nanoTime). */
        private static long pass(TestSftpServer server, RawPipeline pipeline, String name, Path out, long[] importDone)
                throws Exception {
            com.jcraft.jsch.JSch jsch = new com.jcraft.jsch.JSch();
            jsch.setKnownHosts(server.knownHosts().toString());
            jsch.addIdentity(server.clientKey("ed25519").toString());
            com.jcraft.jsch.Session session = jsch.getSession(TestSftpServer.USER, "127.0.0.1", server.port());
            // the session as the service's SftpSite sets it up (JSch's own per-connection checks cost ~0.3 s here)
            dev.eventrelay.ingest.file.SftpKeyExchange.SessionConfig kex = dev.eventrelay.ingest.file.SftpKeyExchange
                    .sessionConfig(String.join(",", dev.eventrelay.ingest.file.SftpKeyExchange.DEFAULT));
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey,password");
            session.setConfig("kex", kex.kex());
            session.setConfig("CheckKexes", kex.checkKexes());
            session.connect(30_000);
            try {
                com.jcraft.jsch.ChannelSftp channel = (com.jcraft.jsch.ChannelSftp) session.openChannel("sftp");
                channel.connect(30_000);
                long imported = pipeline.importCsv(channel.get("/" + name), name, Long.MAX_VALUE);
                importDone[0] = System.nanoTime();
                long delivered = pipeline.deliverToFile(out, FILE_HOOK_PAGE);
                if (delivered != imported) {
                    throw new IllegalStateException("raw pipeline wrote " + delivered + " lines of " + imported + " rows");
                }
                channel.disconnect();
                return imported;
            } finally {
                session.disconnect();
            }
        }
    }

    /** The raw pipeline's result: through its last line written, and through its last insert. */
    record RawResult(Result result, long importNanos) {
        double importRowsPerSecond() {
            return result.rows() / seconds(importNanos);
        }
    }

    /** Deletes what an earlier run left in the work folder: the file, the stores, the SFTP roots, the outbox. */
    private static void clean(Path work) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(work)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if ((name.startsWith(CHANNEL + "-") && name.endsWith(".csv")) || name.startsWith("state.")
                        || name.equals("sftp") || name.equals("outbox") || name.startsWith("delivery-")
                        || name.startsWith("store-") || name.startsWith("cluster-")
                        || name.startsWith("warehouse-")) {
                    deleteTree(entry);
                }
            }
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> tree = Files.walk(path)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static void quietLogs(Level level) {
        Logger root = LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(level);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }

    /** The benchmark's settings. */
    record Settings(long rows, Path dir, Duration timeout, boolean keep, Level logLevel, Set<String> measures) {

        /** The measures {@code measures=} may name; {@code cluster} runs only when named (it starts six JVMs). */
        static final Set<String> MEASURES = Set.of("csv", "delivery", "warehouse", "cluster");

        static Settings read(String[] args) {
            Map<String, String> values = new HashMap<>();
            for (String name : List.of("rows", "dir", "timeout.minutes", "keep", "log", "measures")) {
                String value = System.getProperty(name);
                if (value != null) {
                    values.put(name, value);
                }
            }
            for (String arg : args) {
                String a = arg.startsWith("--") ? arg.substring(2) : arg;
                if (a.matches("[0-9][0-9_,]*")) {
                    values.put("rows", a);
                    continue;
                }
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("argument '" + arg + "' is neither a number of rows nor"
                            + " name=value (rows, dir, timeout.minutes, keep, log, measures)");
                }
                values.put(a.substring(0, eq), a.substring(eq + 1));
            }
            long rows = Long.parseLong(values.getOrDefault("rows", "1000000").replace("_", "").replace(",", ""));
            if (rows < 1) {
                throw new IllegalArgumentException("rows must be at least 1, not " + rows);
            }
            return new Settings(rows, Path.of(values.getOrDefault("dir", "target/bench")),
                    Duration.ofMinutes(Long.parseLong(values.getOrDefault("timeout.minutes", "30"))),
                    Boolean.parseBoolean(values.getOrDefault("keep", "false")),
                    Level.toLevel(values.getOrDefault("log", "WARN"), Level.WARN),
                    measures(values.getOrDefault("measures", "csv,delivery,warehouse")));
        }

        private static Set<String> measures(String list) {
            Set<String> measures = new java.util.LinkedHashSet<>();
            for (String measure : list.split(",")) {
                String m = measure.trim();
                if (!MEASURES.contains(m)) {
                    throw new IllegalArgumentException("measures: '" + m + "' is not one of csv, delivery, warehouse,"
                            + " cluster");
                }
                measures.add(m);
            }
            return measures;
        }
    }

    /** A measured phase: rows, wall time, and the heap it used. */
    record Result(long rows, long nanos, HeapWatch.Peak heap) {
        double rowsPerSecond() {
            return rows / seconds(nanos);
        }

        /** Bytes allocated per row during the phase, as the table shows it. */
        String allocPerRow() {
            return heap.allocated() < 0 || rows == 0 ? "–"
                    : String.format(Locale.ROOT, "%,d B", Math.round((double) heap.allocated() / rows));
        }
    }

    /** The relay phase: the result (wall time from the POST to the last line), when the run ended, and what went wrong. */
    record RelayResult(Result result, long processedNanos, long lines, JsonNode run, String problem) {
    }

    /**
     * Writes the event file: a header and {@code rows} rows of a purchase feed, deterministic (seeded),
     * streamed to disk. Some values need quoting (commas, quotes, a line break now and then) and some
     * are not ASCII, so the parser's quoting and UTF-8 paths are exercised.
     */
    static final class CsvGenerator {

        static final List<String> HEADER = List.of("externalId", "eventDate", "email", "phone", "value",
                "valueCurrency", "productIds", "amount", "paid", "visited_at", "store___city", "store___country", "sku",
                "quantity", "coupon", "device", "browser", "utm_source", "utm_medium", "utm_campaign", "note");

        /** The event type's attributes for {@code relay.event-type.<code>.attributes}: the typed columns. */
        static final String ATTRIBUTES = "amount:number, paid:boolean, visited_at:date, store___city:string,"
                + " store___country:string, sku:string, quantity:number, coupon:string, device:string, browser:string,"
                + " note:string";

        private static final String[] FIRST = {"anna", "ben", "chloé", "david", "emma", "felix", "greta", "hugo",
                "ines", "jonas", "karla", "liam", "mia", "noah", "olga", "paul", "rosa", "sven", "tara", "zoë"};
        private static final String[] LAST = {"schmidt", "müller", "garcia", "rossi", "dubois", "novak", "smith",
                "kowalski", "jansen", "silva", "nielsen", "fischer", "martin", "weber", "costa"};
        private static final String[] DOMAINS = {"example.com", "mail.example.org", "shop.example.net", "example.de"};
        private static final String[][] STORES = {{"Berlin", "DE"}, {"München", "DE"}, {"Hamburg", "DE"},
                {"Paris", "FR"}, {"Lyon", "FR"}, {"Madrid", "ES"}, {"São Paulo", "BR"}, {"Kraków", "PL"},
                {"Amsterdam", "NL"}, {"Wien", "AT"}, {"Zürich", "CH"}, {"Milano", "IT"}, {"London", "GB"},
                {"New York, NY", "US"}};
        private static final String[] CURRENCIES = {"EUR", "EUR", "EUR", "USD", "GBP", "PLN", "CHF"};
        private static final String[] DEVICES = {"mobile", "desktop", "tablet"};
        private static final String[] BROWSERS = {"Chrome 126", "Safari 17.5", "Firefox 127", "Edge 126",
                "Samsung Internet 25"};
        private static final String[] SOURCES = {"google", "newsletter", "facebook", "instagram", "direct", ""};
        private static final String[] MEDIUMS = {"cpc", "email", "social", "organic", ""};
        private static final String[] CAMPAIGNS = {"spring_sale_2025", "back_to_school", "black-friday",
                "loyalty_q3", ""};
        private static final String[] COUPONS = {"WELCOME10", "SPRING25", "FREESHIP", "VIP-2025"};
        private static final String[] NOTES = {"", "", "", "", "Leave at the door", "Gift wrap, please",
                "Customer said \"call before delivery\"", "Größe M statt L", "Ring twice; dog is friendly",
                "Deliver after 18:00, not before", "Invoice to company: \"ACME, Inc.\""};
        private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss");

        private CsvGenerator() {
        }

        static void write(Path file, long rows, LocalDate day) throws IOException {
            Random random = new Random(20250101L);
            LocalDateTime midnight = day.atStartOfDay();
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
                line(out, HEADER);
                List<String> row = new ArrayList<>(HEADER.size());
                for (long i = 0; i < rows; i++) {
                    row.clear();
                    fill(row, random, midnight);
                    line(out, row);
                }
            }
        }

        private static void fill(List<String> row, Random r, LocalDateTime midnight) {
            int customer = r.nextInt(250_000);
            String first = FIRST[customer % FIRST.length];
            String last = LAST[(customer / FIRST.length) % LAST.length];
            LocalDateTime eventDate = midnight.plusSeconds(r.nextInt(86_400));
            int quantity = 1 + r.nextInt(5);
            long cents = quantity * (199L + r.nextInt(20_000));
            String[] store = STORES[r.nextInt(STORES.length)];
            int products = 1 + r.nextInt(3);
            StringBuilder productIds = new StringBuilder();
            for (int p = 0; p < products; p++) {
                productIds.append(p == 0 ? "" : "|").append("P-").append(100_000 + r.nextInt(900_000));
            }
            String note = NOTES[r.nextInt(NOTES.length)];
            if (r.nextInt(1000) == 0) {
                note = "Two lines:\nfirst floor, then left";
            }
            row.add("C" + (10_000_000 + customer));
            row.add(eventDate.format(LOCAL));
            row.add(r.nextInt(10) == 0 ? "" : first + "." + last + customer + "@" + DOMAINS[customer % DOMAINS.length]);
            row.add(r.nextInt(3) == 0 ? "" : "+49151" + (1_000_000 + customer * 37L % 9_000_000));
            row.add(money(cents));
            row.add(CURRENCIES[r.nextInt(CURRENCIES.length)]);
            row.add(productIds.toString());
            row.add(money(cents * 119 / 100));
            row.add(r.nextInt(8) == 0 ? "false" : "true");
            row.add(eventDate.minusMinutes(1 + r.nextInt(180)).format(LOCAL));
            row.add(store[0]);
            row.add(store[1]);
            row.add("SKU-" + (1000 + r.nextInt(9000)) + "-" + (char) ('A' + r.nextInt(26)));
            row.add(String.valueOf(quantity));
            row.add(r.nextInt(5) == 0 ? COUPONS[r.nextInt(COUPONS.length)] : "");
            row.add(DEVICES[r.nextInt(DEVICES.length)]);
            row.add(BROWSERS[r.nextInt(BROWSERS.length)]);
            row.add(SOURCES[r.nextInt(SOURCES.length)]);
            row.add(MEDIUMS[r.nextInt(MEDIUMS.length)]);
            row.add(CAMPAIGNS[r.nextInt(CAMPAIGNS.length)]);
            row.add(note);
        }

        private static String money(long cents) {
            long abs = Math.abs(cents);
            return (cents < 0 ? "-" : "") + abs / 100 + "." + (abs % 100 < 10 ? "0" : "") + abs % 100;
        }

        private static void line(Writer out, List<String> values) throws IOException {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                String value = values.get(i);
                if (needsQuotes(value)) {
                    out.write('"');
                    out.write(value.replace("\"", "\"\""));
                    out.write('"');
                } else {
                    out.write(value);
                }
            }
            out.write("\r\n");
        }

        private static boolean needsQuotes(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                    return true;
                }
            }
            return false;
        }
    }

    /** The baseline: Commons CSV alone over the same file, touching every value. */
    static final class RawParse {

        private RawParse() {
        }

        static Result measure(Path csv, long rows) throws IOException {
            parse(csv, Math.min(rows, 100_000)); // warm-up, untimed: the relay phase runs with a warm JIT as well
            try (HeapWatch heap = new HeapWatch()) {
                long start = System.nanoTime();
                long parsed = parse(csv, Long.MAX_VALUE);
                long nanos = System.nanoTime() - start;
                if (parsed != rows) {
                    throw new IllegalStateException("raw parse read " + parsed + " rows, the file has " + rows);
                }
                return new Result(parsed, nanos, heap.stop());
            }
        }

        /** Parses up to {@code limit} data rows and returns how many it read. */
        private static long parse(Path csv, long limit) throws IOException {
            long rows = -1; // the header is a record too
            long touched = 0;
            try (Reader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
                 CSVParser parser = CSVFormat.RFC4180.parse(in)) {
                for (CSVRecord record : parser) {
                    for (String value : record) {
                        touched += value.length();
                    }
                    if (++rows == limit) {
                        break;
                    }
                }
            }
            if (touched < 0) {
                throw new IllegalStateException("unreachable: keeps the values alive for the JIT");
            }
            return rows;
        }
    }

    /** Event Relay: the real service imports the file from an SFTP server and the file hook writes it out. */
    static final class RelayImport {

        private RelayImport() {
        }

        /**
         * Imports the warm-up file (untimed, until every line is in the outbox), then the measured file, into a
         * fresh service on the store at {@code storeUrl}.
         */
        static RelayResult measure(Path work, Path warm, long warmRows, Path csv, String fileName, String storeUrl,
                                   Settings settings) throws Exception {
            Path outbox = work.resolve("outbox");
            deleteTree(outbox);
            Files.createDirectories(outbox);
            deleteTree(work.resolve("sftp"));
            try (TestSftpServer server = new TestSftpServer(Files.createDirectories(work.resolve("sftp")))) {
                Files.copy(warm, server.root().resolve(warm.getFileName()));
                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put("relay.store.url", storeUrl);
                overrides.put("relay.store.user", BenchStores.user(storeUrl));
                overrides.put("relay.store.password", BenchStores.password(storeUrl));
                overrides.put("relay.import." + IMPORT + ".channel", CHANNEL);
                overrides.put("relay.import." + IMPORT + ".sftp.host", "127.0.0.1");
                overrides.put("relay.import." + IMPORT + ".sftp.port", String.valueOf(server.port()));
                overrides.put("relay.import." + IMPORT + ".sftp.user", TestSftpServer.USER);
                overrides.put("relay.import." + IMPORT + ".sftp.private-key-file", server.clientKey("ed25519").toString());
                overrides.put("relay.import." + IMPORT + ".sftp.known-hosts-file", server.knownHosts().toString());
                overrides.put("relay.import." + IMPORT + ".sftp.folder", "/");
                overrides.put("relay.import." + IMPORT + ".after-import", "leave");
                overrides.put("relay.hook." + HOOK + ".destination", "file");
                overrides.put("relay.hook." + HOOK + ".file.folder", outbox.toAbsolutePath().toString());
                overrides.put("relay.event-type." + EVENT_CODE + ".name", "Purchase");
                overrides.put("relay.event-type." + EVENT_CODE + ".attributes", CsvGenerator.ATTRIBUTES);

                try (RelayUnderTest relay = new RelayUnderTest(overrides).start()) {
                    RelayResult warmUp = run(relay, IMPORT, outbox, warm.getFileName().toString(), warmRows, 0, settings);
                    if (warmUp.problem() != null) {
                        return warmUp;
                    }
                    Files.copy(csv, server.root().resolve(fileName));
                    return run(relay, IMPORT, outbox, fileName, settings.rows(), warmRows, settings);
                }
            }
        }

        static RelayResult run(RelayUnderTest relay, String name, Path outbox, Settings settings) throws Exception {
            return run(relay, name, outbox, null, settings.rows(), 0, settings);
        }

        /** Runs the import or sync {@code name} through the API; times it to the end of the run and the last outbox line. */
        static RelayResult run(RelayUnderTest relay, String name, Path outbox, String fileName, long rows,
                               long linesBefore, Settings settings) throws Exception {
            OutboxLines lines = new OutboxLines(outbox);
            long expected = linesBefore + rows;
            try (HeapWatch heap = new HeapWatch()) {
                long start = System.nanoTime();
                HttpResponse<String> started = relay.post("/api/imports/" + name + "/run");
                if (started.statusCode() != 202) {
                    return new RelayResult(null, 0, 0, null, "POST /api/imports/" + name + "/run answered "
                            + started.statusCode() + ": " + started.body());
                }
                String runId = JSON.readTree(started.body()).get("run_id").asText();
                Progress progress = new Progress(relay, runId, lines, start);
                String problem = null;
                try {
                    RelayUnderTest.await("run " + runId + " to end and " + expected + " lines in " + outbox,
                            settings.timeout(), progress::poll, p -> p.failed() || (p.ended() && p.lines() >= expected));
                } catch (AssertionError timedOut) {
                    problem = String.format(Locale.ROOT, "timed out after %d min (timeout.minutes): %s",
                            settings.timeout().toMinutes(), progress.describe(expected));
                }
                long nanos = System.nanoTime() - start;
                Result result = new Result(rows, nanos, heap.stop());
                if (problem == null && progress.failed()) {
                    problem = "run " + runId + " ended " + progress.run().path("processing_status").asText() + ": "
                            + progress.run();
                }
                long seen = lines.count();
                if (problem == null) {
                    problem = seen == expected ? fileProblem(progress.run(), fileName, rows)
                            : "the outbox has " + seen + " lines, expected " + expected;
                }
                return new RelayResult(result, progress.processedNanos(), seen - linesBefore, progress.run(), problem);
            }
        }

        /** Why the run's file ({@code fileName}; any one file when null) does not account for every row, or null. */
        private static String fileProblem(JsonNode run, String fileName, long rows) {
            JsonNode file = null;
            for (JsonNode f : run.path("files")) {
                if (fileName == null || fileName.equals(f.path("name").asText())) {
                    file = f;
                }
            }
            if (file == null || (fileName == null && run.path("files").size() != 1)) {
                return "the run did not import " + (fileName == null ? "exactly one file" : fileName) + ": " + run;
            }
            if (!"Imported".equals(file.path("status").asText()) || file.path("rows_processed").asLong() != rows
                    || file.path("rows_errored").asLong() != 0) {
                return "the file was not imported whole: " + file;
            }
            return null;
        }
    }

    /** What the relay phase has seen so far: the run (until it ends) and the lines in the outbox. */
    static final class Progress {
        private final RelayUnderTest relay;
        private final String runId;
        private final OutboxLines outbox;
        private final long start;
        private JsonNode run;
        private boolean ended;
        private long processedNanos;
        private long lines;

        Progress(RelayUnderTest relay, String runId, OutboxLines outbox, long start) {
            this.relay = relay;
            this.runId = runId;
            this.outbox = outbox;
            this.start = start;
        }

        Progress poll() throws Exception {
            if (!ended) {
                run = relay.getJson("/api/runs/" + runId);
                JsonNode status = run.path("processing_status");
                if (!status.isNull() && !status.isMissingNode() && !"Processing".equals(status.asText())
                        || "Failed".equals(run.path("fetch_status").asText())) {
                    ended = true;
                    processedNanos = System.nanoTime() - start;
                }
            }
            lines = outbox.count();
            return this;
        }

        boolean ended() {
            return ended;
        }

        boolean failed() {
            return ended && !"Processed".equals(run.path("processing_status").asText());
        }

        long processedNanos() {
            return processedNanos;
        }

        long lines() {
            return lines;
        }

        JsonNode run() {
            return run;
        }

        /** Where the phase stands, for a report that it did not finish. */
        String describe(long rows) {
            String status = run == null ? "unknown" : run.path("processing_status").asText();
            return String.format(Locale.ROOT, "run %s (%s rows read)%s, %,d of %,d lines in the outbox", status,
                    run == null ? "?" : String.format(Locale.ROOT, "%,d", run.path("rows_total").asLong()),
                    ended ? String.format(Locale.ROOT, " after %.1f s", seconds(processedNanos)) : "", lines, rows);
        }

        @Override
        public String toString() {
            return lines + " lines; run " + run;
        }
    }

    /** Counts the lines of the hook's JSON lines files, reading only what was appended since the last count. */
    static final class OutboxLines {
        private final Path folder;
        private final Map<Path, Long> offsets = new HashMap<>();
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long lines;

        OutboxLines(Path folder) {
            this.folder = folder;
        }

        long count() throws IOException {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(folder, "*.jsonl")) {
                for (Path file : files) {
                    long offset = offsets.getOrDefault(file, 0L);
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                        channel.position(offset);
                        for (int n = channel.read(buffer.clear()); n > 0; n = channel.read(buffer.clear())) {
                            byte[] bytes = buffer.array();
                            for (int i = 0; i < n; i++) {
                                if (bytes[i] == '\n') {
                                    lines++;
                                }
                            }
                            offset += n;
                        }
                    }
                    offsets.put(file, offset);
                }
            }
            return lines;
        }
    }

    /**
     * Watches the heap during a phase: the highest heap in use, sampled every 10 ms, and the highest
     * heap in use right after a garbage collection (closer to what the phase keeps alive).
     */
    static final class HeapWatch implements AutoCloseable {

        /**
         * The peaks, in bytes; {@code afterGc} is -1 when no collection ran during the phase; {@code allocated} is
         * what the JVM's threads allocated during the phase (every live thread's
         * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} at the end minus at the start; a thread
         * that ended during the phase is not counted, one that started is counted whole).
         */
        record Peak(long used, long afterGc, long allocated) {
            String afterGcText() {
                return afterGc < 0 ? "no GC ran" : Table.mb(afterGc);
            }
        }

        /** Bytes allocated so far by each live thread, by thread id. */
        private static Map<Long, Long> allocatedByThread() {
            com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] ids = threads.getAllThreadIds();
            long[] bytes = threads.getThreadAllocatedBytes(ids);
            Map<Long, Long> byThread = new HashMap<>();
            for (int i = 0; i < ids.length; i++) {
                if (bytes[i] >= 0) {
                    byThread.put(ids[i], bytes[i]);
                }
            }
            return byThread;
        }

        private static long allocatedSince(Map<Long, Long> start) {
            long total = 0;
            for (Map.Entry<Long, Long> thread : allocatedByThread().entrySet()) {
                total += thread.getValue() - start.getOrDefault(thread.getKey(), 0L);
            }
            return total;
        }

        private final AtomicLong used = new AtomicLong();
        private final AtomicLong afterGc = new AtomicLong(-1);
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        private final NotificationListener listener = this::onGc;
        private final Thread sampler;
        private final Map<Long, Long> allocatedAtStart = allocatedByThread();
        private long allocated = -1;
        private volatile boolean running = true;

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                }
            }
            sample();
            sampler = new Thread(() -> {
                while (running) {
                    sample();
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            }, "bench-heap-watch");
            sampler.setDaemon(true);
            sampler.start();
        }

        private void sample() {
            used.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        }

        private void onGc(Notification notification, Object handback) {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                return;
            }
            GarbageCollectionNotificationInfo info =
                    GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long total = 0;
            for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(pool.getKey())) {
                    total += pool.getValue().getUsed();
                }
            }
            afterGc.accumulateAndGet(total, Math::max);
        }

        Peak stop() {
            if (running) {
                allocated = allocatedSince(allocatedAtStart);
                running = false;
                sample();
                try {
                    sampler.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                    if (gc instanceof NotificationEmitter emitter) {
                        try {
                            emitter.removeNotificationListener(listener);
                        } catch (javax.management.ListenerNotFoundException ignored) {
                            // never added
                        }
                    }
                }
            }
            return new Peak(used.get(), afterGc.get(), allocated);
        }

        @Override
        public void close() {
            stop();
        }
    }

    /** The Markdown table of DESIGN.md, with notes on how each number was measured. */
    static final class Table {

        private Table() {
        }

        static String render(long rows, CsvOutcome csv, List<DeliveryBenchmarks.Row> delivery,
                             WarehouseBenchmarks.Outcome warehouse) {
            Runtime runtime = Runtime.getRuntime();
            StringBuilder out = new StringBuilder();
            out.append("| measure | Event Relay | raw | ratio | peak heap | alloc/row |\n");
            out.append("|---|---:|---:|---:|---:|---:|\n");
            if (csv != null) {
                out.append(csvRows(rows, csv));
            }
            if (warehouse != null) {
                out.append(warehouse.tableRow());
            }
            for (DeliveryBenchmarks.Row row : delivery) {
                out.append(String.format(Locale.ROOT, "| %s | %,.0f events/s | %,.0f events/s | %s | %s | %s |%n",
                        row.measure(), row.relayPerSecond(), row.rawPerSecond(),
                        ratio(row.relayPerSecond(), row.rawPerSecond(), row.bar()), mb(row.heap().used()),
                        perRow(row.heap().allocated(), row.events())));
            }
            out.append('\n');
            out.append("- ratio = Event Relay ÷ raw, with the issue's bar after it (ok or MISSED); peak heap = the highest"
                    + " heap in use during the Event Relay phase; alloc/row = bytes the JVM's threads allocated during"
                    + " the Event Relay phase per row or event (ThreadMXBean#getThreadAllocatedBytes over every live"
                    + " thread: service, SFTP server, receivers and benchmark alike).\n");
            if (!delivery.isEmpty()) {
                out.append("- delivery rows: a hook of that destination alone delivers every event of the event log,"
                        + " once untimed (warm-up), then again from a rewound cursor in a second service instance"
                        + " (timed from the first page the peer took to the last event taken by the peer: HTTP receiver in the"
                        + " JVM, RabbitMQ on 127.0.0.1, a KRaft broker in the JVM); raw = the client alone sending the same"
                        + " hook messages in pages of the same size with the same guarantees.\n");
            }
            if (csv != null) {
                out.append(csvNotes(csv));
            }
            if (warehouse != null) {
                out.append(warehouse.notes());
            }
            out.append(String.format(Locale.ROOT, "- machine: %d CPUs (load average %.1f at the end), Java %s (%s),"
                            + " -Xmx %s, GC %s, %s %s.%n", runtime.availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    System.getProperty("java.version"), System.getProperty("java.vm.name"),
                    mb(runtime.maxMemory()), ManagementFactory.getGarbageCollectorMXBeans().stream()
                            .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(" + ")),
                    System.getProperty("os.name"), System.getProperty("os.arch")));
            return out.toString();
        }

        /** Event Relay ÷ raw, and whether it reaches {@code bar}. */
        static String ratio(double relay, double raw, double bar) {
            double ratio = relay / raw;
            return String.format(Locale.ROOT, "%.2f (≥ %.1f %s)", ratio, bar, ratio >= bar ? "ok" : "MISSED");
        }

        static String perRow(long bytes, long rows) {
            return bytes < 0 || rows == 0 ? "–" : String.format(Locale.ROOT, "%,d B", Math.round((double) bytes / rows));
        }

        private static String csvRows(long rows, CsvOutcome csv) {
            StringBuilder out = new StringBuilder();
            for (CsvOnStore store : csv.stores()) {
                Result raw = store.raw().result();
                Result r = store.relay().result();
                boolean ok = store.relay().problem() == null;
                out.append(String.format(Locale.ROOT, "| CSV import SFTP → file hook (%,d rows, %s store) | %s |"
                                + " %,.0f rows/s | %s | %s | %s |%n", rows, store.store(),
                        ok ? String.format(Locale.ROOT, "%,.0f rows/s", r.rowsPerSecond()) : "FAILED",
                        raw.rowsPerSecond(), ok ? ratio(r.rowsPerSecond(), raw.rowsPerSecond(), 0.7) : "–",
                        r == null ? "–" : mb(r.heap().used()), r == null ? "–" : r.allocPerRow()));
            }
            for (CsvOnStore store : csv.stores()) {
                RelayResult relay = store.relay();
                if (relay.problem() == null) {
                    double relayImport = relay.result().rows() / seconds(relay.processedNanos());
                    out.append(String.format(Locale.ROOT, "| (context) import only: run Processed vs raw through its"
                                    + " last insert, %s store | %,.0f rows/s | %,.0f rows/s | %.2f | | |%n", store.store(),
                            relayImport, store.raw().importRowsPerSecond(),
                            relayImport / store.raw().importRowsPerSecond()));
                }
            }
            Result parse = csv.parse();
            for (CsvOnStore store : csv.stores()) {
                Result r = store.relay().result();
                if (store.relay().problem() == null) {
                    out.append(String.format(Locale.ROOT, "| (context) CSV import vs plain Commons CSV parse, %s store |"
                                    + " %,.0f rows/s | %,.0f rows/s | %.2f | %s | %s |%n", store.store(),
                            r.rowsPerSecond(), parse.rowsPerSecond(), r.rowsPerSecond() / parse.rowsPerSecond(),
                            mb(parse.heap().used()), parse.allocPerRow()));
                }
            }
            return out.toString();
        }

        private static String csvNotes(CsvOutcome csv) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "- CSV import: each store kind runs a warm-up pass first (untimed:"
                    + " %,d rows through the same service instance, resp. the same raw pipeline), then the measured"
                    + " file. Raw = the same stages with the plain libraries: JSch streaming the file from the same"
                    + " kind of SFTP server, Commons CSV, one Jackson streaming JSON write per row (the import's fields,"
                    + " untyped), batched INSERT of the import's columns into the event log of a store opened as the"
                    + " service opens it (same URL and durability), %,d rows per transaction; then the events read"
                    + " back in pages of %,d, appended as hook messages to a JSON lines file (not forced, as the"
                    + " file hook's append is not), the position committed per page (what the file hook does).%n", csv.warmUpRows(), RawPipeline.CHUNK,
                    RawImport.FILE_HOOK_PAGE));
            for (CsvOnStore store : csv.stores()) {
                RelayResult relay = store.relay();
                Result r = relay.result();
                if (relay.problem() == null) {
                    out.append(String.format(Locale.ROOT, "- Event Relay on %s: %.1f s from POST /api/imports/%s/run to"
                                    + " the last of %,d lines in the file hook's outbox (run Processed after %.1f s, then"
                                    + " %.1f s of delivery); highest heap right after a collection %s; raw pipeline"
                                    + " %.1f s (%.1f s through its last insert), alloc/row %s.%n", store.store(),
                            seconds(r.nanos()), IMPORT, relay.lines(),
                            seconds(relay.processedNanos()), seconds(r.nanos() - relay.processedNanos()),
                            r.heap().afterGcText(), seconds(store.raw().result().nanos()),
                            seconds(store.raw().importNanos()), store.raw().result().allocPerRow()));
                } else {
                    out.append("- Event Relay on ").append(store.store()).append(" FAILED: ").append(relay.problem())
                            .append('\n');
                }
            }
            Result parse = csv.parse();
            out.append(String.format(Locale.ROOT, "- plain parse (context): %.2f s for CSVFormat.RFC4180 over the same"
                    + " file, every value touched (after an untimed warm-up).%n", seconds(parse.nanos())));
            out.append(String.format(Locale.ROOT, "- file: %s, %.1f MB, %d columns.%n", csv.fileName(),
                    csv.bytes() / 1e6, CsvGenerator.HEADER.size()));
            return out.toString();
        }

        static String mb(long bytes) {
            return String.format(Locale.ROOT, "%,d MB", Math.round(bytes / (1024.0 * 1024.0)));
        }
    }
}
