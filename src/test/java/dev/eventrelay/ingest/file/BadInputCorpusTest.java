package dev.eventrelay.ingest.file;

import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.ingest.FileFailures;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.mapping.MappingSettings;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.EventType;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.systemevents.SystemEvents;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.RejectedRow;
import dev.eventrelay.state.RunFile;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.support.GeneratedInput.Source;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static dev.eventrelay.support.GeneratedInput.breakingAfter;
import static dev.eventrelay.support.GeneratedInput.bytes;
import static dev.eventrelay.support.GeneratedInput.concat;
import static dev.eventrelay.support.GeneratedInput.lines;
import static dev.eventrelay.support.GeneratedInput.repeat;
import static dev.eventrelay.support.GeneratedInput.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bad input corpus (issue 6.4) at the importer: every case is a file generated here (bytes, or a
 * stream made as it is read for the big ones) and the whole outcome docs/input.md's table "What happens
 * to bad input" promises for it — the file's status and reason, which rows were accepted (exactly,
 * by row number, each published once), which were rejected and why, warnings, and what the events
 * hold. The real {@link FileImporter} writes to a real state store (H2), so "nothing of a rejected
 * file is delivered" is checked where delivery reads: the published event log.
 */
class BadInputCorpusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FILE = "udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv";
    private static final String HEADER = "externalId,eventDate,device";
    private static final String DATE = "2026-11-22 08:00:00";
    private static final String DATE_REASON = "is not yyyy-MM-dd HH:mm:ss or ISO-8601 with an offset";
    private static final int CHUNK_ROWS = 300;
    private static final int TEN_MB = 10 * 1024 * 1024;
    private static final String TOO_LONG = " characters long; at most 65,536 are allowed (relay.imports.csv.max-row-chars)";

    private static final EventType LOGIN = new EventType("UDE_7KQ2LOGIN", "Login", Map.of(
            "amount", AttributeType.NUMBER, "paid", AttributeType.BOOLEAN, "visited_at", AttributeType.DATE));
    private static final MappingSettings SFTP = sftp(ZoneOffset.UTC);
    private static final MappingSettings UPLOAD = new MappingSettings("upload", "corpus", null, null, ZoneOffset.UTC,
            List.of(), false, "|", Map.of());

    @TempDir
    static Path dir;
    static StateStore store;
    static RunStore runs;
    static EventLog events;
    static SystemEvents systemEvents;

    @BeforeAll
    static void openStore() {
        store = new StateStore(StoreDatabases.sqlite(dir), "sa", "", 4);
        store.migrate();
        runs = new RunStore(store);
        events = new EventLog(store);
        systemEvents = new SystemEvents(store, events, runs, Clock.systemUTC());
        systemEvents.prepare();
    }

    @AfterAll
    static void closeStore() {
        store.stop();
    }

    private static MappingSettings sftp(ZoneId zone) {
        return new MappingSettings("sftp", "corpus", "udc_1itzAa15r", LOGIN, zone, List.of("externalId", "eventDate"),
                true, "|", Map.of("source", "import-source", "medium", "import-medium"));
    }

    static Stream<Case> corpus() {
        return Stream.of(encodings(), delimiters(), quoting(), lineEndings(), emptyFiles(), headers(), sizes(),
                rowRules(), cutShort()).flatMap(List::stream);
    }

    // ---- encodings

    private static List<Case> encodings() {
        return List.of(
                file("a UTF-8 byte order mark is skipped",
                        concat(bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}), utf8(HEADER + "\nc-1," + DATE + ",web\n")))
                        .accepts(1).events(e -> assertThat(e.get(0).at("/profile/external_id").asText()).isEqualTo("c-1")),
                file("UTF-16LE with a byte order mark is rejected whole",
                        concat(bytes(new byte[] {(byte) 0xFF, (byte) 0xFE}), text(HEADER + "\nc-1," + DATE + ",web\n",
                                StandardCharsets.UTF_16LE)))
                        .rejectedWhole("the file is UTF-16LE (it starts with that byte order mark); files must be UTF-8"),
                file("UTF-16BE with a byte order mark is rejected whole",
                        concat(bytes(new byte[] {(byte) 0xFE, (byte) 0xFF}), text(HEADER + "\n", StandardCharsets.UTF_16BE)))
                        .rejectedWhole("the file is UTF-16BE"),
                file("UTF-16LE without a byte order mark is rejected whole for its NUL characters",
                        text(HEADER + "\nc-1," + DATE + ",web\n", StandardCharsets.UTF_16LE))
                        .rejectedWhole("the file is not UTF-8 text: line 1 holds a NUL character (is it UTF-16 without a"
                                + " byte order mark, or binary?); save the file as UTF-8"),
                file("UTF-16BE without a byte order mark is rejected whole for its NUL characters",
                        text(HEADER + "\n", StandardCharsets.UTF_16BE))
                        .rejectedWhole("line 1 holds a NUL character"),
                file("Latin-1 text is rejected whole naming the line and the byte",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",web\n"), text("c-2," + DATE + ",caf\u00e9\n",
                                StandardCharsets.ISO_8859_1)))
                        .rejectedWhole("the file is not valid UTF-8: the record starting on line 3 holds bytes that are"
                                + " not UTF-8 (0xE9; Latin-1 or Windows-1252?); save the file as UTF-8"),
                file("Windows-1252 curly quotes are rejected whole naming the byte",
                        concat(utf8(HEADER + "\nc-1," + DATE + ","), bytes(new byte[] {(byte) 0x93}), utf8("web\n")))
                        .rejectedWhole("line 2 holds bytes that are not UTF-8 (0x93;"),
                file("a byte 0xFF in the header is rejected whole on line 1",
                        concat(utf8("externalId,eventDate,dev"), bytes(new byte[] {(byte) 0xFF}), utf8("ice\n")))
                        .rejectedWhole("line 1 holds bytes that are not UTF-8 (0xFF;"),
                file("a multi-byte character cut off by the end of the file is rejected whole",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",caf"), bytes(new byte[] {(byte) 0xC3})))
                        .rejectedWhole("line 2 holds bytes that are not UTF-8 (0xC3;"),
                file("an overlong UTF-8 encoding is rejected whole",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",a"), bytes(new byte[] {(byte) 0xC0, (byte) 0xAF}), utf8("\n")))
                        .rejectedWhole("(0xC0;"),
                file("an encoded UTF-16 surrogate (CESU-8) is rejected whole",
                        concat(utf8(HEADER + "\nc-1," + DATE + ","), bytes(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
                                utf8("\n")))
                        .rejectedWhole("not valid UTF-8"),
                file("a NUL byte in a data row is rejected whole naming its line",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",w\u0000b\n"))
                        .rejectedWhole("line 3 holds a NUL character"),
                file("non-ASCII UTF-8 (emoji, CJK, combining marks, right-to-left) is kept exactly",
                        utf8(HEADER + "\nc-1," + DATE + ",\uD83D\uDE80 \u6771\u4EAC\nc-2," + DATE + ",e\u0301\u05E9\u05DC\n"))
                        .accepts(1, 2).events(e -> {
                            assertThat(e.get(0).at("/properties/device").asText()).isEqualTo("\uD83D\uDE80 \u6771\u4EAC");
                            assertThat(e.get(1).at("/properties/device").asText()).isEqualTo("e\u0301\u05E9\u05DC");
                        }),
                file("control characters inside a value are data and are delivered as they are",
                        utf8(HEADER + "\nc-1," + DATE + ",a\u0001b\u001Bc\n"))
                        .accepts(1).events(e -> assertThat(e.get(0).at("/properties/device").asText())
                                .isEqualTo("a\u0001b\u001Bc")));
    }

    // ---- delimiters

    private static List<Case> delimiters() {
        return List.of(
                file("a semicolon file read with the comma is rejected whole with a hint",
                        utf8("externalId;eventDate;device\nc-1;" + DATE + ";web\n"))
                        .rejectedWhole("required column 'externalId' is missing; the header has 1 column:"
                                + " externalId;eventDate;device (is the delimiter ';'?)"),
                file("a tab file read with the comma is rejected whole with a hint",
                        utf8("externalId\teventDate\tdevice\nc-1\t" + DATE + "\tweb\n"))
                        .rejectedWhole("(is the delimiter tab?)"),
                file("a comma file read with the semicolon is rejected whole with a hint",
                        utf8(HEADER + "\nc-1," + DATE + ",web\n")).delimiter(';')
                        .rejectedWhole("(is the delimiter ','?)"),
                file("a pipe file read with the pipe is imported",
                        utf8("externalId|eventDate|device\nc-1|" + DATE + "|web\nc-2|" + DATE + "|\"a|b\"\n")).delimiter('|')
                        .accepts(1, 2).events(e -> assertThat(e.get(1).at("/properties/device").asText()).isEqualTo("a|b")),
                file("a tab file read with the tab is imported",
                        utf8("externalId\teventDate\tdevice\nc-1\t" + DATE + "\tweb\n")).delimiter('\t')
                        .accepts(1),
                file("a row with one value too many is rejected, the others go on",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",web,extra\nc-3," + DATE + ",web\n"))
                        .accepts(1, 3).rejects(2, "the row has 4 values, the header has 3 columns")
                        .raw(2, "c-2," + DATE + ",web,extra"),
                file("a row with one value too few is rejected",
                        utf8(HEADER + "\nc-1," + DATE + "\n"))
                        .rejects(1, "the row has 2 values, the header has 3 columns"),
                file("a delimiter at the end of every line leaves the last header column without a name",
                        utf8(HEADER + ",\nc-1," + DATE + ",web,\n"))
                        .rejectedWhole("header column 4 has no name"));
    }

    // ---- quoting

    private static List<Case> quoting() {
        return List.of(
                file("an unclosed quote is rejected whole naming the line where it opens",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",\"web\nc-3," + DATE + ",web\n"))
                        .rejectedWhole("a quoted value opening on line 3 is never closed"),
                file("an unclosed quote in the last row without a line break is rejected whole",
                        utf8(HEADER + "\nc-1," + DATE + ",\"web"))
                        .rejectedWhole("a quoted value opening on line 2 is never closed"),
                file("an unclosed quote followed by more than a row's worth of text is rejected whole",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",\""), repeat('x', 200_000)))
                        .rejectedWhole("a quoted value opening on line 2 is never closed"),
                file("a quote inside an unquoted value is kept as a character",
                        utf8(HEADER + "\nc-1," + DATE + ",24\" screen\n"))
                        .accepts(1).events(e -> assertThat(e.get(0).at("/properties/device").asText()).isEqualTo("24\" screen")),
                file("characters after a closing quote are rejected whole naming the line",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",\"we\"b\n"))
                        .rejectedWhole("a quoted value in the record starting on line 3 is followed by other characters"
                                + " before the next delimiter"),
                file("quoted line breaks stay in the value and rows are counted as records",
                        utf8(HEADER + "\nc-1," + DATE + ",\"multi\nline\"\nc-2,not-a-date,\"a\r\nb\"\nc-3," + DATE + ",web\n"))
                        .accepts(1, 3).rejects(2, "eventDate 'not-a-date' " + DATE_REASON)
                        .raw(2, "c-2,not-a-date,\"a\r\nb\"")
                        .events(e -> assertThat(e.get(0).at("/properties/device").asText()).isEqualTo("multi\nline")),
                file("doubled quotes inside a quoted value stand for one quote",
                        utf8(HEADER + "\nc-1," + DATE + ",\"say \"\"hi\"\"\"\n"))
                        .accepts(1).events(e -> assertThat(e.get(0).at("/properties/device").asText()).isEqualTo("say \"hi\"")),
                file("a quoted delimiter is part of the value",
                        utf8(HEADER + "\nc-1," + DATE + ",\"Munich, Bavaria\"\n"))
                        .accepts(1).events(e -> assertThat(e.get(0).at("/properties/device").asText())
                                .isEqualTo("Munich, Bavaria")),
                file("a quoted empty identifier is empty",
                        utf8(HEADER + "\n\"\"," + DATE + ",web\n"))
                        .rejects(1, "no profile identifier"),
                file("a quote after a space is data, a space after a closing quote is dropped",
                        utf8(HEADER + "\nc-1," + DATE + ", \"web\"\nc-2," + DATE + ",\"web\" \n"))
                        .accepts(1, 2).events(e -> {
                            assertThat(e.get(0).at("/properties/device").asText()).isEqualTo("\"web\"");
                            assertThat(e.get(1).at("/properties/device").asText()).isEqualTo("web");
                        }));
    }

    // ---- line endings

    private static List<Case> lineEndings() {
        return List.of(
                file("CRLF line endings", utf8(HEADER + "\r\nc-1," + DATE + ",web\r\nc-2," + DATE + ",ios\r\n"))
                        .accepts(1, 2).events(e -> assertThat(e.get(1).at("/properties/device").asText()).isEqualTo("ios")),
                file("CR line endings", utf8(HEADER + "\rc-1," + DATE + ",web\rc-2," + DATE + ",ios\r"))
                        .accepts(1, 2),
                file("mixed line endings", utf8(HEADER + "\nc-1," + DATE + ",web\r\nc-2," + DATE + ",ios\rc-3,bad,x\n"))
                        .accepts(1, 2).rejects(3, "eventDate 'bad'").raw(3, "c-3,bad,x"),
                file("no line break after the last row", utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",ios"))
                        .accepts(1, 2).events(e -> assertThat(e.get(1).at("/properties/device").asText()).isEqualTo("ios")),
                file("blank lines are skipped and not counted",
                        utf8(HEADER + "\n\nc-1," + DATE + ",web\n\n\r\n\nc-2," + DATE + ",ios\n\n\n"))
                        .accepts(1, 2),
                file("a line of spaces is a row of one value",
                        utf8(HEADER + "\nc-1," + DATE + ",web\n   \n"))
                        .accepts(1).rejects(2, "the row has 1 value, the header has 3 columns"));
    }

    // ---- empty files

    private static List<Case> emptyFiles() {
        return List.of(
                file("an empty file is rejected whole", bytes(new byte[0]))
                        .rejectedWhole("the file is empty: it has no header row"),
                file("a file of only a byte order mark is rejected whole",
                        bytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}))
                        .rejectedWhole("the file is empty: it has no header row"),
                file("a file of only blank lines is rejected whole", utf8("\n\r\n\n"))
                        .rejectedWhole("the file is empty: it has no header row"),
                file("a header-only file is imported with no rows", utf8(HEADER + "\n")).accepts(),
                file("a header-only file without a line break is imported with no rows", utf8(HEADER)).accepts());
    }

    // ---- headers

    private static List<Case> headers() {
        String wideHeader = "externalId,eventDate," + LongStream.rangeClosed(3, 10_000).mapToObj(i -> "p" + i)
                .collect(Collectors.joining(","));
        String wideRow = "c-1," + DATE + "," + LongStream.rangeClosed(3, 10_000).mapToObj(i -> "v" + i)
                .collect(Collectors.joining(","));
        return List.of(
                file("a duplicate header name is rejected whole naming it and its columns",
                        utf8("externalId,eventDate, externalId\nc-1," + DATE + ",c-2\n"))
                        .rejectedWhole("header column 'externalId' appears twice (columns 1 and 3)"),
                file("header names that are equal once trimmed are duplicates",
                        utf8("externalId,email,eventDate,email \nc-1,a@b," + DATE + ",c@d\n"))
                        .rejectedWhole("header column 'email' appears twice (columns 2 and 4)"),
                file("an empty header name is rejected whole naming its position",
                        utf8("externalId,,eventDate\nc-1,x," + DATE + "\n"))
                        .rejectedWhole("header column 2 has no name"),
                file("spaces and tabs around header names are trimmed",
                        utf8(" externalId\t,\teventDate , device\nc-1," + DATE + ",web\n"))
                        .accepts(1),
                file("header names are case-sensitive",
                        utf8("ExternalId,eventDate,device\nc-1," + DATE + ",web\n"))
                        .rejectedWhole("required column 'externalId' is missing; the header has 3 columns: ExternalId,"
                                + " eventDate, device"),
                file("a missing required column is rejected whole",
                        utf8("externalId,device\nc-1,web\n"))
                        .rejectedWhole("required column 'eventDate' is missing"),
                file("two columns for one identifier are rejected whole",
                        utf8("externalId,eventDate,external_id\nc-1," + DATE + ",c-2\n"))
                        .rejectedWhole("columns 'externalId' and 'external_id' both give the external_id; keep one of them"),
                file("two columns for the event date are rejected whole",
                        utf8("externalId,eventDate,timestamp\nc-1," + DATE + "," + DATE + "\n"))
                        .rejectedWhole("columns 'eventDate' and 'timestamp' both give the event date"),
                file("a property and a nested property under it are rejected whole",
                        utf8("externalId,eventDate,store,store___city\nc-1," + DATE + ",s1,Berlin\n"))
                        .rejectedWhole("columns 'store' and 'store___city' clash"),
                file("a nested property with an empty level is rejected whole",
                        utf8("externalId,eventDate,store______city\nc-1," + DATE + ",Berlin\n"))
                        .rejectedWhole("column 'store______city' names a nested property with an empty level"),
                file("10,000 columns are more than the default 1,000",
                        utf8(wideHeader + "\n" + wideRow + "\n"))
                        .rejectedWhole("the header has 10,000 columns; at most 1,000 are allowed"
                                + " (relay.imports.csv.max-columns)"),
                file("10,000 columns are imported when the limits allow them",
                        utf8(wideHeader + "\n" + wideRow + "\n")).limits(new CsvLimits(200_000, 10_000))
                        .accepts(1).events(e -> {
                            assertThat(e.get(0).get("properties").size()).isEqualTo(9_998);
                            assertThat(e.get(0).at("/properties/p10000").asText()).isEqualTo("v10000");
                        }),
                file("a header longer than a row may be is rejected whole",
                        concat(utf8("externalId,eventDate,"), repeat('h', 70_000), utf8("\nc-1," + DATE + ",web\n")))
                        .rejectedWhole("the header row is 70,021 characters long; at most 65,536 are allowed"),
                file("a second header in the middle (files glued together) is a rejected row",
                        utf8(HEADER + "\nc-1," + DATE + ",web\n" + HEADER + "\nc-2," + DATE + ",ios\n"))
                        .accepts(1, 3).rejects(2, "eventDate 'eventDate' " + DATE_REASON));
    }

    // ---- sizes

    private static List<Case> sizes() {
        String rowStart = "c-2," + DATE + ",";
        long half = TEN_MB / 2;
        return List.of(
                file("a 10 MB cell rejects its row only, with a bounded raw line",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",web\n" + rowStart), repeat('x', TEN_MB),
                                utf8("\nc-3," + DATE + ",ios\n")))
                        .accepts(1, 3).rejects(2, "the row is " + String.format("%,d", rowStart.length() + TEN_MB) + TOO_LONG)
                        .raw(2, rowStart + "x".repeat(FileImporter.MAX_RAW_LINE_CHARS - rowStart.length())
                                + "…[cut after 10,000 characters]"),
                file("a 10 MB quoted cell with line breaks and quotes rejects its row only",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",web\n" + rowStart + "\""), repeat('x', half),
                                utf8("\n\"\"\r\n"), repeat('y', half), utf8("\"\nc-3," + DATE + ",ios\n")))
                        .accepts(1, 3)
                        .rejects(2, "the row is " + String.format("%,d", rowStart.length() + 2 * half + 7) + TOO_LONG),
                file("a line of a million delimiters rejects its row only",
                        concat(utf8(HEADER + "\nc-1," + DATE + ",web\n"), repeat(',', 1_000_000), utf8("\nc-3," + DATE + ",ios\n")))
                        .accepts(1, 3).rejects(2, "the row is 1,000,000" + TOO_LONG),
                file("a row exactly as long as the limit is read, one character more is rejected",
                        utf8(HEADER + "\n" + rowOfLength(1_000, "c-1") + "\n" + rowOfLength(1_001, "c-2") + "\n"))
                        .limits(new CsvLimits(1_000, 1_000))
                        .accepts(1).rejects(2, "the row is 1,001 characters long; at most 1,000 are allowed"),
                file("a huge value that is not a number is quoted in part in the reason",
                        utf8("externalId,eventDate,amount\nc-1," + DATE + "," + "1".repeat(50_000) + "x\n"))
                        .rejects(1, "amount '" + "1".repeat(100) + "…' (50,001 characters) is not a number"),
                file("a long file is imported in chunks with every bad row rejected on its own",
                        lines(HEADER, 20_000, n -> "c-" + n + "," + (n % 1_000 == 0 ? "never" : DATE) + ",web"))
                        .accepts(LongStream.rangeClosed(1, 20_000).filter(n -> n % 1_000 != 0).toArray())
                        .rejectsEach(LongStream.rangeClosed(1, 20).map(n -> n * 1_000).toArray(), "eventDate 'never' "
                                + DATE_REASON));
    }

    private static String rowOfLength(int length, String id) {
        String start = id + "," + DATE + ",";
        return start + "d".repeat(length - start.length());
    }

    // ---- row rules, one at a time

    private static List<Case> rowRules() {
        String typeHeader = "event_type,externalId\n";
        return List.of(
                file("any one profile identifier is enough; none rejects the row",
                        utf8("externalId,email,phone,customerId,eventDate\n,a@b.c,,," + DATE + "\n,,+4912,," + DATE
                                + "\n,,,42," + DATE + "\n, , ,," + DATE + "\n"))
                        .accepts(1, 2, 3).rejects(4, "no profile identifier: externalId, email, phone and customerId are"
                                + " all empty or absent")
                        .events(e -> assertThat(e.get(2).at("/profile/customer_id").asText()).isEqualTo("42")),
                file("an empty event date rejects the row when the import requires it",
                        utf8(HEADER + "\nc-1,,web\n")).rejects(1, "the event date is empty"),
                file("event dates in neither accepted form reject their rows",
                        utf8(HEADER + "\nc-1,22/11/2026 14:00,a\nc-2,2026-11-22T08:00:00,b\nc-3,2026-02-30 08:00:00,c\n"
                                + "c-4,2026-11-22,d\nc-5,1732262400,e\nc-6,2026-11-22 8:00:00,f\nc-7,2026-12-31 23:59:60,g\n"
                                + "c-8,2026-11-22T08:00:00+01:00,h\nc-9,2026-11-22T08:00:00.123456Z,i\nc-10, " + DATE + " ,j\n"))
                        .accepts(8, 9, 10)
                        .rejects(1, "eventDate '22/11/2026 14:00' " + DATE_REASON)
                        .rejects(2, "eventDate '2026-11-22T08:00:00' " + DATE_REASON)
                        .rejects(3, "eventDate '2026-02-30 08:00:00' " + DATE_REASON)
                        .rejects(4, "eventDate '2026-11-22' " + DATE_REASON)
                        .rejects(5, "eventDate '1732262400' " + DATE_REASON)
                        .rejects(6, "eventDate '2026-11-22 8:00:00' " + DATE_REASON)
                        .rejects(7, "eventDate '2026-12-31 23:59:60' " + DATE_REASON)
                        .events(e -> assertThat(e).extracting(x -> x.get("event_date").asText()).containsExactly(
                                "2026-11-22T07:00:00Z", "2026-11-22T08:00:00.123456Z", "2026-11-22T08:00:00Z")),
                file("dates without an offset are in the import's time zone",
                        utf8(HEADER + "\nc-1," + DATE + ",web\n")).settings(sftp(ZoneId.of("Europe/Berlin")))
                        .accepts(1).events(e -> assertThat(e.get(0).get("event_date").asText()).isEqualTo("2026-11-22T07:00:00Z")),
                file("a number attribute that does not parse rejects its row",
                        utf8("externalId,eventDate,amount\nc-1," + DATE + ",\"1,5\"\nc-2," + DATE + ",NaN\nc-3," + DATE
                                + ",1e999999999\nc-4," + DATE + ",\u0661\u0662\nc-5," + DATE + ",0x1F\nc-6," + DATE
                                + ",12.50\nc-7," + DATE + ",-3\nc-8," + DATE + ",1e3\nc-9," + DATE + ",\nc-10," + DATE + ",+.5\n"))
                        .accepts(6, 7, 8, 9, 10)
                        .rejects(1, "amount '1,5' is not a number").rejects(2, "amount 'NaN' is not a number")
                        .rejects(3, "amount '1e999999999' is not a number")
                        .rejects(4, "amount '\u0661\u0662' is not a number").rejects(5, "amount '0x1F' is not a number")
                        .events(e -> {
                            assertThat(e.get(0).at("/properties/amount").decimalValue()).isEqualByComparingTo("12.50");
                            assertThat(e.get(2).at("/properties/amount").decimalValue()).isEqualByComparingTo("1000");
                            assertThat(e.get(3).at("/properties").has("amount")).isFalse();
                        }),
                file("a date attribute that does not parse rejects its row",
                        utf8("externalId,eventDate,visited_at\nc-1," + DATE + ",yesterday\nc-2," + DATE + "," + DATE + "\n"))
                        .accepts(2).rejects(1, "visited_at 'yesterday' is not a date in the form " + "yyyy-MM-dd HH:mm:ss"),
                file("a boolean other than true or false is false with a warning",
                        utf8("externalId,eventDate,paid\nc-1," + DATE + ",yes\nc-2," + DATE + ",1\nc-3," + DATE
                                + ",TRUE\nc-4," + DATE + ",false\n"))
                        .accepts(1, 2, 3, 4).warnings(2)
                        .events(e -> assertThat(e).extracting(x -> x.at("/properties/paid").asBoolean())
                                .containsExactly(false, false, true, false)),
                file("a value that is not a number rejects its row",
                        utf8("externalId,eventDate,value,valueCurrency\nc-1," + DATE + ",abc,EUR\nc-2," + DATE + ",12.5,EUR\n"))
                        .accepts(2).rejects(1, "value 'abc' is not a number")
                        .events(e -> assertThat(e.get(0).get("value_currency").asText()).isEqualTo("EUR")),
                file("UTM from the row wins per key over the import's",
                        utf8("externalId,eventDate,utm_source,utm_campaign\nc-1," + DATE + ",row,bf\nc-2," + DATE + ",,\n"))
                        .accepts(1, 2).events(e -> {
                            assertThat(e.get(0).at("/utm/source").asText()).isEqualTo("row");
                            assertThat(e.get(0).at("/utm/medium").asText()).isEqualTo("import-medium");
                            assertThat(e.get(0).at("/utm/campaign").asText()).isEqualTo("bf");
                            assertThat(e.get(1).at("/utm/source").asText()).isEqualTo("import-source");
                            assertThat(e.get(1).at("/utm/campaign").isNull()).isTrue();
                        }),
                file("product ids split on the delimiter, empty pieces dropped",
                        utf8("externalId,eventDate,productIds\nc-1," + DATE + ",A1|B2\nc-2," + DATE + ", A1 || B2 |\nc-3,"
                                + DATE + ",|\n"))
                        .accepts(1, 2, 3).events(e -> {
                            assertThat(e.get(0).get("product_ids").toString()).isEqualTo("[\"A1\",\"B2\"]");
                            assertThat(e.get(1).get("product_ids").toString()).isEqualTo("[\"A1\",\"B2\"]");
                            assertThat(e.get(2).has("product_ids")).isFalse();
                        }),
                file("event types that break the rules reject their rows",
                        utf8(typeHeader + ",c-1\nOrder.Placed,c-2\n12345,c-3\n" + "x".repeat(65) + ",c-4\n"
                                + "y".repeat(64) + ",c-5\nPlaced Order,c-6\n")).settings(UPLOAD)
                        .accepts(5, 6)
                        .rejects(1, "event type is empty").rejects(2, "event type 'Order.Placed' contains a period")
                        .rejects(3, "event type '12345' is purely numeric")
                        .rejects(4, "is 65 characters long, at most 64 are allowed")
                        .events(e -> assertThat(e.get(1).get("event_type").asText()).isEqualTo("Placed Order")),
                file("a huge event type is quoted in part in the reason",
                        utf8(typeHeader + "z".repeat(5_000) + ",c-1\n")).settings(UPLOAD)
                        .rejects(1, "event type '" + "z".repeat(100) + "…' is 5,000 characters long, at most 64 are allowed"),
                file("formula-like cells are data: delivered untouched",
                        utf8(HEADER + "\nc-1," + DATE + ",=cmd()\nc-2," + DATE + ",+1+1\nc-3," + DATE + ",-2+3\nc-4," + DATE
                                + ",@SUM(A1)\n=cmd(),never,x\n"))
                        .accepts(1, 2, 3, 4).rejects(5, "eventDate 'never'").raw(5, "=cmd(),never,x")
                        .events(e -> assertThat(e).extracting(x -> x.at("/properties/device").asText())
                                .containsExactly("=cmd()", "+1+1", "-2+3", "@SUM(A1)")));
    }

    // ---- files that stop half-way

    private static List<Case> cutShort() {
        Source thousandRows = lines(HEADER, 1_000, n -> "c-" + n + "," + DATE + ",web");
        return List.of(
                file("a file cut in the middle of its last row rejects that row",
                        utf8("externalId,device,eventDate\nc-1,web," + DATE + "\nc-2,ios,2026-11-22 08:0"))
                        .accepts(1).rejects(2, "eventDate '2026-11-22 08:0' " + DATE_REASON),
                file("a file cut inside its last value delivers the part it has (nothing in the file tells)",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",io"))
                        .accepts(1, 2).events(e -> assertThat(e.get(1).at("/properties/device").asText()).isEqualTo("io")),
                file("a file cut right after a delimiter rejects that row",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2,"))
                        .accepts(1).rejects(2, "the row has 2 values, the header has 3 columns"),
                file("a file cut inside a quoted value is rejected whole",
                        utf8(HEADER + "\nc-1," + DATE + ",web\nc-2," + DATE + ",\"half"))
                        .rejectedWhole("a quoted value opening on line 3 is never closed"),
                file("a stream that breaks off fails the file and delivers none of it",
                        breakingAfter(thousandRows, 20_000))
                        .failed("reading the file failed after"));
    }

    // ---- the test

    @Test
    void theCorpusHoldsAtLeastFiftyFiles() {
        assertThat(corpus().count()).isGreaterThanOrEqualTo(50);
        assertThat(corpus().map(c -> c.name).distinct().count()).isEqualTo(corpus().count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void eachFileGetsItsDocumentedOutcome(Case c) throws Exception {
        Instant now = Instant.parse("2026-11-23T02:00:00Z");
        String runId = runs.create("corpus", "sftp", "test", now);
        long fileId = store.inTransaction(conn -> runs.addFile(conn, runId, FILE, null, null, now));
        RelayMetrics metrics = new RelayMetrics();
        FileFailures failures = new FileFailures(store, runs, new RunOwnership(store), events,
                new FileLedger(store), Clock.systemUTC(), metrics, systemEvents);
        FileImporter importer = new FileImporter(store, runs, events, Clock.systemUTC(), CHUNK_ROWS, c.limits,
                failures, metrics);

        if (c.status.equals(Status.FAILED)) {
            assertThatThrownBy(() -> importOnce(importer, runId, fileId, c)).isInstanceOf(IOException.class)
                    .hasMessageContaining(c.fileReason);
        } else {
            FileImporter.Outcome outcome = importOnce(importer, runId, fileId, c);
            assertThat(outcome.status()).isEqualTo(c.status);
        }

        RunFile file = runs.find(runId).orElseThrow().files().get(0);
        List<RejectedRow> rejected = new ArrayList<>();
        runs.forEachRejected(runId, rejected::add);
        List<JsonNode> published = published(runId);
        assertThat(stagedRows(runId)).as("rows left staged").isZero();
        assertThat(file.status()).isEqualTo(c.status);
        if (!c.status.equals(Status.IMPORTED)) {
            assertThat(file.reason()).contains(c.fileReason);
            assertThat(published).as("events of a file that was not imported").isEmpty();
            assertThat(file.rowsProcessed()).isZero();
            if (c.status.equals(Status.REJECTED)) {
                assertThat(rejected).extracting(RejectedRow::rowNumber).containsExactly(0L);
                assertThat(rejected.get(0).reason()).contains(c.fileReason);
            } else {
                assertThat(rejected).isEmpty();
            }
            return;
        }
        assertThat(file.reason()).isNull();
        assertThat(published.stream().map(e -> e.at("/origin/row").asLong()).toList()).as("accepted rows")
                .isEqualTo(c.accepted);
        assertThat(rejected.stream().map(RejectedRow::rowNumber).toList()).as("rejected rows")
                .isEqualTo(List.copyOf(c.rejected.keySet()));
        for (RejectedRow row : rejected) {
            assertThat(row.reason()).as("reason of row " + row.rowNumber()).contains(c.rejected.get(row.rowNumber()));
            assertThat(row.rawLine().length()).as("raw line of row " + row.rowNumber())
                    .isLessThanOrEqualTo(FileImporter.MAX_RAW_LINE_CHARS + 40);
            if (c.raw.containsKey(row.rowNumber())) {
                assertThat(row.rawLine()).isEqualTo(c.raw.get(row.rowNumber()));
            }
        }
        assertThat(file.rowsTotal()).isEqualTo(c.accepted.size() + c.rejected.size());
        assertThat(file.rowsProcessed()).isEqualTo(c.accepted.size());
        assertThat(file.rowsErrored()).isEqualTo(c.rejected.size());
        assertThat(file.rowsWarnings()).isEqualTo(c.warnings);
        c.events.check(published);
    }

    private static FileImporter.Outcome importOnce(FileImporter importer, String runId, long fileId, Case c)
            throws IOException {
        try (InputStream in = c.input.open()) {
            return importer.importFile(runId, fileId, FILE, in, c.delimiter, c.settings);
        }
    }

    private static List<JsonNode> published(String runId) {
        return store.read(conn -> {
            List<JsonNode> found = new ArrayList<>();
            try (PreparedStatement query = conn.prepareStatement("SELECT l.body FROM event_log l JOIN event_segment s"
                    + " ON s.id = l.segment_id WHERE s.run_id = ? AND s.publish_seq IS NOT NULL ORDER BY l.id")) {
                query.setString(1, runId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        found.add(JSON.readTree(rows.getString(1)));
                    }
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            return found;
        });
    }

    private static long stagedRows(String runId) {
        return store.read(conn -> {
            try (PreparedStatement query = conn.prepareStatement("SELECT COUNT(*) FROM event_log l JOIN event_segment s"
                    + " ON s.id = l.segment_id WHERE s.run_id = ? AND s.publish_seq IS NULL")) {
                query.setString(1, runId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static Source text(String text, Charset charset) {
        return bytes(text.getBytes(charset));
    }

    private static Case file(String name, Source input) {
        return new Case(name, input);
    }

    /** Checks on the delivered events of a case, in row order. */
    @FunctionalInterface
    interface EventCheck {
        void check(List<JsonNode> events) throws Exception;
    }

    /** One generated file and its whole expected outcome. */
    static final class Case {
        final String name;
        final Source input;
        MappingSettings settings = SFTP;
        char delimiter = ',';
        CsvLimits limits = CsvLimits.DEFAULTS;
        String status = Status.IMPORTED;
        String fileReason;
        List<Long> accepted = List.of();
        final Map<Long, String> rejected = new TreeMap<>();
        final Map<Long, String> raw = new LinkedHashMap<>();
        long warnings;
        EventCheck events = e -> { };

        Case(String name, Source input) {
            this.name = name;
            this.input = input;
        }

        Case settings(MappingSettings value) {
            settings = value;
            return this;
        }

        Case delimiter(char value) {
            delimiter = value;
            return this;
        }

        Case limits(CsvLimits value) {
            limits = value;
            return this;
        }

        Case rejectedWhole(String reason) {
            status = Status.REJECTED;
            fileReason = reason;
            return this;
        }

        Case failed(String reason) {
            status = Status.FAILED;
            fileReason = reason;
            return this;
        }

        Case accepts(long... rows) {
            accepted = LongStream.of(rows).boxed().toList();
            return this;
        }

        Case rejects(long row, String reason) {
            rejected.put(row, reason);
            return this;
        }

        Case rejectsEach(long[] rows, String reason) {
            for (long row : rows) {
                rejected.put(row, reason);
            }
            return this;
        }

        Case raw(long row, String text) {
            raw.put(row, text);
            return this;
        }

        Case warnings(long count) {
            warnings = count;
            return this;
        }

        Case events(EventCheck check) {
            events = check;
            return this;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
