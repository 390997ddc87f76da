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
 * {@code measures} (which rows to measure, comma-separated: {@code csv}, {@code delivery}, {@code warehouse};
 * default all; the warehouse row is {@link WarehouseBenchmarks}). Exits 1 when an import or sync fails or lines
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

        System.out.println();
        System.out.print(Table.render(settings.rows(), csv, delivery, warehouse));
        if ((csv != null && csv.relay().problem() != null) || (warehouse != null && warehouse.problem() != null)) {
            System.err.println("The work folder is kept for inspection: " + work);
            return 1;
        }
        if (!settings.keep()) {
            clean(work);
        }
        return 0;
    }

    /** The CSV import measure: the file, Commons CSV alone over it, the service importing it. */
    record CsvOutcome(String fileName, long bytes, Result raw, RelayResult relay) {
    }

    private static CsvOutcome csv(Path work, Settings settings) throws Exception {
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        String fileName = CHANNEL + "-" + EVENT_CODE + "-" + yesterday.format(DateTimeFormatter.BASIC_ISO_DATE) + "-1.csv";
        Path csv = work.resolve(fileName);

        System.out.printf(Locale.ROOT, "Writing %,d rows to %s ...%n", settings.rows(), csv);
        long generateStart = System.nanoTime();
        CsvGenerator.write(csv, settings.rows(), yesterday);
        long bytes = Files.size(csv);
        System.out.printf(Locale.ROOT, "  %.1f MB, %d columns, in %.1f s%n", bytes / 1e6,
                CsvGenerator.HEADER.size(), seconds(System.nanoTime() - generateStart));

        System.out.println("Raw: parsing it with Commons CSV ...");
        Result raw = RawParse.measure(csv, settings.rows());
        System.out.printf(Locale.ROOT, "  %,.0f rows/s%n", raw.rowsPerSecond());

        System.out.println("Event Relay: importing it through the SFTP import into the file hook ...");
        RelayResult relay = RelayImport.measure(work, csv, fileName, settings);
        if (relay.problem() == null) {
            System.out.printf(Locale.ROOT, "  %,.0f rows/s%n", relay.result().rowsPerSecond());
        } else {
            System.out.println("  FAILED: " + relay.problem());
        }
        return new CsvOutcome(fileName, bytes, raw, relay);
    }

    /** Deletes what an earlier run left in the work folder: the file, the stores, the SFTP roots, the outbox. */
    private static void clean(Path work) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(work)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if ((name.startsWith(CHANNEL + "-") && name.endsWith(".csv")) || name.startsWith("state.")
                        || name.equals("sftp") || name.equals("outbox") || name.startsWith("delivery-")
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

        static final Set<String> MEASURES = Set.of("csv", "delivery", "warehouse");

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
                    throw new IllegalArgumentException("measures: '" + m + "' is not one of csv, delivery, warehouse");
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

        static RelayResult measure(Path work, Path csv, String fileName, Settings settings) throws Exception {
            Path outbox = Files.createDirectories(work.resolve("outbox"));
            try (TestSftpServer server = new TestSftpServer(Files.createDirectories(work.resolve("sftp")))) {
                Files.move(csv, server.root().resolve(fileName));
                Map<String, String> overrides = new LinkedHashMap<>();
                overrides.put("relay.store.url", StoreDatabases.sqlite(work.toAbsolutePath()));
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
                    return run(relay, IMPORT, outbox, settings);
                }
            }
        }

        /** Runs the import or sync {@code name} through the API; times it to the end of the run and the last outbox line. */
        static RelayResult run(RelayUnderTest relay, String name, Path outbox, Settings settings) throws Exception {
            long rows = settings.rows();
            OutboxLines lines = new OutboxLines(outbox);
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
                    RelayUnderTest.await("run " + runId + " to end and " + rows + " lines in " + outbox,
                            settings.timeout(), progress::poll, p -> p.failed() || (p.ended() && p.lines() >= rows));
                } catch (AssertionError timedOut) {
                    problem = String.format(Locale.ROOT, "timed out after %d min (timeout.minutes): %s",
                            settings.timeout().toMinutes(), progress.describe(rows));
                }
                long nanos = System.nanoTime() - start;
                Result result = new Result(rows, nanos, heap.stop());
                if (problem == null && progress.failed()) {
                    problem = "run " + runId + " ended " + progress.run().path("processing_status").asText() + ": "
                            + progress.run();
                }
                long seen = lines.count();
                if (problem == null) {
                    problem = seen == rows ? fileProblem(progress.run(), rows)
                            : "the outbox has " + seen + " lines, expected " + rows;
                }
                return new RelayResult(result, progress.processedNanos(), seen, progress.run(), problem);
            }
        }

        /** Why the run's file does not account for every row, or null when it does. */
        private static String fileProblem(JsonNode run, long rows) {
            JsonNode files = run.path("files");
            if (files.size() != 1) {
                return "the run imported " + files.size() + " files, expected 1: " + run;
            }
            JsonNode file = files.get(0);
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

        /** The peaks, in bytes; {@code afterGc} is -1 when no collection ran during the phase. */
        record Peak(long used, long afterGc) {
            String afterGcText() {
                return afterGc < 0 ? "no GC ran" : Table.mb(afterGc);
            }
        }

        private final AtomicLong used = new AtomicLong();
        private final AtomicLong afterGc = new AtomicLong(-1);
        private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getName)
                .collect(Collectors.toSet());
        private final NotificationListener listener = this::onGc;
        private final Thread sampler;
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
            return new Peak(used.get(), afterGc.get());
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
            out.append("| measure | Event Relay | raw | ratio | peak heap |\n");
            out.append("|---|---:|---:|---:|---:|\n");
            if (csv != null) {
                out.append(csvRow(rows, csv));
            }
            if (warehouse != null) {
                out.append(warehouse.tableRow());
            }
            for (DeliveryBenchmarks.Row row : delivery) {
                out.append(String.format(Locale.ROOT, "| %s | %,.0f events/s | %,.0f events/s | %.1f× | %s |%n",
                        row.measure(), row.relayPerSecond(), row.rawPerSecond(),
                        row.rawPerSecond() / row.relayPerSecond(), mb(row.heap().used())));
            }
            out.append('\n');
            if (!delivery.isEmpty()) {
                out.append("- delivery rows: a hook of that destination alone delivers every event of the event log"
                        + " (timed from the service's start to the last event taken by the peer: HTTP receiver in the"
                        + " JVM, RabbitMQ on 127.0.0.1, a KRaft broker in the JVM); raw = the client alone sending the same"
                        + " hook messages in pages of the same size with the same guarantees; ratio = raw ÷ Event Relay.\n");
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

        private static String csvRow(long rows, CsvOutcome csv) {
            Result raw = csv.raw();
            Result r = csv.relay().result();
            boolean ok = csv.relay().problem() == null;
            return String.format(Locale.ROOT, "| CSV import (%,d rows) | %s | %,.0f rows/s | %s | %s |%n", rows,
                    ok ? String.format(Locale.ROOT, "%,.0f rows/s", r.rowsPerSecond()) : "FAILED",
                    raw.rowsPerSecond(),
                    ok ? String.format(Locale.ROOT, "%.1f×", raw.rowsPerSecond() / r.rowsPerSecond()) : "–",
                    r == null ? "–" : mb(r.heap().used()));
        }

        private static String csvNotes(CsvOutcome csv) {
            Result raw = csv.raw();
            RelayResult relay = csv.relay();
            Result r = relay.result();
            StringBuilder out = new StringBuilder();
            out.append("- ratio = raw ÷ Event Relay: how many times faster Commons CSV alone reads the file than Event"
                    + " Relay imports and delivers it.\n");
            if (relay.problem() == null) {
                out.append(String.format(Locale.ROOT, "- Event Relay: %.1f s from POST /api/imports/%s/run to the last of"
                                + " %,d lines in the file hook's outbox (run Processed after %.1f s, then %.1f s of"
                                + " delivery); SFTP from an in-JVM server, SQLite state store, file hook.%n",
                        seconds(r.nanos()), IMPORT, relay.lines(), seconds(relay.processedNanos()),
                        seconds(r.nanos() - relay.processedNanos())));
            } else {
                out.append("- Event Relay FAILED: ").append(relay.problem()).append('\n');
            }
            out.append(String.format(Locale.ROOT, "- raw: %.2f s for CSVFormat.RFC4180 over the same file, every value"
                    + " touched (after an untimed warm-up); peak heap %s.%n", seconds(raw.nanos()), mb(raw.heap().used())));
            out.append("- peak heap: the highest heap in use during the Event Relay phase (from the POST to the last"
                    + " line), sampled every 10 ms; the benchmark and the SFTP server share the JVM. G1 lets garbage"
                    + " fill the heap it is given, so this is close to -Xmx by design; what counts is that the phase"
                    + " ends within it.");
            if (r != null) {
                out.append(" Highest heap right after a young or mixed collection: ").append(r.heap().afterGcText())
                        .append(" (an upper bound of what the phase keeps alive).");
            }
            out.append('\n');
            out.append(String.format(Locale.ROOT, "- file: %s, %.1f MB, %d columns.%n", csv.fileName(),
                    csv.bytes() / 1e6, CsvGenerator.HEADER.size()));
            return out.toString();
        }

        static String mb(long bytes) {
            return String.format(Locale.ROOT, "%,d MB", Math.round(bytes / (1024.0 * 1024.0)));
        }
    }
}
