package dev.eventrelay.ingest.file;

import java.util.List;

/**
 * A data row of a CSV file: its number (1 = first row after the header), its values and its raw text.
 * {@code defect} says why the row cannot be read (it is too long: then {@code raw} is its first part
 * and {@code values} is empty); null for a row that was read whole.
 */
public record CsvRow(long number, List<String> values, String raw, String defect) {

    public CsvRow(long number, List<String> values, String raw) {
        this(number, values, raw, null);
    }
}
