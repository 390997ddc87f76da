package dev.eventrelay.state;

import dev.eventrelay.common.Secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/**
 * Each hook's delivery state in the store: its cursor over the event log, the batch it is retrying,
 * when the next attempt is due, its counts and its last error; what ops and the circuit breaker decided
 * (paused, circuit open or disabled, consecutive failures) and its recent attempts ({@code hook_attempt}).
 * Kept in the store, a retry schedule survives a stop and a retrying hook holds no thread while it waits, and
 * every instance that shares the store sees a pause or an open circuit.
 */
public final class HookStates {

    /** Outcome words of the last delivery attempt. */
    public static final String DELIVERED = "Delivered";
    public static final String RETRYING = "Retrying";
    public static final String DEAD_LETTERED = "DeadLettered";
    /** Outcome word of a failed attempt (hook_attempt.outcome). */
    public static final String FAILED = "Failed";

    /** Circuit words: too many failures, one probe per interval; or the receiver said 410 Gone. */
    public static final String OPEN = "Open";
    public static final String DISABLED = "Disabled";

    /** How many attempts of each hook {@code hook_attempt} keeps by default. */
    public static final int KEEP_ATTEMPTS = 1000;
    /** The longest answer excerpt an attempt keeps, in characters. */
    public static final int ANSWER_CHARS = 1024;

    /** A hook's state; a hook never seen before starts at the beginning of the event log. */
    public record State(String hook, EventLog.Cursor cursor, EventLog.Cursor pending, int pendingEvents, int attempts,
                        Instant nextAttemptAt, long delivered, long deadLettered, Instant lastDeliveredAt,
                        String lastOutcome, String lastErrorSummary, String lastErrorCode, String lastErrorMessage,
                        Instant lastErrorAt, boolean paused, Instant pausedAt, String pauseReason, String circuit,
                        String circuitReason, Instant circuitAt, int failures, Instant failingSince) {

        static State fresh(String hook) {
            return new State(hook, EventLog.Cursor.START, null, 0, 0, null, 0, 0, null, null, null, null, null, null,
                    false, null, null, null, null, null, 0, null);
        }

        public boolean retrying() {
            return pending != null;
        }

        /** The circuit breaker stopped the hook: one probe per interval. */
        public boolean open() {
            return OPEN.equals(circuit);
        }

        /** The receiver answered 410 Gone: no attempt until ops resume the hook. */
        public boolean disabled() {
            return DISABLED.equals(circuit);
        }

        /** This state with the cursor moved to {@code next} and no batch pinned: where the hook stands once a batch is delivered. */
        public State movedTo(EventLog.Cursor next) {
            return new State(hook, next, null, 0, attempts, nextAttemptAt, delivered, deadLettered, lastDeliveredAt,
                    lastOutcome, lastErrorSummary, lastErrorCode, lastErrorMessage, lastErrorAt, paused, pausedAt,
                    pauseReason, circuit, circuitReason, circuitAt, failures, failingSince);
        }
    }

    /**
     * One delivery attempt as {@code GET /api/hooks/{name}/attempts} lists it.
     *
     * @param outcome    {@link #DELIVERED} or {@link #FAILED}
     * @param status     the HTTP status or the broker's reply, e.g. {@code HTTP 503}, {@code confirmed}
     * @param answer     the first {@value #ANSWER_CHARS} characters of what the destination answered (masked)
     * @param test       a test event ({@code POST /api/hooks/{name}/test}), never counted as a delivery
     */
    public record Attempt(Instant at, String batchId, int events, String outcome, String status, long durationMs,
                          String answer, boolean test) {

        public Attempt {
            answer = answer == null ? null : Secrets.mask(answer.length() <= ANSWER_CHARS ? answer
                    : answer.substring(0, ANSWER_CHARS));
            status = status == null || status.length() <= 200 ? status : status.substring(0, 200);
        }
    }

    /** A hook's run of failures after a failed attempt: how many in a row, and since when. */
    public record Failing(int failures, Instant since) {
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
    private final int keepAttempts;
    private final String holder;

    public HookStates(StateStore store) {
        this(store, KEEP_ATTEMPTS);
    }

    /** @param keepAttempts how many of each hook's newest attempts {@code hook_attempt} keeps */
    public HookStates(StateStore store, int keepAttempts) {
        this(store, keepAttempts, null);
    }

