package dev.eventrelay.state;

/** A rejected row: its file, its number (0 when the whole file was rejected), why, and its raw text. */
public record RejectedRow(String fileName, long rowNumber, String reason, String rawLine) {
}
