package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Where ingestion hands its accepted events to delivery: a segment per file or sync page, staged chunk by chunk in
 * the store transactions that record the file's progress ({@code c}), then published all at once in the transaction
 * that ends the file, or discarded. {@link EventLog} keeps segments in the state store (the {@code store} backbone);
 * the {@code kafka} backbone ({@code backbone.KafkaSegments}) writes each segment as one Kafka transaction, committed
 * by {@link #publish} just before the store transaction commits, and aborted by {@link #discard}.
 */
public interface SegmentWriter {

    /** Opens a staged segment of the run {@code runId}; the id names it in the calls that follow. */
    long openSegment(Connection c, String runId, Instant now) throws SQLException;

    /** Appends events to the staged segment, in order. */
    void append(Connection c, long segmentId, List<EventLog.Entry> entries) throws SQLException;

    /** Makes the segment visible to hooks; the last step before the commit of the store transaction {@code c}. */
    long publish(Connection c, long segmentId, Instant now) throws SQLException;

    /** Drops a staged segment and its events: none of them reaches a hook. */
    void discard(Connection c, long segmentId) throws SQLException;

    /** Drops the segments that the run {@code runId} left staged (it failed, or its instance died, before it could publish them). */
    int discardStaged(Connection c, String runId) throws SQLException;

    /**
     * Ends what the instance {@code instanceId}, whose lease expired, left open outside the store (its staged segments
     * in the store go with its runs, {@link #discardStaged}); returns how many writers it ended. Nothing by default.
     */
    default int abandoned(String instanceId) {
        return 0;
    }
}
