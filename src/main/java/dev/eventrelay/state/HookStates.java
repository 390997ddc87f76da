package dev.eventrelay.state;

import dev.eventrelay.common.Secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/**
 * Each hook's delivery state in the store: its cursor over the event log, the batch it is retrying,
 * when the next attempt is due, its counts and its last error. Kept in the store, a retry schedule
 * survives a stop and a retrying hook holds no thread while it waits.
 */
public final class HookStates {

    /** Outcome words of the last delivery attempt. */
    public static final String DELIVERED = "Delivered";
    public static final String RETRYING = "Retrying";
    public static final String DEAD_LETTERED = "DeadLettered";

    /** A hook's state; a hook never seen before starts at the beginning of the event log. */
    public record State(String hook, EventLog.Cursor cursor, EventLog.Cursor pending, int pendingEvents, int attempts,
                        Instant nextAttemptAt, long delivered, long deadLettered, Instant lastDeliveredAt,
                        String lastOutcome, String lastErrorSummary, String lastErrorCode, String lastErrorMessage,
                        Instant lastErrorAt) {

        static State fresh(String hook) {
            return new State(hook, EventLog.Cursor.START, null, 0, 0, null, 0, 0, null, null, null, null, null, null);
        }

        public boolean retrying() {
            return pending != null;
        }
    }

    /** What a failed attempt said: a summary, a code, the remote system's own words. */
    public record Failure(String summary, String code, String externalMessage) {

        /** What a remote system says may quote a secret back (a URL, a header): it is stored masked. */
        public Failure {
            summary = Secrets.mask(summary);
            externalMessage = Secrets.mask(externalMessage);
        }
    }

    private final StateStore store;

    public HookStates(StateStore store) {
        this.store = store;
    }

    public State get(String hook) {
        return store.read(c -> find(c, hook));
    }

    /** The destination took the batch: move the cursor past it. */
    public void delivered(String hook, EventLog.Cursor to, int events, Instant now) {
        store.inTransaction(c -> {
            ensure(c, hook);
            return update(c, """
                    UPDATE hook_state SET segment_seq = ?, event_log_id = ?, pending_segment_seq = NULL,
                      pending_log_id = NULL, pending_events = 0, attempts = 0, next_attempt_at = NULL,
                      delivered = delivered + ?, last_delivered_at = ?, last_outcome = ?
                    WHERE hook = ?""", to.segmentSeq(), to.logId(), events, utc(now), DELIVERED, hook);
        });
    }

    /** Moves the cursor past events the hook does not capture. */
    public void skipped(String hook, EventLog.Cursor to) {
        store.inTransaction(c -> {
            ensure(c, hook);
            return update(c, "UPDATE hook_state SET segment_seq = ?, event_log_id = ? WHERE hook = ?",
                    to.segmentSeq(), to.logId(), hook);
        });
    }

    /**
     * A transient failure: the batch is tried again at {@code nextAttemptAt}; {@code pending} (null for a
     * replay) pins the end of a batch read from the event log, so the retry sends exactly those events.
     */
    public void retryLater(String hook, EventLog.Cursor pending, int events, int attempts, Instant nextAttemptAt,
                           Failure failure, Instant now) {
        store.inTransaction(c -> {
            ensure(c, hook);
            return update(c, """
                    UPDATE hook_state SET pending_segment_seq = ?, pending_log_id = ?, pending_events = ?, attempts = ?,
                      next_attempt_at = ?, last_outcome = ?, last_error_summary = ?, last_error_code = ?,
                      last_error_message = ?, last_error_at = ?
                    WHERE hook = ?""", pending == null ? null : pending.segmentSeq(), pending == null ? null : pending.logId(),
                    events, attempts, utc(nextAttemptAt),
                    RETRYING, failure.summary(), failure.code(), failure.externalMessage(), utc(now), hook);
        });
    }

    /**
     * The batch went to dead letters (in the same transaction, through {@code deadLetter}): the cursor
     * moves past it, when it came from the event log.
     */
    public void deadLettered(String hook, EventLog.Cursor to, Failure failure, Instant now, SqlStep deadLetter) {
        store.inTransaction(c -> {
            ensure(c, hook);
            deadLetter.run(c);
            if (to != null) {
                update(c, "UPDATE hook_state SET segment_seq = ?, event_log_id = ?, dead_lettered = dead_lettered + 1"
                        + " WHERE hook = ?", to.segmentSeq(), to.logId(), hook);
            }
            return update(c, """
                    UPDATE hook_state SET pending_segment_seq = NULL, pending_log_id = NULL, pending_events = 0,
                      attempts = 0, next_attempt_at = NULL, last_outcome = ?, last_error_summary = ?,
                      last_error_code = ?, last_error_message = ?, last_error_at = ?
                    WHERE hook = ?""", DEAD_LETTERED, failure.summary(), failure.code(), failure.externalMessage(),
                    utc(now), hook);
        });
    }

    /** A statement run inside another store transaction. */
    @FunctionalInterface
    public interface SqlStep {
        void run(Connection c) throws SQLException;
    }

    private static void ensure(Connection c, String hook) throws SQLException {
        if (!exists(c, hook)) {
            update(c, "INSERT INTO hook_state (hook, segment_seq, event_log_id) VALUES (?, 0, 0)", hook);
        }
    }

    private static boolean exists(Connection c, String hook) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT 1 FROM hook_state WHERE hook = ?")) {
            query.setString(1, hook);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static State find(Connection c, String hook) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT segment_seq, event_log_id, pending_segment_seq, pending_log_id, pending_events, attempts,
                  next_attempt_at, delivered, dead_lettered, last_delivered_at, last_outcome, last_error_summary,
                  last_error_code, last_error_message, last_error_at
                FROM hook_state WHERE hook = ?""")) {
            query.setString(1, hook);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return State.fresh(hook);
                }
                long pendingSeq = rows.getLong(3);
                EventLog.Cursor pending = rows.wasNull() ? null : new EventLog.Cursor(pendingSeq, rows.getLong(4));
                return new State(hook, new EventLog.Cursor(rows.getLong(1), rows.getLong(2)), pending, rows.getInt(5),
                        rows.getInt(6), instant(rows, 7), rows.getLong(8),
                        rows.getLong(9), instant(rows, 10), rows.getString(11),
                        rows.getString(12), rows.getString(13), rows.getString(14),
                        instant(rows, 15));
            }
        }
    }
}
