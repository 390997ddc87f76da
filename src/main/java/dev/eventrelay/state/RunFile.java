package dev.eventrelay.state;

import java.time.Instant;

/** One file of a run, with its own status and row counts. */
public record RunFile(long id, String runId, String fileName, Long sizeBytes, String status, long rowsTotal,
                      long rowsProcessed, long rowsErrored, long rowsWarnings, String reason, Instant startedAt,
                      Instant endedAt) {
}
