package dev.eventrelay.model;

/** Rows read, accepted, rejected and warned about. */
public record RowCounts(long total, long processed, long errored, long warnings) {

    public static final RowCounts NONE = new RowCounts(0, 0, 0, 0);
}
