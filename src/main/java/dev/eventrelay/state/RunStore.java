package dev.eventrelay.state;

import dev.eventrelay.model.RowCounts;
import dev.eventrelay.common.Secrets;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;
import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;

/** Runs of imports, the files of each run, and their rejected rows. */
public final class RunStore {

    private static final String RUN_COLUMNS = """
            r.id, r.import_name, r.kind, r.trigger_kind, r.fetch_status, r.fetch_started_at, r.fetch_ended_at,
            r.processing_status, r.processing_started_at, r.processing_ended_at, r.reason,
            (SELECT COALESCE(SUM(f.rows_total), 0) FROM run_file f WHERE f.run_id = r.id) AS rows_total,
            (SELECT COALESCE(SUM(f.rows_processed), 0) FROM run_file f WHERE f.run_id = r.id) AS rows_processed,
            (SELECT COALESCE(SUM(f.rows_errored), 0) FROM run_file f WHERE f.run_id = r.id) AS rows_errored,
            (SELECT COALESCE(SUM(f.rows_warnings), 0) FROM run_file f WHERE f.run_id = r.id) AS rows_warnings
            """;

    private final StateStore store;

    public RunStore(StateStore store) {
        this.store = store;
    }

    /**
     * Records a new run, {@code Fetching} from now, that no instance owns (as runs were recorded before owners were
     * kept: recovery counts it as abandoned), and returns its id. The service records runs with {@link #tryCreate}.
     */
    public String create(String importName, String kind, String trigger, Instant now) {
        String id = UUID.randomUUID().toString();
        store.inTransaction(c -> update(c, """
                INSERT INTO import_run (id, import_name, kind, trigger_kind, fetch_status, fetch_started_at)
                VALUES (?, ?, ?, ?, ?, ?)""", id, importName, kind, trigger, Status.FETCHING, utc(now)));
        return id;
    }

    /** Why {@link #tryCreate} recorded no run. */
    public enum NotCreated {
        /** Another run of the import (not an upload) is under way, on this instance or another. */
        UNDER_WAY,
        /** A run of the import ended Processed already (asked with {@code unlessProcessed}). */
        PROCESSED
    }

    /** A run recorded, or why none was. */
    public record Created(String runId, NotCreated refused) {
    }

    /**
     * Records a new run owned by {@code owner}, {@code Fetching} from now, unless another run of the import is under
     * way (uploads run beside other runs): the store's unique index {@code import_run_one_under_way} decides, so of
     * two instances starting a run of one import at once exactly one records it. With {@code unlessProcessed} (a
     * one-time import) it also records nothing when a run of the import has ended Processed, checked after the insert
     * in its transaction: a run that ended while this one was being recorded is seen.
     */
    public Created tryCreate(String importName, String kind, String trigger, String owner, boolean unlessProcessed,
                             Instant now) {
        String id = UUID.randomUUID().toString();
        return store.inTransaction(c -> {
            try {
                update(c, """
                        INSERT INTO import_run (id, import_name, kind, trigger_kind, fetch_status, fetch_started_at,
                        owner_instance) VALUES (?, ?, ?, ?, ?, ?, ?)""", id, importName, kind, trigger, Status.FETCHING,
                        utc(now), owner);
            } catch (SQLException e) {
                if (!Sql.isUniqueViolation(e)) {
                    throw e;
                }
                c.rollback();
                return new Created(null, NotCreated.UNDER_WAY);
            }
            if (unlessProcessed && Sql.count(c, "SELECT COUNT(*) FROM import_run WHERE import_name = ? AND id <> ?"
                    + " AND processing_status = ?", importName, id, Status.PROCESSED) > 0) {
                c.rollback();
                return new Created(null, NotCreated.PROCESSED);
            }
            return new Created(id, null);
        });
    }

