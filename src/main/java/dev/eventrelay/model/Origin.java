package dev.eventrelay.model;

/**
 * Where an event came from: {@code kind} is sftp, upload or warehouse; the other fields are null
 * when they do not apply.
 */
public record Origin(String kind, String importName, String channel, String eventCode, String file,
                     long row, String runId) {
}
