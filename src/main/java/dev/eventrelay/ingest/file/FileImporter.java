package dev.eventrelay.ingest.file;

import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.mapping.HeaderRejectedException;
import dev.eventrelay.mapping.CsvLayout;
import dev.eventrelay.mapping.CsvRowMapper;
import dev.eventrelay.mapping.Excerpt;
import dev.eventrelay.mapping.MappingSettings;
import dev.eventrelay.mapping.RowOutcome;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.RejectedRow;
import dev.eventrelay.model.RowCounts;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports one CSV file of a run, streaming: rows are mapped and validated one by one, and every
 * chunk of rows is written in one transaction (accepted events to a staged segment of the event log,
 * rejected rows with their reasons, the file's counts), on a {@link ChunkWriter} thread while the next
 * chunk is read. When the file ends, the segment is published to the hooks in the transaction that marks
 * the file imported ({@link SegmentWriter#end}). A file-level defect or a read that breaks off is reported
 * to the {@link FileFailures}, which discard the segment: nothing of the file is delivered.
 */
public final class FileImporter {

    /** How a file ended: its status, counts and, when it was rejected whole, the reason. */
    public record Outcome(String status, RowCounts counts, String reason) {
    }

    /** Characters of a rejected row's raw text that are stored; the rest is cut with a marker. */
    public static final int MAX_RAW_LINE_CHARS = 10_000;
    private final StateStore store;
    private final RunStore runs;
    private final SegmentWriter events;
    private final Clock clock;
    private final int chunkRows;
    private final CsvLimits limits;
    private final FileFailures failures;
    private final RelayMetrics metrics;

    public FileImporter(StateStore store, RunStore runs, SegmentWriter events, Clock clock, int chunkRows,
                        CsvLimits limits, FileFailures failures, RelayMetrics metrics) {
        this.store = store;
        this.runs = runs;
        this.events = events;
        this.clock = clock;
        this.chunkRows = chunkRows;
        this.limits = limits;
        this.failures = failures;
        this.metrics = metrics;
    }

    /**
     * Imports {@code in} as the run file {@code runFileId}. Throws {@link FileFailures.FileFailedException}
     * when the file cannot be read to its end (the connection broke): then the file is recorded failed and
     * nothing of it is delivered.
     */
    public Outcome importFile(String runId, long runFileId, String fileName, InputStream in, char delimiter,
                              MappingSettings settings) throws FileFailures.FileFailedException {
        Instant receivedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        long segmentId = store.inTransaction(c -> events.openSegment(c, runId, receivedAt));
        Chunk chunk = new Chunk();
        try (CsvFileReader reader = new CsvFileReader(in, delimiter, limits);
             ChunkWriter writes = new ChunkWriter(fileName)) {
            CsvLayout layout = CsvLayout.of(reader.header(), settings);
            CsvRowMapper mapper = new CsvRowMapper(settings, layout, fileName, runId);
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                chunk.add(row, row.defect() != null ? RowOutcome.rejected(row.defect())
                        : mapper.map(row.number(), row.values(), receivedAt));
                if (chunk.size() == chunkRows) {
                    Rows rows = chunk.take();
                    writes.submit(() -> flush(runId, runFileId, segmentId, rows));
                }
            }
            writes.drain();
            Rows last = chunk.take();
            RowCounts counts = last.counts();
            events.end(store, c -> {
                runs.holdUnderWay(c, runId); // refused when another instance took the run over
                write(c, runId, runFileId, segmentId, last);
                runs.updateFile(c, runFileId, counts);
                events.seal(c, segmentId, SealedSegments.Seal.ofFile(runId, runFileId));
                return null;
            }, c -> {
                runs.holdUnderWay(c, runId);
                events.publish(c, segmentId, clock.instant());
                runs.endFile(c, runFileId, Status.IMPORTED, counts, null, clock.instant());
                return null;
            });
            metrics.rows(settings.importName(), counts);
            metrics.file(settings.importName(), Status.IMPORTED);
            return new Outcome(Status.IMPORTED, counts, null);
        } catch (FileRejectedException | HeaderRejectedException e) {
            FileFailures.Rejection rejection = failures.rejected(file(settings, runId, runFileId, fileName), segmentId,
                    chunk.counts().total(), e);
            return new Outcome(Status.REJECTED, rejection.read(), rejection.reason());
        } catch (IOException | RuntimeException e) {
            throw failures.readFailed(file(settings, runId, runFileId, fileName), segmentId, chunk.counts().total(), e);
        }
    }

    private static FileFailures.FileOfRun file(MappingSettings settings, String runId, long runFileId, String fileName) {
        return new FileFailures.FileOfRun(settings.importName(), runId, runFileId, fileName);
    }

    private void flush(String runId, long runFileId, long segmentId, Rows rows) {
        store.inTransaction(c -> {
            write(c, runId, runFileId, segmentId, rows);
            runs.updateFile(c, runFileId, rows.counts());
            return null;
        });
    }

    private void write(Connection c, String runId, long runFileId, long segmentId, Rows rows) throws SQLException {
        events.append(c, segmentId, rows.accepted());
        runs.addRejected(c, runId, runFileId, rows.rejected());
    }

    /** A chunk taken for its store transaction: its accepted events, its rejected rows, the file's counts after it. */
    private record Rows(List<EventLog.Entry> accepted, List<RejectedRow> rejected, RowCounts counts) {
    }

    /** The rows of the chunk being read, and the file's running counts. */
    private final class Chunk {
        private List<EventLog.Entry> accepted = new ArrayList<>(chunkRows);
        private List<RejectedRow> rejected = new ArrayList<>();
        private int size;
        private long total;
        private long processed;
        private long errored;
        private long warnings;

        void add(CsvRow row, RowOutcome outcome) {
            size++;
            total++;
            if (outcome.isAccepted()) {
                processed++;
                warnings += outcome.warnings().size();
                accepted.add(EventLog.Entry.of(outcome.event(), EventJson.write(outcome.event())));
            } else {
                errored++;
                rejected.add(new RejectedRow(null, row.number(), Excerpt.cut(outcome.rejection(), FileFailures.MAX_REASON_CHARS),
                        Excerpt.cut(row.raw(), MAX_RAW_LINE_CHARS)));
            }
        }

        int size() {
            return size;
        }

        RowCounts counts() {
            return new RowCounts(total, processed, errored, warnings);
        }

        /** The chunk's rows, handed over for writing; the next chunk starts empty. */
        Rows take() {
            Rows rows = new Rows(accepted, rejected, counts());
            accepted = new ArrayList<>(chunkRows);
            rejected = new ArrayList<>();
            size = 0;
            return rows;
        }
    }
}