    /**
     * @param holder the instance whose hook lease the delivery updates check ({@link HookLease#holder()}): each of
     *               {@link #delivered}, {@link #failedAttempt}, {@link #skipped}, {@link #retryLater},
     *               {@link #deadLettered} and {@link #trip} changes nothing and throws {@link HookLeaseLost} when
     *               {@code hook_state.owner_instance} is not {@code holder}; null checks no owner
     */
    public HookStates(StateStore store, int keepAttempts, String holder) {
        this.store = store;
        this.keepAttempts = keepAttempts;
        this.holder = holder;
    }

    public State get(String hook) {
        return store.read(c -> find(c, hook));
    }

    /**
     * The destination took the batch: move the cursor past it, end a run of failures (an open circuit closes),
     * and record the attempt, all in one transaction.
     */
    public void delivered(String hook, EventLog.Cursor to, int events, Instant now, Attempt attempt) {
        store.inTransaction(c -> {
            ensure(c, hook);
            guard(c, hook);
            update(c, """
                    UPDATE hook_state SET segment_seq = ?, event_log_id = ?, pending_segment_seq = NULL,
                      pending_log_id = NULL, pending_events = 0, attempts = 0, next_attempt_at = NULL,
                      delivered = delivered + ?, last_delivered_at = ?, last_outcome = ?, failures = 0,
                      failing_since = NULL, circuit = NULL, circuit_reason = NULL, circuit_at = NULL
                    WHERE hook = ?""", to.segmentSeq(), to.logId(), events, utc(now), DELIVERED, hook);
            recordAttempt(c, hook, attempt);
            return null;
        });
    }

