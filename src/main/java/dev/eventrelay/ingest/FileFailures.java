package dev.eventrelay.ingest;

import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.mapping.Excerpt;
import dev.eventrelay.model.RowCounts;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.RejectedRow;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.systemevents.SystemEvents;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The one place that decides what a file of a run becomes when its import does not end well, and writes it. The
 * file importer, the SFTP import runner, the upload importer, the run failures and the start-up recovery report
 * here and decide nothing of their own:
 * <ul>
 *   <li><b>rejected</b> whole while it was read (no header, a required column missing, the wrong encoding, …):
 *   {@code Rejected} with the rows read, the reason as its only rejected row (row 0), its staged segment dropped.
 *   Its claim in the file ledger stays: the same file is not imported again.</li>
 *   <li><b>failed</b> while it was read (the connection broke, the file changed): {@code Failed} with the rows
 *   read in the reason and no counts, its rejected rows and staged segment dropped, its claim freed so the next run
 *   imports it whole. A file that could not be opened (or closed) fails the same way, with nothing staged.</li>
 *   <li><b>over a size limit</b> (an upload): the read failed, and the file is {@code Rejected} with the limit as
 *   its reason and row 0.</li>
 *   <li>the files of a <b>failed or interrupted run</b> (its instance stopped or lost its lease): those left
 *   unfinished are {@code Failed}, their claims freed, that run's staged segments dropped; other runs keep theirs.</li>
 * </ul>
 * The file metrics count the files whose reading began: rejected and failed ones, once each. A rejected file raises
 * the system event {@code relay_file_rejected} in the transaction that records it.
 */
public final class FileFailures {

    /** Characters of a reason that are stored. */
    public static final int MAX_REASON_CHARS = 1_000;

    /** A file of a run, as a failure names it. */
    public record FileOfRun(String importName, String runId, long runFileId, String fileName) {
    }

    /** The read of a file failed, and the failure is recorded: the caller only ends its run. */
    public static final class FileFailedException extends IOException {
        FileFailedException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private final StateStore store;
    private final RunStore runs;
    private final RunOwnership ownership;
    private final SegmentWriter events;
    private final FileLedger ledger;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final SystemEvents systemEvents;

    public FileFailures(StateStore store, RunStore runs, RunOwnership ownership, SegmentWriter events,
                        FileLedger ledger, Clock clock, RelayMetrics metrics, SystemEvents systemEvents) {
        this.store = store;
        this.runs = runs;
        this.ownership = ownership;
        this.events = events;
        this.ledger = ledger;
        this.clock = clock;
        this.metrics = metrics;
        this.systemEvents = systemEvents;
    }

    /** The file is rejected whole after {@code rowsRead} rows for {@code defect}; returns the counts and the reason stored. */
    public Rejection rejected(FileOfRun file, long segmentId, long rowsRead, Exception defect) {
        RowCounts read = new RowCounts(rowsRead, 0, 0, 0);
        String reason = Excerpt.cut(defect.getMessage(), MAX_REASON_CHARS);
        store.inTransaction(c -> {
            events.discard(c, segmentId);
            replaceRejectedRows(c, file, reason);
            runs.endFile(c, file.runFileId(), Status.REJECTED, read, reason, clock.instant());
            systemEvents.fileRejected(c, file.importName(), file.runId(), file.fileName(), rowsRead, reason);
            return null;
        });
        metrics.rows(file.importName(), read);
        metrics.file(file.importName(), Status.REJECTED);
        return new Rejection(read, reason);
    }

    /** What a rejected file was recorded with. */
    public record Rejection(RowCounts read, String reason) {
    }

    /** Reading the file broke off after {@code rowsRead} rows; returns the exception for the caller to throw. */
    public FileFailedException readFailed(FileOfRun file, long segmentId, long rowsRead, Exception e) {
        String reason = Excerpt.cut("reading the file failed after " + rowsRead + " rows: " + e.getMessage(),
                MAX_REASON_CHARS);
        store.inTransaction(c -> {
            events.discard(c, segmentId);
            runs.deleteRejected(c, file.runFileId());
            end(c, file, reason);
            return null;
        });
        metrics.file(file.importName(), Status.FAILED);
        return new FileFailedException(reason, e);
    }

    /** The file could not be opened (or closed) for {@code reason}: nothing of it was staged. */
    public void failed(FileOfRun file, String reason) {
        store.inTransaction(c -> {
            end(c, file, reason);
            return null;
        });
    }

    /** The file's read failed because it passed a size limit: it is rejected with {@code reason}, in {@code c}. */
    public void overLimit(Connection c, FileOfRun file, String reason) throws SQLException {
        replaceRejectedRows(c, file, reason);
        runs.endFile(c, file.runFileId(), Status.REJECTED, RowCounts.NONE, reason, clock.instant());
        systemEvents.fileRejected(c, file.importName(), file.runId(), file.fileName(), 0, reason);
    }

    /**
     * The run {@code runId} failed: in {@code c}, it and its unfinished files are Failed, their claims freed, its
     * staged segments dropped; returns the segments dropped, or -1 when the run was no longer under way (another
     * instance took it over) and nothing was written.
     */
    public int runFailed(Connection c, String runId, String reason, Instant now) throws SQLException {
        if (!runs.failRun(c, runId, reason, now)) {
            return -1;
        }
        ledger.releaseUnfinished(c, runId);
        return events.discardStaged(c, runId);
    }

    /**
     * The run {@code runId}'s instance stopped or lost its lease while the run was under way: in one transaction, if
     * this caller wins the run ({@link RunOwnership#takeOver}), what the run sealed and the backbone took is recorded
     * ({@link SegmentWriter#settleSealed}: a file imported, a sync's cursor moved), then the run and its unfinished
     * files are Failed with {@code reason}, their claims freed and the run's staged segments dropped; the work of
     * every other run stays. Returns the segments dropped, or -1 when another instance took the run first or its
     * owner is live. Throws when the backbone cannot tell yet what it took; nothing is written then.
     */
    public int interrupted(String runId, String startingInstance, String reason) {
        Instant now = clock.instant();
        return store.inTransaction(c -> {
            if (!ownership.takeOver(c, runId, startingInstance, reason, now)) {
                return -1;
            }
            events.settleSealed(c, runId, now);
            runs.failFiles(c, runId, reason, now);
            ledger.releaseUnfinished(c, runId);
            return events.discardStaged(c, runId);
        });
    }

    private void end(Connection c, FileOfRun file, String reason) throws SQLException {
        runs.endFile(c, file.runFileId(), Status.FAILED, RowCounts.NONE, reason, clock.instant());
        ledger.releaseUnfinished(c, file.runId());
    }

    private void replaceRejectedRows(Connection c, FileOfRun file, String reason) throws SQLException {
        runs.deleteRejected(c, file.runFileId());
        runs.addRejected(c, file.runId(), file.runFileId(), List.of(new RejectedRow(file.fileName(), 0, reason, "")));
    }
}
