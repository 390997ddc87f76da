package dev.eventrelay.state;

import dev.eventrelay.model.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.utc;

/**
 * Deletes what the state store no longer needs, by the {@link RetentionPolicy}; {@link #sweep} is called by
 * {@code routes/retention.camel.yaml}. Each kind is deleted in batches of at most {@code batchRows} rows, one
 * transaction each, at most {@code maxBatches} per kind and sweep (the next sweep goes on), oldest first:
 * <ol>
 *   <li>published events older than their key whose segment every hook that is on has passed (its cursor is in a
 *   later segment; a hook that never ran holds everything, a paused or retrying one what it has not passed), then
 *   their emptied segments, and discarded segments;</li>
 *   <li>rejected rows of runs that ended before their key;</li>
 *   <li>file ledger entries of files claimed before their key (which is at least the longest look-back + 2 days);</li>
 *   <li>ended runs with their files, once no segment and no ledger entry points at them, never the newest
 *   Processed run of an import (it says the import ran: one-time imports, the last run summary), never the standing
 *   run of the system events (kind {@code system});</li>
 *   <li>error log entries; dead letters that a replay delivered (never one that is not delivered).</li>
 * </ol>
 * The statements are plain SQL that PostgreSQL, H2 and SQLite all run ({@code DELETE … WHERE id IN (SELECT … LIMIT n)}).
 * Several instances on one store may sweep at once: a row deleted by one is simply not found by the other.
 */
