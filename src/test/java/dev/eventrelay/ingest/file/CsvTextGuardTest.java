package dev.eventrelay.ingest.file;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The row limit cuts a row wherever it falls — inside a quoted value, on either quote of a doubled
 * pair, on a quoted line break, on a delimiter — and the parser still reads the next row whole.
 */
class CsvTextGuardTest {

    private static final String TRICKY = "x,\"q\"\"u,o\r\nte\",\"\"";

    @Test
    void whereverTheLimitCutsARowThatRowIsRejectedAndTheNextRowIsReadWhole() throws Exception {
        for (int limit = 3; limit <= TRICKY.length() + 1; limit++) {
            String csv = "a,b\n" + TRICKY + "\n1,2\n";
            try (CsvFileReader reader = new CsvFileReader(stream(csv), ',', new CsvLimits(limit, 10))) {
                assertThat(reader.header()).containsExactly("a", "b");
                CsvRow tricky = reader.next();
                if (TRICKY.length() <= limit) {
                    assertThat(tricky.defect()).as("limit " + limit).isNull();
                    assertThat(tricky.values()).containsExactly("x", "q\"u,o\r\nte", "");
                    assertThat(tricky.raw()).isEqualTo(TRICKY);
                } else {
                    assertThat(tricky.defect()).as("limit " + limit).isEqualTo("the row is " + TRICKY.length()
                            + " characters long; at most " + limit + " are allowed (relay.imports.csv.max-row-chars)");
                    assertThat(tricky.values()).isEmpty();
                    assertThat(tricky.raw().length()).isLessThanOrEqualTo(limit + 1);
                }
                CsvRow next = reader.next();
                assertThat(next.number()).isEqualTo(2);
                assertThat(next.values()).as("limit " + limit).containsExactly("1", "2");
                assertThat(next.raw()).isEqualTo("1,2");
                assertThat(reader.next()).isNull();
            }
        }
    }

    @Test
    void longRunsOfPlainTextAcrossTheReadersBuffersAreCutExactlyAtTheLimit() throws Exception {
        String row = "x".repeat(20_000) + ",\"" + "y".repeat(15_000) + "\r\n\"\"z\"";
        for (int limit : new int[] {19_999, 20_000, 20_001, 30_000, row.length() - 1, row.length()}) {
            List<CsvRow> rows = readAll("a,b\n" + row + "\n1,2\n", limit);
            assertThat(rows).hasSize(2);
            if (row.length() <= limit) {
                assertThat(rows.get(0).defect()).as("limit " + limit).isNull();
                assertThat(rows.get(0).raw()).isEqualTo(row);
                assertThat(rows.get(0).values().get(1)).hasSize(15_000 + 4);
            } else {
                assertThat(rows.get(0).defect()).as("limit " + limit).startsWith(String.format("the row is %,d characters long; at most %,d", row.length(), limit));
            }
            assertThat(rows.get(1).values()).containsExactly("1", "2");
        }
    }

    @Test
    void aRowCutAtTheEndOfTheFileWithoutALineBreakIsStillReported() throws Exception {
        try (CsvFileReader reader = new CsvFileReader(stream("a,b\n1,2\n" + "3," + "4".repeat(50)), ',',
                new CsvLimits(10, 10))) {
            reader.header();
            assertThat(reader.next().values()).containsExactly("1", "2");
            assertThat(reader.next().defect()).startsWith("the row is 52 characters long; at most 10");
            assertThat(reader.next()).isNull();
        }
    }

    @Test
    void anUnclosedQuoteLongerThanARowNamesTheLineWhereItOpens() {
        assertThatThrownBy(() -> readAll("a,b\n1,2\n\n3,\"" + "x\n".repeat(100), 20))
                .isInstanceOf(FileRejectedException.class)
                .hasMessage("a quoted value opening on line 4 is never closed");
    }

    @Test
    void aRowBeingCutIsRejectedForItsLengthEvenWithCharactersAfterAClosingQuote()
            throws Exception {
        List<CsvRow> rows = readAll("a,b\n1,\"" + "x".repeat(30) + "\"y\n2,3\n", 20);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).defect()).startsWith("the row is 35 characters long");
        assertThat(rows.get(1).values()).containsExactly("2", "3");
    }

    private static List<CsvRow> readAll(String csv, int limit) throws Exception {
        try (CsvFileReader reader = new CsvFileReader(stream(csv), ',', new CsvLimits(limit, 10))) {
            reader.header();
            List<CsvRow> rows = new ArrayList<>();
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                rows.add(row);
            }
            return rows;
        }
    }

    private static ByteArrayInputStream stream(String csv) {
        return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
    }
}
