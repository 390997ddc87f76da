package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.mapping.RowOutcome;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.model.RowCounts;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.RejectedRow;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.WarehouseCursors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports the rows of a sync run changed after the sync's cursor, page by page (see {@link PageQuery}); each page
 * is written in one state-store transaction: its events appended to a new event-log segment and published, its
 * rejected rows recorded with their key, the run's counts, and the cursor moved to the page's last row. A run that
 * fails keeps the pages it committed, so the next run resumes after the last one.
 */
final class SyncPageImporter {

    /** Rejection reasons are cut to this length (rejected_row.reason holds 4000 characters). */
    private static final int MAX_REASON = 1000;

    private final StateStore store;
    private final RunStore runs;
    private final SegmentWriter events;
    private final WarehouseCursors cursors;
    private final Clock clock;

    SyncPageImporter(StateStore store, RunStore runs, SegmentWriter events, WarehouseCursors cursors, Clock clock) {
        this.store = store;
        this.runs = runs;
        this.events = events;
        this.cursors = cursors;
        this.clock = clock;
    }

    /** Reads and publishes page after page until none is left; {@code counts} holds the rows of the pages published. */
    void importPages(Connection warehouse, WarehouseSyncConfig config, SourceColumns columns, String runId,
                     long runFileId, Instant receivedAt, Counts counts) throws SQLException {
        PageQuery pages = new PageQuery(config, columns);
        WarehouseRowMapper mapper = new WarehouseRowMapper(config, columns, runId);
        SourceColumns.Column unique = columns.find(config.column(WarehouseSyncConfig.UNIQUE_ID)).orElse(null);
        PageQuery.Position at = cursors.find(config.name())
                .map(cursor -> new PageQuery.Position(cursor.changedAt(), cursor.rowKey())).orElse(null);
        while (true) {
            Page page = readPage(warehouse, pages, at, config, mapper, unique, receivedAt, counts);
            if (page.rows == 0) {
                break;
            }
            commit(config, runId, runFileId, page, counts);
            at = page.end;
            if (!pages.mayHaveMore(page.rows)) {
                break;
            }
        }
    }

    private Page readPage(Connection warehouse, PageQuery pages, PageQuery.Position from, WarehouseSyncConfig config,
                          WarehouseRowMapper mapper, SourceColumns.Column unique,
                          Instant receivedAt, Counts counts) throws SQLException {
        Page page = new Page();
        try (PreparedStatement query = pages.prepare(warehouse, from, config.startAt());
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                page.rows++;
                RowOutcome outcome = mapper.map(rows, receivedAt);
                if (outcome.isAccepted()) {
                    page.accepted.add(EventLog.Entry.of(outcome.event(), EventJson.write(outcome.event())));
                } else {
                    String why = outcome.rejection();
                    page.rejected.add(new RejectedRow(null, counts.total + page.rows,
                            why.length() > MAX_REASON ? why.substring(0, MAX_REASON) + "…" : why, mapper.rowKey(rows)));
                }
                page.end = pages.positionOf(rows, unique);
            }
        }
        return page;
    }

    private void commit(WarehouseSyncConfig config, String runId, long runFileId, Page page, Counts counts) {
        Counts after = counts.plus(page);
        long[] segmentId = new long[1];
        try {
            endPage(config, runId, runFileId, page, after, segmentId);
        } catch (RuntimeException e) {
            if (segmentId[0] != 0 && events.publishesOutsideTheStore()) { // its Kafka transaction is aborted
                store.inTransaction(c -> {
                    events.discard(c, segmentId[0]);
                    return null;
                });
            }
            throw e;
        }
        counts.set(after);
    }

    private void endPage(WarehouseSyncConfig config, String runId, long runFileId, Page page, Counts after,
                         long[] segmentId) {
        events.end(store, c -> {
            runs.holdUnderWay(c, runId); // refused when another instance took the run over: its page is not written
            segmentId[0] = events.openSegment(c, runId, clock.instant());
            events.append(c, segmentId[0], page.accepted);
            runs.addRejected(c, runId, runFileId, page.rejected);
            runs.updateFile(c, runFileId, after.toRowCounts());
            events.seal(c, segmentId[0], SealedSegments.Seal.ofPage(runId, runFileId, config.name(),
                    page.end.changedAt(), page.end.rowKey()));
            return null;
        }, c -> {
            Instant now = clock.instant();
            runs.holdUnderWay(c, runId);
            events.publish(c, segmentId[0], now);
            cursors.advance(c, config.name(), page.end.changedAt(), page.end.rowKey(), now);
            return null;
        });
    }

    /** The rows of one page: accepted events, rejected rows, the position of its last row. */
    private static final class Page {
        private final List<EventLog.Entry> accepted = new ArrayList<>();
        private final List<RejectedRow> rejected = new ArrayList<>();
        private int rows;
        private PageQuery.Position end;
    }

    /** The run's running counts: the rows of the pages published. */
    static final class Counts {
        private long total;
        private long processed;
        private long errored;

        private Counts plus(Page page) {
            Counts next = new Counts();
            next.total = total + page.rows;
            next.processed = processed + page.accepted.size();
            next.errored = errored + page.rejected.size();
            return next;
        }

        private void set(Counts other) {
            total = other.total;
            processed = other.processed;
            errored = other.errored;
        }

        RowCounts toRowCounts() {
            return new RowCounts(total, processed, errored, 0);
        }
    }
}
