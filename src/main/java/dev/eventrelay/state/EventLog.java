package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.utc;

/**
 * The durable queue between ingestion and delivery. Accepted events are appended to a staged batch
 * (one per file) in the transactions that record the file's progress; the batch becomes visible to
 * hooks only when it is published, all at once, so a file rejected half-way delivers nothing.
 * Publishing takes the next sequence number under a row lock, so batches become visible in
 * sequence order, and a hook that reads batches by sequence never skips one.
 */
public final class EventLog {

    /** An accepted event as stored: its id, its type, its contract JSON. */
    public record Entry(long logId, String eventId, String eventType, String json) {
    }

    /** A hook's position: the sequence of the batch it is in, and the last event it has read there. */
    public record Cursor(long batchSeq, long logId) implements Comparable<Cursor> {

        public static final Cursor START = new Cursor(0, 0);

        @Override
        public int compareTo(Cursor other) {
            int bySeq = Long.compare(batchSeq, other.batchSeq);
            return bySeq != 0 ? bySeq : Long.compare(logId, other.logId);
        }
    }

    /** Events read for a hook, and the cursor after them. */
    public record Page(List<Entry> entries, Cursor next) {
    }

    private static final String STAGED = "Staged";
    private static final String PUBLISHED = "Published";
    private static final String DISCARDED = "Discarded";

    private final StateStore store;

    public EventLog(StateStore store) {
        this.store = store;
    }

    public long openBatch(Connection c, String runId, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO event_batch (run_id, status, created_at) VALUES (?, ?, ?)", new String[] {"id"})) {
            bind(insert, runId, STAGED, utc(now));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public void append(Connection c, long batchId, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO event_log (batch_id, event_id, event_type, body) VALUES (?, ?, ?, ?)")) {
            for (Entry entry : entries) {
                insert.setLong(1, batchId);
                insert.setString(2, entry.eventId());
                insert.setString(3, entry.eventType());
                insert.setString(4, entry.json());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Makes a staged batch visible to hooks; must be the last statement before the commit that ends its file. */
    public long publish(Connection c, long batchId, Instant now) throws SQLException {
        update(c, "UPDATE publish_counter SET last_seq = last_seq + 1 WHERE id = 1");
        long seq;
        try (PreparedStatement query = c.prepareStatement("SELECT last_seq FROM publish_counter WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            seq = rows.getLong(1);
        }
        update(c, "UPDATE event_batch SET status = ?, publish_seq = ?, published_at = ? WHERE id = ?",
                PUBLISHED, seq, utc(now), batchId);
        return seq;
    }

    /** Drops a staged batch and its events. */
    public void discard(Connection c, long batchId) throws SQLException {
        update(c, "DELETE FROM event_log WHERE batch_id = ?", batchId);
        update(c, "UPDATE event_batch SET status = ? WHERE id = ?", DISCARDED, batchId);
    }

    /** Drops every batch left staged by a stop; called at start, when no import can be under way. */
    public int discardStaged(Connection c) throws SQLException {
        return discardStaged(c, "SELECT id FROM event_batch WHERE status = ?", STAGED);
    }

    /** Drops the batches that the run {@code runId} left staged (it failed before it could publish them). */
    public int discardStaged(Connection c, String runId) throws SQLException {
        return discardStaged(c, "SELECT id FROM event_batch WHERE status = ? AND run_id = ?", STAGED, runId);
    }

    private int discardStaged(Connection c, String sql, Object... args) throws SQLException {
        List<Long> staged = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, args);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    staged.add(rows.getLong(1));
                }
            }
        }
        for (long id : staged) {
            discard(c, id);
        }
        return staged.size();
    }

    /**
     * Up to {@code max} published events after {@code from}, in delivery order, and not beyond
     * {@code until} when it is given (a retry reads exactly the page it read before).
     */
    public Page read(Cursor from, int max, Cursor until) {
        return store.read(c -> {
            List<Entry> entries = new ArrayList<>();
            Cursor at = from;
            while (entries.size() < max && (until == null || at.compareTo(until) < 0)) {
                Long batchId = batchAt(c, at.batchSeq());
                if (batchId != null) {
                    long upTo = until != null && until.batchSeq() == at.batchSeq() ? until.logId() : Long.MAX_VALUE;
                    long last = readBatch(c, batchId, at.logId(), upTo, max - entries.size(), entries);
                    if (last > 0) {
                        at = new Cursor(at.batchSeq(), last);
                        continue;
                    }
                }
                Long nextSeq = nextSeq(c, at.batchSeq());
                if (nextSeq == null || (until != null && nextSeq > until.batchSeq())) {
                    break;
                }
                at = new Cursor(nextSeq, 0);
            }
            return new Page(entries, at);
        });
    }

    private static Long batchAt(Connection c, long seq) throws SQLException {
        if (seq == 0) {
            return null;
        }
        try (PreparedStatement query = c.prepareStatement("SELECT id FROM event_batch WHERE publish_seq = ?")) {
            query.setLong(1, seq);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private static Long nextSeq(Connection c, long after) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT MIN(publish_seq) FROM event_batch WHERE publish_seq > ?")) {
            query.setLong(1, after);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long seq = rows.getLong(1);
                return rows.wasNull() ? null : seq;
            }
        }
    }

    /** Ordered by (batch_id, id) so that H2 and PostgreSQL both walk the event_log_by_batch index. */
    private static long readBatch(Connection c, long batchId, long afterLogId, long upToLogId, int max,
                                  List<Entry> into) throws SQLException {
        long last = 0;
        try (PreparedStatement query = c.prepareStatement("""
                SELECT id, event_id, event_type, body FROM event_log WHERE batch_id = ? AND id > ? AND id <= ?
                ORDER BY batch_id, id LIMIT ?""")) {
            bind(query, batchId, afterLogId, upToLogId, max);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    into.add(new Entry(last, rows.getString(2), rows.getString(3), rows.getString(4)));
                }
            }
        }
        return last;
    }
}
