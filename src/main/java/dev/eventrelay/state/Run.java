package dev.eventrelay.state;

import java.time.Instant;
import java.util.List;

/** A run of an import, with its status words, row counts summed over its files, and the files. */
public record Run(String id, String importName, String kind, String trigger, String fetchStatus,
                  Instant fetchStartedAt, Instant fetchEndedAt, String processingStatus,
                  Instant processingStartedAt, Instant processingEndedAt, String reason,
                  long rowsTotal, long rowsProcessed, long rowsErrored, long rowsWarnings,
                  List<RunFile> files) {

    /** Rows handled so far as a share of rows read, 0 to 100; 100 once processing is over. */
    public int percentProcessed() {
        if (Status.PROCESSED.equals(processingStatus)) {
            return 100;
        }
        return rowsTotal == 0 ? 0 : (int) ((rowsProcessed + rowsErrored) * 100 / rowsTotal);
    }
}