    /**
     * Records, unless it exists, a run that is never under way and holds the segments of events no run of an import
     * wrote (the service's own events): {@code Fetched} and {@code Processed} from {@code now}.
     */
    public void ensureStanding(Connection c, String id, String name, String kind, Instant now) throws SQLException {
        if (Sql.count(c, "SELECT COUNT(*) FROM import_run WHERE id = ?", id) == 0) {
            update(c, """
                    INSERT INTO import_run (id, import_name, kind, trigger_kind, fetch_status, fetch_started_at,
                    fetch_ended_at, processing_status, processing_started_at, processing_ended_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", id, name, kind, kind, Status.FETCHED, utc(now), utc(now),
                    Status.PROCESSED, utc(now), utc(now));
        }
    }

    /** The run of this import that is fetching or processing now, if any (uploads run beside other runs: not counted). */
    public Optional<Run> active(String importName) {
        return store.read(c -> first(c, "SELECT " + RUN_COLUMNS + " FROM import_run r WHERE r.import_name = ?"
                + " AND r.kind <> 'upload' AND (r.fetch_status = ? OR r.processing_status = ?)", importName,
                Status.FETCHING, Status.PROCESSING));
    }

    public void processing(String runId, Instant now) {
        store.inTransaction(c -> update(c, "UPDATE import_run SET processing_status = ?, processing_started_at = ?"
                + " WHERE id = ?", Status.PROCESSING, utc(now), runId));
    }

    /** The run could not fetch (server down, refused, listing failed): fetch and processing failed. */
    public void fetchFailed(String runId, String reason, Instant now) {
        store.inTransaction(c -> update(c, """
                UPDATE import_run SET fetch_status = ?, fetch_ended_at = ?, processing_status = ?,
                processing_ended_at = ?, reason = ? WHERE id = ?""",
                Status.FAILED, utc(now), Status.FAILED, utc(now), Secrets.mask(reason), runId));
    }

    public void finished(String runId, Instant now) {
        store.inTransaction(c -> update(c, """
                UPDATE import_run SET fetch_status = ?, fetch_ended_at = COALESCE(fetch_ended_at, ?),
                processing_status = ?, processing_ended_at = ? WHERE id = ?""",
                Status.FETCHED, utc(now), Status.PROCESSED, utc(now), runId));
    }

    /**
     * Fails one run in {@code c}, if it is still under way: the run (fetch and processing) with the reason, and those
     * of its files still being read. False when it is not under way any more (another instance took it over).
     */
    public boolean failRun(Connection c, String runId, String reason, Instant now) throws SQLException {
        int failed = update(c, """
                UPDATE import_run SET fetch_status = ?, fetch_ended_at = COALESCE(fetch_ended_at, ?),
                processing_status = ?, processing_ended_at = ?, reason = ?
                WHERE id = ? AND (fetch_status = ? OR processing_status = ?)""",
                Status.FAILED, utc(now), Status.FAILED, utc(now), reason, runId, Status.FETCHING, Status.PROCESSING);
        if (failed == 0) {
            return false;
        }
        failFiles(c, runId, reason, now);
        return true;
    }

    /**
     * In {@code c}, before a write for the run (a file's claim, a segment's publication): locks the run's row and
     * throws {@link RunNotUnderWayException} unless the run is still under way. A take-over by another instance
     * ({@link RunOwnership#takeOver}) fails the run under the same row lock, so a write either lands before it (and is
     * kept) or is refused.
     */
    public void holdUnderWay(Connection c, String runId) throws SQLException {
        if (update(c, "UPDATE import_run SET owner_instance = owner_instance WHERE id = ?"
                + " AND (fetch_status = ? OR processing_status = ?)", runId, Status.FETCHING, Status.PROCESSING) == 0) {
            throw new RunNotUnderWayException(runId);
        }
    }

    /** In {@code c}: the files of the run still being read are Failed with the reason. */
    public void failFiles(Connection c, String runId, String reason, Instant now) throws SQLException {
        update(c, "UPDATE run_file SET status = ?, reason = ?, ended_at = ? WHERE run_id = ? AND status = ?",
                Status.FAILED, reason, utc(now), runId, Status.PROCESSING);
    }

    public long addFile(Connection c, String runId, String fileName, Long sizeBytes, Long modifiedAt, Instant now)
            throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO run_file (run_id, file_name, size_bytes, modified_at, status, started_at)
                VALUES (?, ?, ?, ?, ?, ?)""", new String[] {"id"})) {
            bind(insert, runId, fileName, sizeBytes, modifiedAt, Status.PROCESSING, utc(now));
            insert.executeUpdate();
            try (ResultSet keys = insert.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** Records the size of a file once it is known (an upload's, after its body was read). */
    public void fileSize(Connection c, long fileId, long sizeBytes) throws SQLException {
        update(c, "UPDATE run_file SET size_bytes = ? WHERE id = ?", sizeBytes, fileId);
    }

    public void updateFile(Connection c, long fileId, RowCounts counts) throws SQLException {
        update(c, "UPDATE run_file SET rows_total = ?, rows_processed = ?, rows_errored = ?, rows_warnings = ? WHERE id = ?",
                counts.total(), counts.processed(), counts.errored(), counts.warnings(), fileId);
    }

    public void endFile(Connection c, long fileId, String status, RowCounts counts, String reason, Instant now)
            throws SQLException {
        update(c, """
                UPDATE run_file SET status = ?, rows_total = ?, rows_processed = ?, rows_errored = ?, rows_warnings = ?,
                reason = ?, ended_at = ? WHERE id = ?""",
                status, counts.total(), counts.processed(), counts.errored(), counts.warnings(), Secrets.mask(reason),
                utc(now), fileId);
    }

    /** Ends a file still being read with the counts its chunks recorded (a take-over that found it published). */
    public void endFileAsCounted(Connection c, long fileId, String status, Instant now) throws SQLException {
        update(c, "UPDATE run_file SET status = ?, ended_at = ? WHERE id = ? AND status = ?",
                status, utc(now), fileId, Status.PROCESSING);
    }

    public void addRejected(Connection c, String runId, long fileId, List<RejectedRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO rejected_row (run_id, run_file_id, row_number, reason, raw_line) VALUES (?, ?, ?, ?, ?)")) {
            for (RejectedRow row : rows) {
                bind(insert, runId, fileId, row.rowNumber(), row.reason(), row.rawLine());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    public void deleteRejected(Connection c, long fileId) throws SQLException {
        update(c, "DELETE FROM rejected_row WHERE run_file_id = ?", fileId);
    }

    public Optional<Run> find(String runId) {
        return store.read(c -> {
            Optional<Run> run = first(c, "SELECT " + RUN_COLUMNS + " FROM import_run r WHERE r.id = ?", runId);
            return run.map(r -> withFiles(c, r));
        });
    }

    /** Runs of an import, newest first, without their files. */
    public List<Run> list(String importName, int limit, int offset) {
        return store.read(c -> all(c, "SELECT " + RUN_COLUMNS + " FROM import_run r WHERE r.import_name = ?"
                + " ORDER BY r.fetch_started_at DESC, r.id LIMIT ? OFFSET ?", importName, limit, offset));
    }

    /** How many runs the import has. */
    public long count(String importName) {
        return store.read(c -> Sql.count(c, "SELECT COUNT(*) FROM import_run WHERE import_name = ?", importName));
    }

    public Optional<Run> last(String importName) {
        return list(importName, 1, 0).stream().findFirst();
    }

    /**
     * Streams the rejected rows of a run in file and row order, 500 at a time ({@link StateStore#streaming}: PgJDBC
     * reads the whole result at once in auto-commit mode).
     */
    public void forEachRejected(String runId, Consumer<RejectedRow> consumer) {
        store.streaming(c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT f.file_name, j.row_number, j.reason, j.raw_line FROM rejected_row j
                    JOIN run_file f ON f.id = j.run_file_id WHERE j.run_id = ? ORDER BY j.id""")) {
                query.setFetchSize(500);
                query.setString(1, runId);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        consumer.accept(new RejectedRow(rows.getString(1), rows.getLong(2), rows.getString(3),
                                rows.getString(4)));
                    }
                }
            }
            return null;
        });
    }

    /** When the newest file of the import was imported, if any was. */
    public Optional<Instant> newestImportedFile(String importName) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT MAX(f.ended_at) FROM run_file f JOIN import_run r ON r.id = f.run_id
                    WHERE r.import_name = ? AND f.status = ?""")) {
                bind(query, importName, Status.IMPORTED);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return Optional.ofNullable(instant(rows, 1));
                }
            }
        });
    }

    private static Run withFiles(Connection c, Run run) {
        List<RunFile> files = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("""
                SELECT id, run_id, file_name, size_bytes, status, rows_total, rows_processed, rows_errored,
                rows_warnings, reason, started_at, ended_at FROM run_file WHERE run_id = ? ORDER BY id""")) {
            query.setString(1, run.id());
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    files.add(new RunFile(rows.getLong(1), rows.getString(2), rows.getString(3),
                            nullableLong(rows, 4), rows.getString(5), rows.getLong(6), rows.getLong(7),
                            rows.getLong(8), rows.getLong(9), rows.getString(10),
                            instant(rows, 11),
                            instant(rows, 12)));
                }
            }
        } catch (SQLException e) {
            throw new StateStoreException(e);
        }
        return new Run(run.id(), run.importName(), run.kind(), run.trigger(), run.fetchStatus(), run.fetchStartedAt(),
                run.fetchEndedAt(), run.processingStatus(), run.processingStartedAt(), run.processingEndedAt(),
                run.reason(), run.rowsTotal(), run.rowsProcessed(), run.rowsErrored(), run.rowsWarnings(), files);
    }

    /** SQLite's driver refuses {@code getObject(i, Long.class)} of a NULL. */
    private static Long nullableLong(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? null : value;
    }

    private static Optional<Run> first(Connection c, String sql, Object... args) throws SQLException {
        return all(c, sql, args).stream().findFirst();
    }

    private static List<Run> all(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            bind(query, args);
            try (ResultSet rows = query.executeQuery()) {
                List<Run> runs = new ArrayList<>();
                while (rows.next()) {
                    runs.add(new Run(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), instant(rows, 6),
                            instant(rows, 7), rows.getString(8),
                            instant(rows, 9),
                            instant(rows, 10), rows.getString(11),
                            rows.getLong(12), rows.getLong(13), rows.getLong(14), rows.getLong(15), List.of()));
                }
                return runs;
            }
        }
    }
}