    /** An attempt failed: one more failure in a row (since the first of them), and the attempt recorded. */
    public Failing failedAttempt(String hook, Attempt attempt) {
        return store.inTransaction(c -> {
            ensure(c, hook);
            guard(c, hook);
            update(c, "UPDATE hook_state SET failures = failures + 1, failing_since = COALESCE(failing_since, ?)"
                    + " WHERE hook = ?", utc(attempt.at()), hook);
            recordAttempt(c, hook, attempt);
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT failures, failing_since FROM hook_state WHERE hook = ?")) {
                query.setString(1, hook);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return new Failing(rows.getInt(1), instant(rows, 2));
                }
            }
        });
    }

    /** Records an attempt that moves nothing: a test event. */
    public void tested(String hook, Attempt attempt) {
        store.inTransaction(c -> {
            ensure(c, hook);
            recordAttempt(c, hook, attempt);
            return null;
        });
    }

    /**
     * Sets the hook's circuit to {@link #OPEN} or {@link #DISABLED} with its reason; the next attempt (a probe)
     * is due at {@code nextAttemptAt}, none when null. Returns false when the circuit already was {@code circuit}.
     */
    public boolean trip(String hook, String circuit, String reason, Instant now, Instant nextAttemptAt) {
        return store.inTransaction(c -> {
            ensure(c, hook);
            guard(c, hook);
            boolean changed = update(c, "UPDATE hook_state SET circuit = ?, circuit_reason = ?, circuit_at = ?"
                    + " WHERE hook = ? AND (circuit IS NULL OR circuit <> ?)", circuit, reason, utc(now), hook,
                    circuit) == 1;
            update(c, "UPDATE hook_state SET next_attempt_at = ? WHERE hook = ?", utc(nextAttemptAt), hook);
            return changed;
        });
    }

    /** Pauses the hook; pausing a paused hook keeps the first pause (its time and reason). */
    public void pause(String hook, String reason, Instant now) {
        store.inTransaction(c -> {
            ensure(c, hook);
            return update(c, "UPDATE hook_state SET paused = TRUE, paused_at = ?, pause_reason = ?"
                    + " WHERE hook = ? AND paused = FALSE", utc(now), reason, hook);
        });
    }

    /**
     * Resumes the hook: the pause ends, a hook disabled by 410 Gone attempts again, and an open circuit probes
     * at once. Returns the circuit the hook had ({@link #OPEN}, {@link #DISABLED} or null).
     */
    public String resume(String hook) {
        return store.inTransaction(c -> {
            ensure(c, hook);
            String circuit = find(c, hook).circuit();
            update(c, "UPDATE hook_state SET paused = FALSE, paused_at = NULL, pause_reason = NULL WHERE hook = ?",
                    hook);
            if (DISABLED.equals(circuit)) {
                update(c, "UPDATE hook_state SET circuit = NULL, circuit_reason = NULL, circuit_at = NULL,"
                        + " failures = 0, failing_since = NULL, next_attempt_at = NULL WHERE hook = ?", hook);
            } else if (OPEN.equals(circuit)) {
                update(c, "UPDATE hook_state SET next_attempt_at = NULL WHERE hook = ?", hook);
            }
            return circuit;
        });
    }

    /** The hook's attempts, newest first. */
    public List<Attempt> attempts(String hook, int limit, int offset) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT attempted_at, batch_id, events, outcome, status, duration_ms, answer, test
                    FROM hook_attempt WHERE hook = ? ORDER BY seq DESC LIMIT ? OFFSET ?""")) {
                Sql.bind(query, hook, limit, offset);
                List<Attempt> attempts = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        attempts.add(new Attempt(instant(rows, 1), rows.getString(2),
                                rows.getInt(3), rows.getString(4), rows.getString(5), rows.getLong(6),
                                rows.getString(7), rows.getBoolean(8)));
                    }
                }
                return attempts;
            }
        });
    }

    /** How many attempts of the hook are kept. */
    public long attemptCount(String hook) {
        return store.read(c -> Sql.count(c, "SELECT COUNT(*) FROM hook_attempt WHERE hook = ?", hook));
    }

    /** The hook's next attempt number (under the row lock of the update), the attempt, and the oldest ones dropped. */
    private void recordAttempt(Connection c, String hook, Attempt attempt) throws SQLException {
        update(c, "UPDATE hook_state SET attempt_seq = attempt_seq + 1 WHERE hook = ?", hook);
        long seq = Sql.count(c, "SELECT attempt_seq FROM hook_state WHERE hook = ?", hook);
        update(c, """
                INSERT INTO hook_attempt (hook, seq, attempted_at, batch_id, events, outcome, status, duration_ms,
                  answer, test) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", hook, seq, utc(attempt.at()),
                attempt.batchId(), attempt.events(), attempt.outcome(), attempt.status(), attempt.durationMs(),
                attempt.answer(), attempt.test());
        if (seq > keepAttempts) {
            update(c, "DELETE FROM hook_attempt WHERE hook = ? AND seq <= ?", hook, seq - keepAttempts);
        }
    }

    /** Moves the cursor past events the hook does not capture. */
    public void skipped(String hook, EventLog.Cursor to) {
        store.inTransaction(c -> {
            ensure(c, hook);
            guard(c, hook);
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
            guard(c, hook);
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
            guard(c, hook);
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

    /** The hook's row, made when missing (two instances may make it at once: one insert does nothing). */
    private static void ensure(Connection c, String hook) throws SQLException {
        update(c, "INSERT INTO hook_state (hook, segment_seq, event_log_id) VALUES (?, 0, 0) ON CONFLICT (hook) DO NOTHING",
                hook);
    }

    /**
     * The owner check of a delivery update: the row is this instance's ({@code owner_instance = holder}), and its
     * lock is held until the transaction ends (PostgreSQL), so another instance cannot take the lease in between;
     * when it is not, the transaction is rolled back and the caller hears {@link HookLeaseLost}.
     */
    private void guard(Connection c, String hook) throws SQLException {
        if (holder != null && update(c, "UPDATE hook_state SET owner_instance = ? WHERE hook = ? AND owner_instance = ?",
                holder, hook, holder) != 1) {
            throw new HookLeaseLost(hook, holder);
        }
    }

    private static State find(Connection c, String hook) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT segment_seq, event_log_id, pending_segment_seq, pending_log_id, pending_events, attempts,
                  next_attempt_at, delivered, dead_lettered, last_delivered_at, last_outcome, last_error_summary,
                  last_error_code, last_error_message, last_error_at, paused, paused_at, pause_reason, circuit,
                  circuit_reason, circuit_at, failures, failing_since
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
                        instant(rows, 15), rows.getBoolean(16),
                        instant(rows, 17), rows.getString(18), rows.getString(19),
                        rows.getString(20), instant(rows, 21), rows.getInt(22),
                        instant(rows, 23));
            }
        }
    }
}
