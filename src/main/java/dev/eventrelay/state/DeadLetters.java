package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/**
 * Batches a hook could not deliver, stored with the hook messages as sent. A replay marks them
 * {@code Replaying}; the hook sends them again (same batch id, same event ids) before new events,
 * and marks them {@code Replayed} once the destination took them, or {@code Dead} again.
 */
public final class DeadLetters {

    public static final String DEAD = "Dead";
    public static final String REPLAYING = "Replaying";
    public static final String REPLAYED = "Replayed";

    /** A dead letter; {@code payload} is a JSON array of the hook messages. */
    public record DeadLetter(long id, String hook, String batchId, String payload, int eventCount, int attempts,
                             String errorSummary, String errorCode, String externalMessage, Instant failedAt,
                             String status, Instant replayedAt) {
    }

    private static final String COLUMNS = """
            id, hook, batch_id, payload, event_count, attempts, error_summary, error_code, external_message,
            failed_at, status, replayed_at""";

    private final StateStore store;

    public DeadLetters(StateStore store) {
        this.store = store;
    }

    public void add(Connection c, String hook, String batchId, String payload, int eventCount, int attempts,
                    HookStates.Failure failure, Instant now) throws SQLException {
        update(c, """
                INSERT INTO dead_letter (hook, batch_id, payload, event_count, attempts, error_summary, error_code,
                  external_message, failed_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                hook, batchId, payload, eventCount, attempts, failure.summary(), failure.code(),
                failure.externalMessage(), utc(now), DEAD);
    }

    /** A replay that failed again: back to {@code Dead}, with the new error. */
    public void deadAgain(Connection c, long id, int attempts, HookStates.Failure failure, Instant now)
            throws SQLException {
        update(c, """
                UPDATE dead_letter SET status = ?, attempts = attempts + ?, error_summary = ?, error_code = ?,
                  external_message = ?, failed_at = ? WHERE id = ?""",
                DEAD, attempts, failure.summary(), failure.code(), failure.externalMessage(), utc(now), id);
    }

    public void replayed(long id, Instant now) {
        store.inTransaction(c -> update(c, "UPDATE dead_letter SET status = ?, replayed_at = ? WHERE id = ?",
                REPLAYED, utc(now), id));
    }

    /** Queues one dead letter for replay; false when there is no such dead letter in status Dead. */
    public boolean replay(long id) {
        return store.inTransaction(c -> update(c, "UPDATE dead_letter SET status = ? WHERE id = ? AND status = ?",
                REPLAYING, id, DEAD)) == 1;
    }

    /** Queues every dead letter of a hook for replay; returns how many. */
    public int replayAll(String hook) {
        return store.inTransaction(c -> update(c, "UPDATE dead_letter SET status = ? WHERE hook = ? AND status = ?",
                REPLAYING, hook, DEAD));
    }

    /** Queues every dead letter of a hook that failed at or after {@code since} for replay; returns how many. */
    public int replaySince(String hook, Instant since) {
        return store.inTransaction(c -> update(c, "UPDATE dead_letter SET status = ? WHERE hook = ? AND status = ?"
                + " AND failed_at >= ?", REPLAYING, hook, DEAD, utc(since)));
    }

    /** The oldest dead letter of the hook waiting for replay. */
    public Optional<DeadLetter> nextReplay(String hook) {
        return store.read(c -> list(c, "SELECT " + COLUMNS + " FROM dead_letter WHERE hook = ? AND status = ?"
                + " ORDER BY id LIMIT 1", hook, REPLAYING).stream().findFirst());
    }

    public Optional<DeadLetter> find(long id) {
        return store.read(c -> list(c, "SELECT " + COLUMNS + " FROM dead_letter WHERE id = ?", id).stream().findFirst());
    }

    /** Dead letters, newest first, of one hook or (hook null) of all. */
    public List<DeadLetter> list(String hook, int limit, int offset) {
        return store.read(c -> hook == null
                ? list(c, "SELECT " + COLUMNS + " FROM dead_letter ORDER BY id DESC LIMIT ? OFFSET ?", limit, offset)
                : list(c, "SELECT " + COLUMNS + " FROM dead_letter WHERE hook = ? ORDER BY id DESC LIMIT ? OFFSET ?",
                        hook, limit, offset));
    }

    /** How many dead letters there are, of one hook or (hook null) of all. */
    public long count(String hook) {
        return store.read(c -> hook == null ? Sql.count(c, "SELECT COUNT(*) FROM dead_letter")
                : Sql.count(c, "SELECT COUNT(*) FROM dead_letter WHERE hook = ?", hook));
    }

    /** Events in dead letters of the hook that are not replayed yet. */
    public long pendingEvents(String hook) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT COALESCE(SUM(event_count), 0) FROM dead_letter WHERE hook = ? AND status <> ?")) {
                bind(query, hook, REPLAYED);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private static List<DeadLetter> list(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, args);
            List<DeadLetter> letters = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    letters.add(new DeadLetter(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getInt(5), rows.getInt(6), rows.getString(7), rows.getString(8), rows.getString(9),
                            instant(rows, 10), rows.getString(11),
                            instant(rows, 12)));
                }
            }
            return letters;
        }
    }
}
