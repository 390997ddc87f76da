package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Where ingestion hands its accepted events to delivery: a segment per file or sync page, staged chunk by chunk in
 * the store transactions that record the file's progress ({@code c}), then published all at once in the transaction
 * that ends the file, or discarded. {@link EventLog} keeps segments in the state store (the {@code store} backbone);
 * the {@code kafka} backbone ({@code backbone.KafkaSegments}) writes each segment as one Kafka transaction, sealed in
 * the store transaction that writes the source's last rows, committed by {@link #publish} in the next one (which
 * records the source done; {@link #end}), and aborted by {@link #discard}.
 */
public interface SegmentWriter {

    /** Opens a staged segment of the run {@code runId}; the id names it in the calls that follow. */
    long openSegment(Connection c, String runId, Instant now) throws SQLException;

    /** Appends events to the staged segment, in order. */
    void append(Connection c, long segmentId, List<EventLog.Entry> entries) throws SQLException;

    /**
     * Seals the segment: nothing more is appended, and what publishing it records ({@code seal}) is known. Called in the
     * store transaction that writes the source's last rows, which {@link #end} commits before {@link #publish} when the
     * segment is published outside the store. Nothing by default.
     */
    default void seal(Connection c, long segmentId, SealedSegments.Seal seal) throws SQLException {
    }

    /** Makes the segment visible to hooks; the last step before the commit of the store transaction {@code c}. */
    long publish(Connection c, long segmentId, Instant now) throws SQLException;

    /**
     * Whether {@link #publish} makes the segment visible outside the store (a Kafka transaction), so that the store's
     * record of it and the segment cannot commit as one: false by default.
     */
    default boolean publishesOutsideTheStore() {
        return false;
    }

    /**
     * Ends a segment: {@code sealing} writes the source's last rows and calls {@link #seal}; {@code publishing} calls
     * {@link #publish} and records the source done (the file imported, the cursor moved). In one store transaction
     * when the segment stays in the store; otherwise {@code sealing} commits first, so that an instance that stops
     * between the backbone's commit and the store's leaves the seal for {@link #settleSealed}.
     */
    default void end(StateStore store, StateStore.SqlWork<?> sealing, StateStore.SqlWork<?> publishing) {
        if (publishesOutsideTheStore()) {
            store.inTransaction(sealing);
            store.inTransaction(publishing);
        } else {
            store.inTransaction(c -> {
                sealing.run(c);
                return publishing.run(c);
            });
        }
    }

    /**
     * In the transaction that takes the run {@code runId} over, before its unfinished files are failed: records as
     * published what the run sealed and the backbone took although the store did not record it (its instance stopped
     * between the two commits); returns how many. Throws {@link IllegalStateException} when the backbone cannot tell
     * yet. Nothing by default: inside the store, sealing and publishing commit as one.
     */
    default int settleSealed(Connection c, String runId, Instant now) throws SQLException {
        return 0;
    }

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
