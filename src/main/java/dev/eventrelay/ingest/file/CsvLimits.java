package dev.eventrelay.ingest.file;

/**
 * How big a CSV file's rows may be. They bound the reader's memory and the size of each event.
 *
 * @param maxRowChars characters of one row, quoted line breaks included: a longer data row is rejected
 *                    (and only its first {@code maxRowChars} characters are read), a longer header rejects
 *                    the file
 * @param maxColumns  header columns: a wider header rejects the file
 */
public record CsvLimits(int maxRowChars, int maxColumns) {

    public static final CsvLimits DEFAULTS = new CsvLimits(65_536, 1_000);

    public CsvLimits {
        if (maxRowChars < 1 || maxColumns < 1) {
            throw new IllegalArgumentException("CSV limits must be at least 1: " + maxRowChars + ", " + maxColumns);
        }
    }
}