public final class Retention {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);

    /** What one sweep deleted, by kind. */
    public record Swept(long events, long segments, long rejectedRows, long ledgerEntries, long runs, long runFiles,
                        long errors, long deadLetters) {

        public long total() {
            return events + segments + rejectedRows + ledgerEntries + runs + runFiles + errors + deadLetters;
        }

        @Override
        public String toString() {
            return events + " event(s), " + segments + " segment(s), " + rejectedRows + " rejected row(s), "
                    + ledgerEntries + " ledger entr" + (ledgerEntries == 1 ? "y" : "ies") + ", " + runs + " run(s) with "
                    + runFiles + " file(s), " + errors + " error log entr" + (errors == 1 ? "y" : "ies") + ", "
                    + deadLetters + " delivered dead letter(s)";
        }
    }

    private final StateStore store;
    private final RetentionPolicy policy;
    private final List<String> hooks;
    private final Clock clock;
    private final AtomicLong sweeps = new AtomicLong();

    /**
     * @param hooks the hooks that are on: each holds back the events it has not passed (a hook that is off is not
     *              waited for; switched on, it delivers what the log still holds after its cursor)
     */
    public Retention(StateStore store, RetentionPolicy policy, List<String> hooks, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.hooks = List.copyOf(hooks);
        this.clock = clock;
    }

    /** How many sweeps have ended since start (one that failed is not counted). */
    public long sweeps() {
        return sweeps.get();
    }

    public RetentionPolicy policy() {
        return policy;
    }

    /** One sweep over every kind; logs what it deleted. */
    public Swept sweep() {
        Instant now = clock.instant();
        long events = 0;
        long segments = 0;
        if (policy.eventDays() != RetentionPolicy.KEEP) {
            OffsetDateTime cutoff = cutoff(now, policy.eventDays());
            long horizon = store.read(this::horizon);
            String passed = "SELECT s.id FROM event_segment s WHERE s.publish_seq < ? AND s.published_at < ?";
            events = inBatches("DELETE FROM event_log WHERE id IN (SELECT l.id FROM event_log l WHERE l.segment_id IN ("
                    + passed + ") LIMIT ?)", horizon, cutoff);
            segments = inBatches("DELETE FROM event_segment WHERE id IN (" + passed
                    + " AND NOT EXISTS (SELECT 1 FROM event_log l WHERE l.segment_id = s.id) LIMIT ?)", horizon, cutoff)
                    + inBatches("DELETE FROM event_segment WHERE id IN (SELECT s.id FROM event_segment s WHERE"
                    + " s.status = 'Discarded' AND s.created_at < ? LIMIT ?)", cutoff);
        }
        long rejected = policy.rejectedDays() == RetentionPolicy.KEEP ? 0 : inBatches("""
                DELETE FROM rejected_row WHERE id IN (SELECT j.id FROM rejected_row j WHERE j.run_id IN (
                SELECT r.id FROM import_run r WHERE COALESCE(r.processing_ended_at, r.fetch_ended_at) < ?) LIMIT ?)""",
                cutoff(now, policy.rejectedDays()));
        long ledger = policy.ledgerDays() == RetentionPolicy.KEEP ? 0 : inBatches("""
                DELETE FROM file_ledger WHERE run_file_id IN (SELECT l.run_file_id FROM file_ledger l
                JOIN run_file f ON f.id = l.run_file_id WHERE f.started_at < ? AND f.status <> ? LIMIT ?)""",
                cutoff(now, policy.ledgerDays()), Status.PROCESSING);
        long[] runs = policy.runDays() == RetentionPolicy.KEEP ? new long[2] : runs(cutoff(now, policy.runDays()));
        long errors = policy.errorDays() == RetentionPolicy.KEEP ? 0 : inBatches(
                "DELETE FROM error_log WHERE id IN (SELECT id FROM error_log WHERE occurred_at < ? ORDER BY id LIMIT ?)",
                cutoff(now, policy.errorDays()));
        long deadLetters = policy.deadLetterDays() == RetentionPolicy.KEEP ? 0 : inBatches("""
                DELETE FROM dead_letter WHERE id IN (SELECT id FROM dead_letter WHERE status = ? AND replayed_at < ?
                ORDER BY id LIMIT ?)""", DeadLetters.REPLAYED, cutoff(now, policy.deadLetterDays()));
        Swept swept = new Swept(events, segments, rejected, ledger, runs[0], runs[1], errors, deadLetters);
        if (swept.total() > 0) {
            LOG.info("Retention deleted {}", swept);
        } else {
            LOG.debug("Retention found nothing to delete");
        }
        sweeps.incrementAndGet();
        return swept;
    }

    /**
     * The lowest segment sequence a configured hook is in: every segment below it has been passed by all hooks. A
     * hook without state yet has passed nothing; with no hook at all, every segment is passed.
     */
    private long horizon(Connection c) throws SQLException {
        long lowest = Long.MAX_VALUE;
        try (PreparedStatement query = c.prepareStatement("SELECT segment_seq FROM hook_state WHERE hook = ?")) {
            for (String hook : hooks) {
                query.setString(1, hook);
                try (ResultSet rows = query.executeQuery()) {
                    lowest = Math.min(lowest, rows.next() ? rows.getLong(1) : 0);
                }
            }
        }
        return lowest;
    }

    /** Ended runs before {@code cutoff}, with their rejected rows and files; returns {runs, files}. */
    private long[] runs(OffsetDateTime cutoff) {
        long[] deleted = new long[2];
        for (int batch = 0; batch < policy.maxBatches(); batch++) {
            List<String> ids = store.read(c -> ids(c, """
                    SELECT r.id FROM import_run r
                    WHERE r.kind <> ? AND COALESCE(r.processing_ended_at, r.fetch_ended_at) < ?
                      AND COALESCE(r.processing_status, '') <> ? AND r.fetch_status <> ?
                      AND NOT EXISTS (SELECT 1 FROM event_segment s WHERE s.run_id = r.id)
                      AND NOT EXISTS (SELECT 1 FROM run_file f JOIN file_ledger l ON l.run_file_id = f.id
                                      WHERE f.run_id = r.id)
                      AND (COALESCE(r.processing_status, '') <> ? OR EXISTS (SELECT 1 FROM import_run n
                           WHERE n.import_name = r.import_name AND n.processing_status = ?
                             AND n.fetch_started_at > r.fetch_started_at))
                    ORDER BY r.fetch_started_at LIMIT ?""", Origin.SYSTEM, cutoff, Status.PROCESSING, Status.FETCHING,
                    Status.PROCESSED, Status.PROCESSED, policy.batchRows()));
            for (String id : ids) {
                // a run's rejected rows may be many: in batches first, then its files and itself
                inBatches("DELETE FROM rejected_row WHERE id IN (SELECT id FROM rejected_row WHERE run_id = ? LIMIT ?)",
                        id);
                store.inTransaction(c -> {
                    deleted[1] += update(c, "DELETE FROM run_file WHERE run_id = ?", id);
                    deleted[0] += update(c, "DELETE FROM import_run WHERE id = ?", id);
                    return null;
                });
            }
            if (ids.size() < policy.batchRows()) {
                break;
            }
        }
        return deleted;
    }

    /**
     * Runs {@code delete} (its last parameter the batch size) until a batch deletes nothing, or the budget ends. Not
     * "fewer than a batch": H2 may delete fewer rows than the subquery's limit while more are due.
     */
    private long inBatches(String delete, Object... args) {
        Object[] withLimit = Arrays.copyOf(args, args.length + 1);
        withLimit[args.length] = policy.batchRows();
        long total = 0;
        for (int batch = 0; batch < policy.maxBatches(); batch++) {
            int deleted = store.inTransaction(c -> update(c, delete, withLimit));
            total += deleted;
            if (deleted == 0) {
                break;
            }
        }
        return total;
    }

    private static List<String> ids(Connection c, String sql, Object... args) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, args);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
        }
        return ids;
    }

    private static OffsetDateTime cutoff(Instant now, int days) {
        return utc(now.minus(Duration.ofDays(days)));
    }
}
