package dev.eventrelay.ingest.recovery;

import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.ingest.PauseGate;
import dev.eventrelay.ingest.RunBookkeeping;
import dev.eventrelay.ingest.RunFailures;
import dev.eventrelay.ingest.RunRefusedException;
import dev.eventrelay.ingest.file.CsvLimits;
import dev.eventrelay.ingest.file.FileImporter;
import dev.eventrelay.mapping.MappingSettings;
import dev.eventrelay.model.EventType;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.Instances;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunNotUnderWayException;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.support.TestClock;
import dev.eventrelay.systemevents.SystemEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Instances of one store with their leases, on the real store of each dialect (the subclasses), with a clock the test
 * moves: a live instance's run is never taken over; an expired instance's runs are failed, their claims freed and
 * their staged segments dropped by exactly one of two concurrent recoverers, and nothing of another run is touched;
 * of concurrent starts of one import exactly one records a run, the other gets the "still fetching" refusal; an
 * owner that lost its run can write nothing more for it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class OwnershipDialectTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final String REASON = "interrupted: route of the test";

    @TempDir
    Path dir;

    private StateStore store;
    private TestClock clock;
    private RunStore runs;
    private RunOwnership ownership;
    private EventLog events;
    private FileLedger ledger;
    private FileFailures failures;

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
        clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
        runs = new RunStore(store);
        ownership = new RunOwnership(store);
        events = new EventLog(store);
        ledger = new FileLedger(store);
        failures = new FileFailures(store, runs, ownership, events, ledger, clock, new RelayMetrics(),
                new SystemEvents(store, events, runs, clock));
    }

    @AfterEach
    void closeStore() {
        store.stop();
    }

    @Test
    void aLiveInstancesProcessingRunIsNotTakenOverByAnotherInstance() {
        Instances a = instance("relay-a");
        instance("relay-b");
        Work work = work("orders", "relay-a");
        clock.advance(Duration.ofSeconds(1));
        a.renew();
        clock.advance(Duration.ofSeconds(1)); // 2 s after the start: relay-a's lease runs until 3 s

        assertThat(ownership.abandoned(null, clock.instant())).isEmpty();
        assertThat(failures.interrupted(work.runId, null, REASON)).as("take-over of a live run").isEqualTo(-1);
        assertUntouched(work);
    }

    @Test
    void anExpiredInstancesRunsAreTakenOverByExactlyOneOfTwoConcurrentRecoverers() throws Exception {
        instance("relay-a");
        Instances b = instance("relay-b");
        Instances c = instance("relay-c");
        List<Work> dead = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            dead.add(work("orders-" + i, "relay-a"));
        }
        Work alive = work("pos", "relay-c");
        clock.advance(Duration.ofSeconds(1));
        b.renew();
        c.renew();
        clock.advance(Duration.ofSeconds(1)); // relay-a's lease ended at 2 s; b and c renewed at 1 s

        assertThat(b.expired()).containsExactly("relay-a");
        List<List<String>> won = concurrently(2, n -> {
            List<String> mine = new ArrayList<>();
            for (RunOwnership.OwnedRun run : ownership.abandoned(null, clock.instant())) {
                if (failures.interrupted(run.runId(), null, REASON) >= 0) {
                    mine.add(run.runId());
                }
            }
            return mine;
        });

        List<String> all = new ArrayList<>(won.get(0));
        all.addAll(won.get(1));
        assertThat(all).as("each run taken by exactly one recoverer").doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(dead.stream().map(w -> w.runId).toList());
        for (Work work : dead) {
            Run run = runs.find(work.runId).orElseThrow();
            assertThat(run.fetchStatus()).isEqualTo(Status.FAILED);
            assertThat(run.processingStatus()).isEqualTo(Status.FAILED);
            assertThat(run.reason()).isEqualTo(REASON);
            assertThat(run.files()).extracting(f -> f.status()).containsExactly(Status.FAILED);
            assertThat(ledger.entries(work.importName)).as("claims of %s", work.importName).isEmpty();
            assertThat(segmentStatus(work.segmentId)).isEqualTo("Discarded");
            assertThat(eventsOf(work.segmentId)).isZero();
        }
        assertUntouched(alive);
    }

    @Test
    void ofTwoConcurrentStartsOfOneImportExactlyOneRecordsARunAndTheOtherIsRefusedAsStillFetching() throws Exception {
        RunBookkeeping onA = bookkeeping("relay-a");
        RunBookkeeping onB = bookkeeping("relay-b");
        for (int round = 0; round < 10; round++) {
            String name = "orders-" + round;
            List<Object> outcomes = concurrently(2, n -> {
                try {
                    return (n == 0 ? onA : onB).create("import", "sftp", name, "api", r -> "fetching", false);
                } catch (RunRefusedException refused) {
                    return refused;
                }
            });
            List<String> recorded = outcomes.stream().filter(String.class::isInstance).map(String.class::cast).toList();
            assertThat(recorded).as("runs recorded in round %s: %s", round, outcomes).hasSize(1);
            assertThat(outcomes).filteredOn(RunRefusedException.class::isInstance).singleElement()
                    .extracting(e -> ((RunRefusedException) e).getMessage())
                    .isEqualTo("run " + recorded.get(0) + " of import '" + name + "' is still fetching");
            assertThat(runs.count(name)).isEqualTo(1);
        }
    }

    @Test
    void aOneTimeImportRecordsNoRunOnceOneOfItsRunsEndedProcessed() {
        String first = runs.tryCreate("once", "sftp", "schedule", "relay-a", true, clock.instant()).runId();
        runs.finished(first, clock.instant());

        RunStore.Created second = runs.tryCreate("once", "sftp", "schedule", "relay-b", true, clock.instant());

        assertThat(second.runId()).isNull();
        assertThat(second.refused()).isEqualTo(RunStore.NotCreated.PROCESSED);
        assertThat(runs.count("once")).isEqualTo(1);
    }

    @Test
    void anOwnerWhoseRunWasTakenOverCanWriteNothingMoreForIt() {
        instance("relay-a");
        instance("relay-b");
        Work work = work("orders", "relay-a");
        clock.advance(LEASE.plusSeconds(1));
        assertThat(failures.interrupted(work.runId, null, REASON)).isEqualTo(1);

        assertThatThrownBy(() -> store.inTransaction(c -> {
            runs.holdUnderWay(c, work.runId);
            return null;
        })).isInstanceOf(RunNotUnderWayException.class).hasMessageContaining(work.runId);
        int dropped = store.inTransaction(c -> failures.runFailed(c, work.runId, "the owner's own failure",
                clock.instant()));
        assertThat(dropped).as("the owner's failure of a run taken over").isEqualTo(-1);
        assertThat(runs.find(work.runId).orElseThrow().reason()).isEqualTo(REASON);
    }

    @Test
    void aFileWhoseRunIsTakenOverWhileItIsReadPublishesNothingAndStaysFreeForTheRunThatTookOver() {
        instance("relay-a");
        instance("relay-b");
        Work work = work("orders", "relay-a");
        FileImporter importer = new FileImporter(store, runs, events, clock, 1000, CsvLimits.DEFAULTS, failures,
                new RelayMetrics());
        MappingSettings settings = new MappingSettings("sftp", "orders", "udc_1itzAa15r",
                new EventType("UDE_7KQ2LOGIN", "Login", Map.of()), ZoneOffset.UTC,
                List.of("externalId", "eventDate"), true, "|", Map.of());
        byte[] csv = "externalId,eventDate\nc-1,2026-11-22 08:00:00\nc-2,2026-11-22 09:00:00\n"
                .getBytes(StandardCharsets.UTF_8);
        // relay-a's lease runs out while it reads the file, and relay-b takes the run over before the file ends
        InputStream takenOverAtTheEnd = new FilterInputStream(new ByteArrayInputStream(csv)) {
            private boolean takenOver;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0 && !takenOver) {
                    takenOver = true;
                    clock.advance(LEASE.plusSeconds(1));
                    assertThat(failures.interrupted(work.runId, null, REASON)).isGreaterThanOrEqualTo(0);
                }
                return n;
            }
        };

        assertThatThrownBy(() -> importer.importFile(work.runId, work.fileId, "orders-1.csv", takenOverAtTheEnd, ',',
                settings)).isInstanceOf(FileFailures.FileFailedException.class).hasMessageContaining("no longer under way");

        assertThat(published(work.runId)).as("segments of the run published").isZero();
        assertThat(ledger.entries("orders")).as("the file's claim").isEmpty();
        assertThat(runs.find(work.runId).orElseThrow().reason()).isEqualTo(REASON);
    }

    @Test
    void atStartRunsWithoutAnOwnerAndRunsUnderTheOwnIdAreAbandonedAndOnlyThen() {
        Instances a = instance("relay-a");
        String ownerless = runs.create("legacy", "sftp", "schedule", clock.instant());
        String own = work("orders", "relay-a").runId;

        assertThat(ownership.abandoned(null, clock.instant())).isEmpty();
        assertThat(ownership.abandoned(a.id(), clock.instant())).extracting(RunOwnership.OwnedRun::runId)
                .containsExactlyInAnyOrder(ownerless, own);
        assertThat(failures.interrupted(own, a.id(), REASON)).isEqualTo(1);
        assertThat(failures.interrupted(ownerless, a.id(), REASON)).isZero();
    }

    @Test
    void aGracefulStopGivesTheLeaseUpAndItsRunsAreTakenOverAtOnce() {
        Instances a = instance("relay-a");
        instance("relay-b");
        Work work = work("orders", "relay-a");

        a.leave();

        assertThat(a.live()).extracting(Instances.Instance::id).containsExactly("relay-b");
        assertThat(ownership.abandoned(null, clock.instant())).extracting(RunOwnership.OwnedRun::runId)
                .containsExactly(work.runId);
    }

    @Test
    void anIdThatALiveInstanceOnAnotherHostHoldsIsRefusedNamingTheKey() {
        instance("relay-a");
        Instances twin = new Instances(store, "relay-a", "another-host", 7, LEASE, clock);

        assertThatThrownBy(twin::register).hasMessageStartingWith("relay.instance.id: the id 'relay-a' is in use");
        clock.advance(LEASE);
        twin.register(); // once that lease expired, the id is free
        assertThat(twin.live()).extracting(Instances.Instance::host).containsExactly("another-host");
    }

    @Test
    void theLeaseIsDueForRenewalAfterAThirdOfItsLength() {
        Instances a = instance("relay-a");
        assertThat(a.renewalDue()).isFalse();
        clock.advance(Duration.ofMillis(700));
        assertThat(a.renewalDue()).isTrue();
        assertThat(a.renewIfDue()).isTrue();
        assertThat(a.renewalDue()).isFalse();
        assertThat(a.live()).singleElement().satisfies(i -> {
            assertThat(i.renewedAt()).isEqualTo(clock.instant());
            assertThat(i.expiresAt()).isEqualTo(clock.instant().plus(LEASE));
            assertThat(i.leaseSeconds()).isEqualTo(2);
        });
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** A run of {@code importName} owned by {@code owner}, Processing, with one file claimed and a staged segment. */
    private Work work(String importName, String owner) {
        Instant now = clock.instant();
        String runId = runs.tryCreate(importName, "sftp", "schedule", owner, false, now).runId();
        runs.processing(runId, now);
        long[] ids = store.inTransaction(c -> {
            long fileId = runs.addFile(c, runId, importName + "-1.csv", 10L, 1L, now);
            ledger.claim(c, importName, new FileLedger.Entry(importName + "-1.csv", 10, 1), fileId);
            long segmentId = events.openSegment(c, runId, now);
            events.append(c, segmentId, List.of(new EventLog.Entry(0, java.util.UUID.randomUUID().toString(), "purchase", "{}")));
            return new long[] {fileId, segmentId};
        });
        return new Work(importName, runId, ids[0], ids[1]);
    }

    private record Work(String importName, String runId, long fileId, long segmentId) {
    }

    private long published(String runId) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT COUNT(*) FROM event_segment WHERE run_id = ? AND status = 'Published'")) {
                query.setString(1, runId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    private void assertUntouched(Work work) {
        Run run = runs.find(work.runId).orElseThrow();
        assertThat(run.processingStatus()).isEqualTo(Status.PROCESSING);
        assertThat(run.files()).extracting(f -> f.status()).containsExactly(Status.PROCESSING);
        assertThat(ledger.entries(work.importName)).containsKey(work.importName + "-1.csv");
        assertThat(segmentStatus(work.segmentId)).isEqualTo("Staged");
        assertThat(eventsOf(work.segmentId)).isEqualTo(1);
    }

    private Instances instance(String id) {
        Instances instances = new Instances(store, id, "test-host", ProcessHandle.current().pid(), LEASE, clock);
        instances.register();
        return instances;
    }

    private RunBookkeeping bookkeeping(String instanceId) {
        ErrorLog errors = new ErrorLog(store);
        SystemEvents systemEvents = new SystemEvents(store, events, runs, clock);
        return new RunBookkeeping(runs, new PauseGate(new ImportStates(store), errors, clock),
                new RunFailures(store, failures, errors, clock, systemEvents), clock, new RelayMetrics(),
                systemEvents, instanceId);
    }

    private String segmentStatus(long segmentId) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT status FROM event_segment WHERE id = ?")) {
                query.setLong(1, segmentId);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        });
    }

    private long eventsOf(long segmentId) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("SELECT COUNT(*) FROM event_log WHERE segment_id = ?")) {
                query.setLong(1, segmentId);
                try (ResultSet rows = query.executeQuery()) {
                    rows.next();
                    return rows.getLong(1);
                }
            }
        });
    }

    /** What {@code work} answers on {@code threads} threads released at once, in thread order. */
    private static <T> List<T> concurrently(int threads, Worker<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int n = 0; n < threads; n++) {
                int thread = n;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return work.run(thread);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @FunctionalInterface
    private interface Worker<T> {
        T run(int thread) throws Exception;
    }
}
