package dev.eventrelay.state;

import dev.eventrelay.model.Event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.utc;

/**
 * The durable queue between ingestion and delivery. Accepted events are appended to a staged segment
 * (one per file or sync page) in the transactions that record the file's progress; the segment becomes
 * visible to hooks only when it is published, all at once, so a file rejected half-way delivers nothing.
 * Publishing takes the next sequence number under a row lock, so segments become visible in
 * sequence order, and a hook that reads segments by sequence never skips one.
 */
public final class EventLog implements SegmentWriter {

    /**
     * An accepted event as stored: its id, its type, its contract JSON, and beside it what delivery needs without
     * parsing the JSON again: the profile key (the Kafka key; null when the profile has none) and
     * {@code received_at} in epoch milliseconds (null for events stored before migration V7, whose JSON
     * delivery then reads).
     */
    public record Entry(long logId, String eventId, String eventType, String json, String profileKey,
                        Long receivedAtMs) {

        /** An entry without the fields beside the body, as events stored before V7 are read. */
        public Entry(long logId, String eventId, String eventType, String json) {
            this(logId, eventId, eventType, json, null, null);
        }

        /** The entry of an accepted event to append, {@code json} being its contract JSON. */
        public static Entry of(Event event, String json) {
            return new Entry(0, event.eventId(), event.eventType(), json, event.profileKey(),
                    event.receivedAt().toEpochMilli());
        }

        /** Whether the row was stored with the fields beside the body (V7 and later). */
        public boolean hasDeliveryFields() {
            return receivedAtMs != null;
        }
    }

    /** A hook's position: the sequence of the segment it is in, and the last event it has read there. */
    public record Cursor(long segmentSeq, long logId) implements Comparable<Cursor> {

        public static final Cursor START = new Cursor(0, 0);

        @Override
        public int compareTo(Cursor other) {
            int bySeq = Long.compare(segmentSeq, other.segmentSeq);
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
    private final AtomicLong published = new AtomicLong();

    public EventLog(StateStore store) {
        this.store = store;
    }

    @Override
    public long openSegment(Connection c, String runId, Instant now) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO event_segment (run_id, status, created_at) VALUES (?, ?, ?)", new String[] {"id"})) {
            bind(insert, runId, STAGED, utc(now));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    @Override
    public void append(Connection c, long segmentId, List<Entry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO event_log (segment_id, event_id, event_type, body, profile_key, received_at_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Entry entry : entries) {
                insert.setLong(1, segmentId);
                insert.setString(2, entry.eventId());
                insert.setString(3, entry.eventType());
                insert.setString(4, entry.json());
                insert.setString(5, entry.profileKey());
                if (entry.receivedAtMs() == null) {
                    insert.setNull(6, Types.BIGINT);
                } else {
                    insert.setLong(6, entry.receivedAtMs());
                }
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Ends the segment as the interface says, then counts it as published ({@link #published}). */
    @Override
    public void end(StateStore store, StateStore.SqlWork<?> sealing, StateStore.SqlWork<?> publishing) {
        SegmentWriter.super.end(store, sealing, publishing);
        published.incrementAndGet();
    }

    /**
     * How many files and sync pages this instance has ended ({@link #end}) since it started: grows once their events
     * are committed, so a hook that found nothing reads again at once.
     */
    public long published() {
        return published.get();
    }

    /** Makes a staged segment visible to hooks; must be the last statement before the commit that ends its file. */
    @Override
    public long publish(Connection c, long segmentId, Instant now) throws SQLException {
        update(c, "UPDATE publish_counter SET last_seq = last_seq + 1 WHERE id = 1");
        long seq;
        try (PreparedStatement query = c.prepareStatement("SELECT last_seq FROM publish_counter WHERE id = 1");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            seq = rows.getLong(1);
        }
        update(c, "UPDATE event_segment SET status = ?, publish_seq = ?, published_at = ? WHERE id = ?",
                PUBLISHED, seq, utc(now), segmentId);
        return seq;
    }

    /** Drops a staged segment and its events. */
    @Override
    public void discard(Connection c, long segmentId) throws SQLException {
        update(c, "DELETE FROM event_log WHERE segment_id = ?", segmentId);
        update(c, "UPDATE event_segment SET status = ? WHERE id = ?", DISCARDED, segmentId);
    }

    /**
     * Drops the segments that the run {@code runId} left staged (it failed, or its instance died, before it could
     * publish them); the segments of every other run stay.
     */
    @Override
    public int discardStaged(Connection c, String runId) throws SQLException {
        List<Long> staged = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(
                "SELECT id FROM event_segment WHERE status = ? AND run_id = ?")) {
            bind(query, STAGED, runId);
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
     * {@code until} when it is given (a retry reads exactly the events it read before).
     */
    public Page read(Cursor from, int max, Cursor until) {
        return store.read(c -> {
            List<Entry> entries = new ArrayList<>();
            Cursor at = from;
            while (entries.size() < max && (until == null || at.compareTo(until) < 0)) {
                Long segmentId = segmentAt(c, at.segmentSeq());
                if (segmentId != null) {
                    long upTo = until != null && until.segmentSeq() == at.segmentSeq() ? until.logId() : Long.MAX_VALUE;
                    long last = readSegment(c, segmentId, at.logId(), upTo, max - entries.size(), entries);
                    if (last > 0) {
                        at = new Cursor(at.segmentSeq(), last);
                        continue;
                    }
                }
                Long nextSeq = nextSeq(c, at.segmentSeq());
                if (nextSeq == null || (until != null && nextSeq > until.segmentSeq())) {
                    break;
                }
                at = new Cursor(nextSeq, 0);
            }
            return new Page(entries, at);
        });
    }

    private static Long segmentAt(Connection c, long seq) throws SQLException {
        if (seq == 0) {
            return null;
        }
        try (PreparedStatement query = c.prepareStatement("SELECT id FROM event_segment WHERE publish_seq = ?")) {
            query.setLong(1, seq);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private static Long nextSeq(Connection c, long after) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT MIN(publish_seq) FROM event_segment WHERE publish_seq > ?")) {
            query.setLong(1, after);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                long seq = rows.getLong(1);
                return rows.wasNull() ? null : seq;
            }
        }
    }

    /** Ordered by (segment_id, id) so that SQLite and PostgreSQL both walk the event_log_by_segment index. */
    private static long readSegment(Connection c, long segmentId, long afterLogId, long upToLogId, int max,
                                  List<Entry> into) throws SQLException {
        long last = 0;
        try (PreparedStatement query = c.prepareStatement("""
                SELECT id, event_id, event_type, body, profile_key, received_at_ms FROM event_log
                WHERE segment_id = ? AND id > ? AND id <= ?
                ORDER BY segment_id, id LIMIT ?""")) {
            bind(query, segmentId, afterLogId, upToLogId, max);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    last = rows.getLong(1);
                    long receivedAtMs = rows.getLong(6);
                    into.add(new Entry(last, rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                            rows.wasNull() ? null : receivedAtMs));
                }
            }
        }
        return last;
    }
}
