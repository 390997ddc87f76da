package dev.eventrelay.ingest.file;

import java.util.List;

/** A data row of a CSV file: its number (1 = first row after the header), its values and its raw text. */
public record CsvRow(long number, List<String> values, String raw) {
}
