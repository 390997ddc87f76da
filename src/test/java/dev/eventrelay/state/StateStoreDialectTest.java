package dev.eventrelay.state;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every state-store class needs of its dialect, on each store (the subclasses): timestamps read back as
 * written and compared as times, upserts, ids that keep the order of a batch, and writers from many threads at
 * once that all wait their turn and none fails.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class StateStoreDialectTest {

    StateStore store;
    RunStore runs;
    EventLog events;

    /** A URL of a new, empty store of the subclass's dialect. */
    abstract String newStoreUrl() throws Exception;

    String user() {
        return "sa";
    }

    String password() {
        return "";
    }

    @BeforeEach
    void openStore() throws Exception {
        store = new StateStore(newStoreUrl(), user(), password(), 8);
        store.migrate();
        runs = new RunStore(store);
        events = new EventLog(store);
    }

    @AfterEach
    void closeStore() {
        store.stop();
    }

    @Test
    void timestampsReadBackAsWrittenToTheMicrosecond() {
        Instant at = Instant.parse("2026-12-02T16:55:30.179254Z");
        String id = runs.create("times", "sftp", "manual", at);
        runs.processing(id, Instant.parse("2026-12-02T16:56:00Z"));
        Run run = runs.find(id).orElseThrow();
        assertThat(run.fetchStartedAt()).isEqualTo(at);
        assertThat(run.processingStartedAt()).isEqualTo(Instant.parse("2026-12-02T16:56:00Z"));
        assertThat(run.fetchEndedAt()).isNull();
    }

    @Test
    void aFileOfUnknownSizeReadsBackWithoutOne() {
        String id = runs.create("sizes", "upload", "manual", Instant.now());
        store.inTransaction(c -> runs.addFile(c, id, "upload.csv", null, null, Instant.now()));
        assertThat(runs.find(id).orElseThrow().files()).singleElement()
                .satisfies(file -> assertThat(file.sizeBytes()).isNull());
    }

    @Test
    void timestampsCompareAsTimesNotAsText() {
        ErrorLog errors = new ErrorLog(store);
        // as text of varying width "…16:49Z" would sort after "…16:49:00.5Z"; as times it is before
        errors.record("a", "X", "whole minute", null, Instant.parse("2026-12-02T16:49:00Z"));
        errors.record("a", "X", "half a second later", null, Instant.parse("2026-12-02T16:49:00.500Z"));
        errors.record("a", "X", "next day", null, Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(errors.count(Instant.parse("2026-12-02T16:49:00.001Z"))).isEqualTo(2);
        assertThat(errors.since(Instant.parse("2026-12-02T00:00:00Z"), 10, 0)).extracting(ErrorLog.Entry::summary)
                .containsExactly("next day", "half a second later", "whole minute");
        assertThat(errors.since(Instant.EPOCH, 10, 0).get(2).occurredAt()).isEqualTo(Instant.parse("2026-12-02T16:49:00Z"));
    }

    @Test
    void aClaimedFileIsClaimedOnce() {
        FileLedger ledger = new FileLedger(store);
        String runId = runs.create("ledger", "sftp", "manual", Instant.now());
        boolean[] claims = store.inTransaction(c -> {
            long fileId = runs.addFile(c, runId, "a.csv", 10L, 1L, Instant.now());
            FileLedger.Entry file = new FileLedger.Entry("a.csv", 10, 1);
            return new boolean[] {ledger.claim(c, "ledger", file, fileId), ledger.claim(c, "ledger", file, fileId)};
        });
        assertThat(claims).containsExactly(true, false);
        assertThat(ledger.reportOnce("ledger", "a.csv", "f1")).isTrue();
        assertThat(ledger.reportOnce("ledger", "a.csv", "f1")).isFalse();
    }

    @Test
    void aBatchKeepsItsOrderInTheEventLog() {
        String runId = runs.create("order", "sftp", "manual", Instant.now());
        List<EventLog.Entry> written = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            written.add(new EventLog.Entry(0, "event-" + i, "T", "{\"n\":" + i + "}"));
        }
        store.inTransaction(c -> {
            long segment = events.openSegment(c, runId, Instant.now());
            events.append(c, segment, written.subList(0, 1_000));
            events.append(c, segment, written.subList(1_000, 2_500));
            return events.publish(c, segment, Instant.now());
        });
        List<EventLog.Entry> read = new ArrayList<>();
        EventLog.Cursor at = EventLog.Cursor.START;
        EventLog.Page page;
        while (!(page = events.read(at, 700, null)).entries().isEmpty()) {
            read.addAll(page.entries());
            at = page.next();
        }
        assertThat(read).extracting(EventLog.Entry::eventId)
                .containsExactlyElementsOf(written.stream().map(EventLog.Entry::eventId).toList());
        assertThat(read).extracting(EventLog.Entry::logId).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void writersFromManyThreadsAllCommitInTurn() throws Exception {
        int writers = 6;
        int segmentsEach = 15;
        int eventsPerSegment = 40;
        String runId = runs.create("concurrent", "sftp", "manual", Instant.now());
        HookStates hooks = new HookStates(store);
        ErrorLog errors = new ErrorLog(store);
        List<Long> seqs = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                int writer = w;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int s = 0; s < segmentsEach; s++) {
                        List<EventLog.Entry> page = new ArrayList<>();
                        for (int e = 0; e < eventsPerSegment; e++) {
                            page.add(new EventLog.Entry(0, writer + "-" + s + "-" + e, "T", "{}"));
                        }
                        seqs.add(store.inTransaction(c -> {
                            long segment = events.openSegment(c, runId, Instant.now());
                            events.append(c, segment, page);
                            return events.publish(c, segment, Instant.now());
                        }));
                    }
                    return null;
                }));
            }
            for (int h = 0; h < 2; h++) {
                String hook = "hook-" + h;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 1; i <= 60; i++) {
                        hooks.delivered(hook, new EventLog.Cursor(i, i), 1, Instant.now(),
                                new HookStates.Attempt(Instant.now(), "batch-" + i, 1, HookStates.DELIVERED, "200", 1, "ok", false));
                        errors.record(hook, "X", "attempt " + i, null, Instant.now());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : done) {
                writer.get(150, TimeUnit.SECONDS); // a writer that failed (SQLITE_BUSY, a lock error) throws here
            }
        } finally {
            pool.shutdownNow();
        }
        Set<Long> published = new TreeSet<>(seqs);
        assertThat(published).as("one sequence number per segment, none skipped")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, (long) writers * segmentsEach).boxed().toList());
        assertThat(events.read(EventLog.Cursor.START, 100_000, null).entries())
                .hasSize(writers * segmentsEach * eventsPerSegment);
        assertThat(hooks.get("hook-1").delivered()).isEqualTo(60);
        assertThat(errors.count(Instant.EPOCH)).isEqualTo(120);
    }

    @Test
    void aLongStreamingReadHoldsNoWriterBack() throws Exception {
        String runId = runs.create("errors", "sftp", "manual", Instant.now());
        store.inTransaction(c -> {
            long fileId = runs.addFile(c, runId, "bad.csv", 1L, 1L, Instant.now());
            runs.addRejected(c, runId, fileId, List.of(new RejectedRow("bad.csv", 1, "bad", "x"),
                    new RejectedRow("bad.csv", 2, "bad", "y")));
            return null;
        });
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        List<String> rows = new ArrayList<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try {
            runs.forEachRejected(runId, row -> {
                rows.add(row.rawLine());
                if (rows.size() == 1) {
                    reading.countDown();
                    writer.submit(() -> {
                        runs.create("beside", "sftp", "manual", Instant.now());
                        written.countDown();
                    });
                    try {
                        assertThat(written.await(60, TimeUnit.SECONDS)).as("a write while the rows stream").isTrue();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
        } finally {
            writer.shutdownNow();
        }
        assertThat(rows).containsExactly("x", "y");
        assertThat(runs.count("beside")).isEqualTo(1);
    }
}
