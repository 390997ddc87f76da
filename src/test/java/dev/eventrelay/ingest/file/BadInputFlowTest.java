package dev.eventrelay.ingest.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.GeneratedInput.Source;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.eventrelay.support.GeneratedInput.bytes;
import static dev.eventrelay.support.GeneratedInput.concat;
import static dev.eventrelay.support.GeneratedInput.lines;
import static dev.eventrelay.support.GeneratedInput.repeat;
import static dev.eventrelay.support.GeneratedInput.utf8;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad input corpus through the real service: SFTP drops on a real SFTP server, the shipped
 * routes and configuration, the run as the ops API shows it, {@code errors.csv}, and the events
 * that reach the file hook — nothing of a rejected file, every accepted row exactly once.
 * Subclasses run it on each state store dialect.
 */
abstract class BadInputFlowTest extends RelayFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String LOGIN = "UDE_7KQ2LOGIN";
    static final String HEADER = "externalId,eventDate,device,first_login";
    static final String DATE = "2026-11-22 08:00:00";
    static final int TEN_MB = 10 * 1024 * 1024;

    static String dropName(int n) {
        return dropName(LOGIN, n);
    }

    static String dropName(String eventCode, int n) {
        return CHANNEL + "-" + eventCode + "-" + LocalDate.now(ZoneOffset.UTC).minusDays(1)
                .format(DateTimeFormatter.BASIC_ISO_DATE) + "-" + n + ".csv";
    }

    /** Streams {@code source} onto the SFTP server as {@code name}, with a fixed modification time. */
    void put(String name, Source source) throws IOException {
        Path file = sftp.root().resolve(name);
        try (InputStream in = source.open()) {
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
    }

    /** Starts a run through the API and waits up to {@code timeout} for it to end. */
    JsonNode run(Duration timeout) throws Exception {
        HttpResponse<String> started = relay.post("/api/imports/default/run");
        assertThat(started.statusCode()).isEqualTo(202);
        String runId = JSON.readTree(started.body()).get("run_id").asText();
        return RelayUnderTest.await("run " + runId + " to end", timeout, () -> relay.getJson("/api/runs/" + runId),
                r -> !r.get("processing_status").isNull() && !"Processing".equals(r.get("processing_status").asText()));
    }

    /** Waits until the file hook has delivered {@code count} events, then reads them. */
    List<JsonNode> delivered(long count, Duration timeout) throws Exception {
        RelayUnderTest.await(count + " events delivered", timeout, () -> relay.hook("all-events").get("delivered").asLong(),
                delivered -> delivered >= count);
        return Outbox.read(dir.resolve("outbox"));
    }

    static JsonNode file(JsonNode run, String name) {
        for (JsonNode file : run.get("files")) {
            if (file.get("name").asText().equals(name)) {
                return file;
            }
        }
        throw new AssertionError("run has no file " + name + ": " + run);
    }

    static void assertRejected(JsonNode run, String name, String reason) {
        JsonNode file = file(run, name);
        assertThat(file.get("status").asText()).as(name).isEqualTo("Rejected");
        assertThat(file.get("reason").asText()).as(name).contains(reason);
        assertThat(file.get("rows_processed").asLong()).as(name).isZero();
    }

    static String good(long n) {
        return "c-" + n + "," + DATE + ",web,true";
    }

    @Test
    void badFilesAreRejectedWholeAndEveryAcceptedRowIsDeliveredExactlyOnce() throws Exception {
        Map<String, String> names = new LinkedHashMap<>();
        String[] kinds = {"utf16", "utf16-no-bom", "latin1-late", "unclosed-late", "duplicate-header", "formulas",
                "ten-mb-cell", "million-commas", "wrong-delimiter"};
        for (int i = 0; i < kinds.length; i++) {
            names.put(kinds[i], dropName(i + 1));
        }
        put(names.get("utf16"), concat(bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}),
                bytes((HEADER + "\n" + good(1) + "\n").getBytes(StandardCharsets.UTF_16LE))));
        put(names.get("utf16-no-bom"), bytes((HEADER + "\n" + good(1) + "\n").getBytes(StandardCharsets.UTF_16BE)));
        put(names.get("latin1-late"), concat(lines(HEADER, 2_499, BadInputFlowTest::good),
                bytes(("c-2500," + DATE + ",caf\u00e9,true\n").getBytes(StandardCharsets.ISO_8859_1))));
        put(names.get("unclosed-late"), concat(lines(HEADER, 2_100, BadInputFlowTest::good),
                utf8("c-x," + DATE + ",\"web,true\n" + good(2_102) + "\n")));
        put(names.get("duplicate-header"), utf8("externalId,eventDate,externalId\nc-1," + DATE + ",c-2\n"));
        put(names.get("formulas"), utf8(HEADER + "\nf-1," + DATE + ",=cmd(),true\nf-2," + DATE + ",@SUM(A1),false\n"
                + "=cmd('calc'),never,x,true\n+1+1,never,x,true\n-2,never,x,true\n@x,never,x,true\n\tf-7,never,x,true\n"));
        put(names.get("ten-mb-cell"), concat(utf8(HEADER + "\nm-1," + DATE + ",web,true\nm-2," + DATE + ","),
                repeat('x', TEN_MB), utf8(",true\nm-3," + DATE + ",ios,false\n")));
        put(names.get("million-commas"), concat(utf8(HEADER + "\nk-1," + DATE + ",web,true\n"), repeat(',', 1_000_000),
                utf8("\nk-3," + DATE + ",ios,false\n")));
        put(names.get("wrong-delimiter"), utf8("externalId;eventDate;device\nc-1;" + DATE + ";web\n"));
        relay = new RelayUnderTest(config).start();

        JsonNode run = run(Duration.ofSeconds(120));

        assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
        assertRejected(run, names.get("utf16"), "the file is UTF-16LE");
        assertRejected(run, names.get("utf16-no-bom"), "line 1 holds a NUL character");
        assertRejected(run, names.get("latin1-late"), "the record starting on line 2501 holds bytes that are not"
                + " UTF-8 (0xE9;");
        assertThat(file(run, names.get("latin1-late")).get("rows_total").asLong()).isGreaterThanOrEqualTo(2_000);
        assertRejected(run, names.get("unclosed-late"), "a quoted value opening on line 2102 is never closed");
        assertRejected(run, names.get("duplicate-header"), "header column 'externalId' appears twice (columns 1 and 3)");
        assertRejected(run, names.get("wrong-delimiter"), "(is the delimiter ';'?)");
        JsonNode formulas = file(run, names.get("formulas"));
        assertThat(formulas.get("status").asText()).isEqualTo("Imported");
        assertThat(formulas.get("rows_processed").asLong()).isEqualTo(2);
        assertThat(formulas.get("rows_errored").asLong()).isEqualTo(5);
        JsonNode big = file(run, names.get("ten-mb-cell"));
        assertThat(big.get("status").asText()).isEqualTo("Imported");
        assertThat(big.get("rows_processed").asLong()).isEqualTo(2);
        assertThat(big.get("rows_errored").asLong()).isEqualTo(1);
        assertThat(file(run, names.get("million-commas")).get("rows_processed").asLong()).isEqualTo(2);

        List<JsonNode> events = delivered(6, Duration.ofSeconds(60));
        assertThat(events).extracting(e -> e.at("/origin/file").asText() + "#" + e.at("/origin/row").asText())
                .containsExactly(names.get("formulas") + "#1", names.get("formulas") + "#2",
                        names.get("ten-mb-cell") + "#1", names.get("ten-mb-cell") + "#3",
                        names.get("million-commas") + "#1", names.get("million-commas") + "#3");
        assertThat(events).extracting(e -> e.at("/properties/device").asText())
                .startsWith("=cmd()", "@SUM(A1)");

        HttpResponse<String> errors = relay.get("/api/runs/" + run.get("id").asText() + "/errors.csv");
        assertThat(errors.statusCode()).isEqualTo(200);
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(errors.body())).getRecords();
        Map<String, CSVRecord> byFileAndRow = new LinkedHashMap<>();
        for (CSVRecord row : rows.subList(1, rows.size())) {
            byFileAndRow.put(row.get(0) + "#" + row.get(1), row);
        }
        String f = names.get("formulas");
        assertThat(byFileAndRow.get(f + "#3").get(3)).isEqualTo("'=cmd('calc'),never,x,true");
        assertThat(byFileAndRow.get(f + "#4").get(3)).isEqualTo("'+1+1,never,x,true");
        assertThat(byFileAndRow.get(f + "#5").get(3)).isEqualTo("'-2,never,x,true");
        assertThat(byFileAndRow.get(f + "#6").get(3)).isEqualTo("'@x,never,x,true");
        assertThat(byFileAndRow.get(f + "#7").get(3)).isEqualTo("'\tf-7,never,x,true");
        assertThat(byFileAndRow.get(f + "#3").get(2)).isEqualTo("eventDate 'never' is not yyyy-MM-dd HH:mm:ss or"
                + " ISO-8601 with an offset");
        CSVRecord cut = byFileAndRow.get(names.get("ten-mb-cell") + "#2");
        assertThat(cut.get(2)).isEqualTo("the row is 10,485,789 characters long; at most 65,536 are allowed"
                + " (relay.imports.csv.max-row-chars)");
        assertThat(cut.get(3)).startsWith("m-2," + DATE + ",xxx").endsWith("…[cut after 10,000 characters]")
                .hasSize(10_000 + "…[cut after 10,000 characters]".length());
        assertThat(byFileAndRow.get(names.get("utf16") + "#0").get(2)).contains("UTF-16LE");
        assertThat(relay.get("/health").statusCode()).isEqualTo(200);

        JsonNode again = run(Duration.ofSeconds(60));

        assertThat(again.get("files")).isEmpty();
        assertThat(Outbox.read(dir.resolve("outbox"))).hasSize(6);
    }

    @Test
    void namesThatOnlyLookLikeDropsAreLeftAloneAndReportedOnce() throws Exception {
        String good = dropName(1);
        String yesterday = good.split("-")[2];
        List<String> hostile = new ArrayList<>(List.of(
                good + " ",
                CHANNEL + "-" + LOGIN + "-" + yesterday + "-2 .csv",
                CHANNEL + "-UDE 7KQ2LOGIN-" + yesterday + "-1.csv",
                CHANNEL + "-..-" + yesterday + "-1.csv",
                "..-" + LOGIN + "-" + yesterday + "-1.csv",
                CHANNEL + "-" + LOGIN + "-" + yesterday + "-3.csv.part",
                CHANNEL + "-" + LOGIN + "-" + yesterday + "-3.CSV",
                CHANNEL + "-" + LOGIN + "\nforged-" + yesterday + "-1.csv"));
        boolean unicodeNames = "UTF-8".equalsIgnoreCase(System.getProperty("sun.jnu.encoding"));
        if (unicodeNames) {
            hostile.addAll(List.of("udc_1ıtzAa15r-" + LOGIN + "-" + yesterday + "-1.csv",
                    CHANNEL + "-" + LOGIN + "\u202E-" + yesterday + "-1.csv",
                    CHANNEL + "-Ünïcødé-" + yesterday + "-1.csv"));
        }
        put(good, utf8(HEADER + "\n" + good(1) + "\n"));
        for (String name : hostile) {
            put(name, utf8(HEADER + "\n" + good(9) + "\n"));
        }
        Files.createDirectory(sftp.root().resolve(dropName(4)));
        relay = new RelayUnderTest(config).start();

        JsonNode run = run(Duration.ofSeconds(60));

        assertThat(run.get("files")).extracting(f -> f.get("name").asText()).containsExactly(good);
        assertThat(delivered(1, Duration.ofSeconds(30))).extracting(e -> e.at("/profile/external_id").asText())
                .containsExactly("c-1");
        List<String> reports = leftAloneReports();
        assertThat(reports).hasSize(hostile.size());
        assertThat(reports).allSatisfy(summary -> assertThat(summary).doesNotContain("\n").doesNotContain("\u202E")
                .contains("it is left alone"));
        assertThat(reports).anySatisfy(summary -> assertThat(summary).contains(LOGIN + "\\u000Aforged"));
        if (unicodeNames) {
            assertThat(reports).anySatisfy(summary -> assertThat(summary).contains("has event code Ünïcødé"));
            assertThat(reports).anySatisfy(summary -> assertThat(summary).contains(LOGIN + "\\u202E"));
        }
        assertThat(reports).anySatisfy(summary -> assertThat(summary).contains("has event code .."));

        run(Duration.ofSeconds(60));

        assertThat(leftAloneReports()).hasSize(hostile.size());
        assertThat(Files.exists(sftp.root().resolve(hostile.get(0)))).isTrue();
    }

    private List<String> leftAloneReports() throws Exception {
        List<String> summaries = new ArrayList<>();
        for (JsonNode error : relay.getJson("/api/errors?limit=1000").get("errors")) {
            if (error.get("code").asText().equals("file-left-alone")) {
                summaries.add(error.get("summary").asText());
            }
        }
        return summaries;
    }

    /** Asserts that {@code events} hold each row of {@code rows} of {@code file} exactly once, and nothing else. */
    static void assertEachRowOnce(List<JsonNode> events, String file, Set<Long> rows) {
        Set<Long> seen = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (JsonNode event : events) {
            assertThat(event.at("/origin/file").asText()).isEqualTo(file);
            assertThat(seen.add(event.at("/origin/row").asLong())).as("row delivered twice").isTrue();
            assertThat(ids.add(event.get("event_id").asText())).as("event id delivered twice").isTrue();
        }
        assertThat(seen).isEqualTo(rows);
    }
}
