package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.utc;

/**
 * The segments sealed for a backbone outside the store (table {@code sealed_segment}): recorded, with the position of
 * one of its records, in the store transaction that commits just before the segment's Kafka transaction, and removed
 * by the store transaction just after it, which records what the segment's publication means: its file imported, or
 * its sync's cursor at the page's end. A seal still here when its run is taken over is the one question an instance
 * that stopped between the two leaves: {@link SegmentWriter#settleSealed} asks the backbone, and {@link #published}
 * records the answer "yes".
 */
public final class SealedSegments {

    /**
     * What publishing a segment records: the end of the file {@code runFileId}, or, for a sync page
     * ({@code syncName} set), the sync's cursor at the page's last row.
     */
    public record Seal(String runId, long runFileId, String syncName, OffsetDateTime cursorChangedAt,
                       String cursorRowKey) {

        public static Seal ofFile(String runId, long runFileId) {
            return new Seal(runId, runFileId, null, null, null);
        }

        public static Seal ofPage(String runId, long runFileId, String syncName, OffsetDateTime changedAt,
                                  String rowKey) {
            return new Seal(runId, runFileId, syncName, changedAt, rowKey);
        }
    }

    /** A seal, and where one record of its segment is: partition and offset, written by the producer {@code writer}. */
    public record Sealed(Seal seal, String writer, int partition, long offset) {
    }

    private final RunStore runs;
    private final WarehouseCursors cursors;

    public SealedSegments(RunStore runs, WarehouseCursors cursors) {
        this.runs = runs;
        this.cursors = cursors;
    }

    public void record(Connection c, Seal seal, String writer, int partition, long offset, Instant now)
            throws SQLException {
        update(c, """
                INSERT INTO sealed_segment (run_file_id, run_id, writer, kafka_partition, kafka_offset, sync_name,
                cursor_changed_at, cursor_row_key, sealed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_file_id) DO UPDATE SET writer = excluded.writer,
                kafka_partition = excluded.kafka_partition, kafka_offset = excluded.kafka_offset,
                cursor_changed_at = excluded.cursor_changed_at, cursor_row_key = excluded.cursor_row_key,
                sealed_at = excluded.sealed_at""",
                seal.runFileId(), seal.runId(), writer, partition, offset, seal.syncName(), seal.cursorChangedAt(),
                seal.cursorRowKey(), utc(now));
    }

    /** In the transaction that records the segment's publication. */
    public void remove(Connection c, long runFileId) throws SQLException {
        update(c, "DELETE FROM sealed_segment WHERE run_file_id = ?", runFileId);
    }

    public List<Sealed> ofRun(Connection c, String runId) throws SQLException {
        List<Sealed> sealed = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("""
                SELECT run_file_id, sync_name, cursor_changed_at, cursor_row_key, writer, kafka_partition, kafka_offset
                FROM sealed_segment WHERE run_id = ? ORDER BY run_file_id""")) {
            bind(query, runId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sealed.add(new Sealed(new Seal(runId, rows.getLong(1), rows.getString(2),
                            StateStore.offsetDateTime(rows, 3), rows.getString(4)),
                            rows.getString(5), rows.getInt(6), rows.getLong(7)));
                }
            }
        }
        return sealed;
    }

    /**
     * Records, in the transaction that takes the run over, what the store missed of a segment that reached the
     * backbone: the file imported with the counts its last chunk wrote, or the sync's cursor at the page's end.
     */
    public void published(Connection c, Seal seal, Instant now) throws SQLException {
        if (seal.syncName() != null) {
            cursors.advance(c, seal.syncName(), seal.cursorChangedAt(), seal.cursorRowKey(), now);
        } else {
            runs.endFileAsCounted(c, seal.runFileId(), Status.IMPORTED, now);
        }
    }

    /** Forgets the run's seals, once they are settled or the run failed. */
    public void forgetRun(Connection c, String runId) throws SQLException {
        update(c, "DELETE FROM sealed_segment WHERE run_id = ?", runId);
    }
}
