package dev.eventrelay.ingest.file;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvFileReaderTest {

    private static final Path TRICKY = Path.of("src/test/resources/samples/tricky");
    private static final Path SFTP = Path.of("src/test/resources/samples/sftp");

    @Test
    void headerNamesAreTrimmed() throws Exception {
        try (CsvFileReader reader = reader(" externalId ,\teventDate, device \nc-1,2026-11-22 08:00:00,web\n")) {
            assertThat(reader.header()).containsExactly("externalId", "eventDate", "device");
        }
    }

    @Test
    void utf8ByteOrderMarkIsSkippedAndTheHeaderIsReadCorrectly() throws Exception {
        Path file = TRICKY.resolve("udc_1itzAa15r-UDE_7KQ2LOGIN-20261121-1.csv");
        assertThat(Files.readAllBytes(file)).startsWith(0xEF, 0xBB, 0xBF);
        try (CsvFileReader reader = new CsvFileReader(Files.newInputStream(file), ',')) {
            assertThat(reader.header()).containsExactly("externalId", "eventDate", "device", "first_login");
            CsvRow row = reader.next();
            assertThat(row.values()).containsExactly("c-9001", "2026-11-22 08:00:00", "web", "true");
            assertThat(row.raw()).isEqualTo("c-9001,2026-11-22 08:00:00,web,true");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void utf16LittleEndianByteOrderMarkIsRefused() {
        byte[] body = "externalId,eventDate\n".getBytes(StandardCharsets.UTF_16LE);
        byte[] bytes = new byte[body.length + 2];
        bytes[0] = (byte) 0xFF;
        bytes[1] = (byte) 0xFE;
        System.arraycopy(body, 0, bytes, 2, body.length);

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(bytes)))
                .isInstanceOf(FileRejectedException.class)
                .hasMessageContaining("UTF-16LE")
                .hasMessageContaining("must be UTF-8");
    }

    @Test
    void utf16BigEndianByteOrderMarkIsRefused() {
        byte[] body = "externalId,eventDate\n".getBytes(StandardCharsets.UTF_16BE);
        byte[] bytes = new byte[body.length + 2];
        bytes[0] = (byte) 0xFE;
        bytes[1] = (byte) 0xFF;
        System.arraycopy(body, 0, bytes, 2, body.length);

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(bytes)))
                .isInstanceOf(FileRejectedException.class)
                .hasMessageContaining("UTF-16BE")
                .hasMessageContaining("must be UTF-8");
    }

    @Test
    void invalidUtf8IsRefusedWithAReasonNamingUtf8() {
        assertThatThrownBy(() -> readAll(Files.newInputStream(TRICKY.resolve("invalid-utf8.csv"))))
                .isInstanceOf(FileRejectedException.class)
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("save the file as UTF-8");
    }

    @Test
    void invalidUtf8ReasonNamesTheLineThatHoldsTheBadBytes() {
        assertThatThrownBy(() -> readAll(Files.newInputStream(TRICKY.resolve("invalid-utf8.csv"))))
                .isInstanceOf(FileRejectedException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void invalidUtf8FarDownAFileNamesItsOwnLine() {
        StringBuilder csv = new StringBuilder("externalId,eventDate,device\n");
        for (int i = 1; i <= 500; i++) {
            csv.append("c-").append(i).append(",2026-11-22 08:00:00,web\n");
        }
        byte[] good = csv.toString().getBytes(StandardCharsets.UTF_8);
        byte[] bad = "c-x,2026-11-22 08:00:00,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] bytes = new byte[good.length + bad.length];
        System.arraycopy(good, 0, bytes, 0, good.length);
        System.arraycopy(bad, 0, bytes, good.length, bad.length);

        assertThatThrownBy(() -> readAll(new ByteArrayInputStream(bytes)))
                .isInstanceOf(FileRejectedException.class)
                .hasMessageContaining("not valid UTF-8")
                .hasMessageContaining("line 502");
    }

    @Test
    void unclosedQuoteIsReportedWithTheLineWhereTheQuoteOpens() {
        assertThatThrownBy(() -> readAll(Files.newInputStream(TRICKY.resolve("unclosed-quote.csv"))))
                .isInstanceOf(FileRejectedException.class)
                .hasMessage("a quoted value opening on line 2 is never closed");
    }

    @Test
    void unclosedQuoteFurtherDownNamesItsOwnLine() {
        String csv = "a,b\n1,2\n3,4\n5,\"six\n7,8\n";
        assertThatThrownBy(() -> readAll(stream(csv)))
                .isInstanceOf(FileRejectedException.class)
                .hasMessage("a quoted value opening on line 4 is never closed");
    }

    @Test
    void unclosedQuoteAfterAQuotedLineBreakCountsEveryLine() {
        String csv = "a,b\n1,\"x\ny\"\n3,\"open\n4,5\n";
        assertThatThrownBy(() -> readAll(stream(csv)))
                .isInstanceOf(FileRejectedException.class)
                .hasMessage("a quoted value opening on line 4 is never closed");
    }

    @Test
    void emptyFileIsRejectedForHavingNoHeader() {
        assertThatThrownBy(() -> readAll(Files.newInputStream(TRICKY.resolve("empty.csv"))))
                .isInstanceOf(FileRejectedException.class)
                .hasMessageContaining("no header");
    }

    @Test
    void headerOnlyFileHasNoRows() throws Exception {
        try (CsvFileReader reader = new CsvFileReader(Files.newInputStream(TRICKY.resolve("header-only.csv")), ',')) {
            assertThat(reader.header()).containsExactly("externalId", "eventDate", "device", "first_login");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void duplicateHeaderNameIsRefused() {
        assertThatThrownBy(() -> readAll(stream("externalId,eventDate, externalId\n1,2,3\n")))
                .isInstanceOf(FileRejectedException.class)
                .hasMessage("header column 'externalId' appears twice (columns 1 and 3)");
    }

    @Test
    void emptyHeaderNameIsRefusedWithItsPosition() {
        assertThatThrownBy(() -> readAll(stream("externalId, ,eventDate\n1,2,3\n")))
                .isInstanceOf(FileRejectedException.class)
                .hasMessage("header column 2 has no name");
    }

    @Test
    void quotedLineBreakIsKeptInTheValueAndCrlfEndingsAreStrippedFromRawLines() throws Exception {
        List<CsvRow> rows = readAll(Files.newInputStream(TRICKY.resolve("crlf-and-quoted-newline.csv")));

        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).values()).containsExactly("c-9005", "2026-11-22 08:00:00", "web", "true");
        assertThat(rows.get(0).raw()).isEqualTo("c-9005,2026-11-22 08:00:00,web,true");
        assertThat(rows.get(1).values()).containsExactly("c-9006", "2026-11-22 08:00:01", "multi\r\nline", "false");
        assertThat(rows.get(1).raw()).isEqualTo("c-9006,2026-11-22 08:00:01,\"multi\r\nline\",false");
    }

    @Test
    void rawLineOfEachRowIsTheRowsTextExactly() throws Exception {
        Path file = SFTP.resolve("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        List<CsvRow> rows = readAll(Files.newInputStream(file));

        assertThat(rows).extracting(CsvRow::raw).containsExactlyElementsOf(lines.subList(1, lines.size()));
        assertThat(rows.get(6).raw()).isEqualTo("c-1007,2026-11-22 15:45:10,42.00,yes,,\"Munich, Bavaria\",DE,ads,cpc,winter");
        assertThat(rows.get(6).values().get(5)).isEqualTo("Munich, Bavaria");
        assertThat(rows.get(3).raw()).contains("Köln");
    }

    @Test
    void rowNumbersStartAtOneAfterTheHeader() throws Exception {
        List<CsvRow> rows = readAll(Files.newInputStream(SFTP.resolve("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv")));

        assertThat(rows).extracting(CsvRow::number).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(rows.get(0).values().get(0)).isEqualTo("c-1001");
        assertThat(rows.get(4).values().get(0)).isEmpty();
    }

    @Test
    void lastRowWithoutLineBreakKeepsItsWholeText() throws Exception {
        List<CsvRow> rows = readAll(stream("a,b\r\n1,2\r\n3,\"x,y\""));

        assertThat(rows).extracting(CsvRow::raw).containsExactly("1,2", "3,\"x,y\"");
        assertThat(rows.get(1).values()).containsExactly("3", "x,y");
    }

    @Test
    void rawLineAfterAnEmptyLineHoldsOnlyTheRowsText() throws Exception {
        List<CsvRow> rows = readAll(stream("a,b\n1,2\n\n3,4\n"));

        assertThat(rows).extracting(CsvRow::number).containsExactly(1L, 2L);
        assertThat(rows).extracting(CsvRow::raw).containsExactly("1,2", "3,4");
    }

    @Test
    void configuredDelimiterSplitsTheHeader() throws Exception {
        try (CsvFileReader reader = new CsvFileReader(Files.newInputStream(TRICKY.resolve("semicolon-delimited.csv")),
                ';')) {
            assertThat(reader.header()).containsExactly("externalId", "eventDate", "device", "first_login");
            assertThat(reader.next().values()).containsExactly("c-9002", "2026-11-22 08:00:00", "web", "true");
        }
    }

    @Test
    void wrongDelimiterLeavesTheWholeHeaderInOneColumn() throws Exception {
        try (CsvFileReader reader = new CsvFileReader(Files.newInputStream(TRICKY.resolve("semicolon-delimited.csv")),
                ',')) {
            assertThat(reader.header()).containsExactly("externalId;eventDate;device;first_login");
        }
    }

    private static CsvFileReader reader(String csv) throws IOException, FileRejectedException {
        return new CsvFileReader(stream(csv), ',');
    }

    private static InputStream stream(String csv) {
        return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
    }

    private static List<CsvRow> readAll(InputStream in) throws IOException, FileRejectedException {
        try (CsvFileReader reader = new CsvFileReader(in, ',')) {
            reader.header();
            List<CsvRow> rows = new ArrayList<>();
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
            return rows;
        }
    }
}
