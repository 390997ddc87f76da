package dev.eventrelay.backbone;

import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.model.RowCounts;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.Instances;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.state.WarehouseCursors;
import dev.eventrelay.support.TestClock;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.systemevents.SystemEvents;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An instance that stops between the Kafka commit of a segment and the store's record of it, on the real store of
 * each dialect (the subclasses) and a real KRaft broker: the instance that takes the run over asks the topic and
 * records the file imported (its claim kept, so it is not imported twice) or moves the sync's cursor past the page
 * when the segment was committed, and frees the file when its transaction was aborted; while another producer's open
 * transaction keeps the topic from telling, the run is left untouched for a later renewal.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
abstract class SealedTakeOverTest {

    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final String REASON = "interrupted: route of the test";
    static TestKafkaBroker broker;

    @TempDir
    Path dir;

    private StateStore store;
    private TestClock clock;
    private RunStore runs;
    private FileLedger ledger;
    private WarehouseCursors cursors;
    private BackboneConfig config;
    private SealedSegments sealed;
    private KafkaSegments stopped;
    private KafkaSegments survivor;
    private FileFailures survivorFailures;

    abstract String newStoreUrl() throws Exception;

    String user() {
        return "sa";
    }

    String password() {
        return "";
    }

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestKafkaBroker.start(Map.of());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void openStoreAndTopic() throws Exception {
        store = new StateStore(newStoreUrl(), user(), password(), 8);
        store.migrate();
        clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
        runs = new RunStore(store);
        ledger = new FileLedger(store);
        cursors = new WarehouseCursors(store);
        String topic = "sealed-" + UUID.randomUUID();
        broker.createTopic(topic, 1);
        config = new BackboneConfig("kafka", broker.bootstrapServers(), topic, 1, (short) 1, 60_000);
        sealed = new SealedSegments(runs, cursors);
        stopped = new KafkaSegments(config, "relay-a", sealed);
        survivor = new KafkaSegments(config, "relay-b", sealed);
        EventLog events = new EventLog(store);
        survivorFailures = new FileFailures(store, runs, new RunOwnership(store), survivor, ledger, clock,
                new RelayMetrics(), new SystemEvents(store, events, runs, clock));
        instance("relay-a");
        instance("relay-b");
    }

    @AfterEach
    void close() {
        stopped.close();
        survivor.close();
        store.stop();
    }

    @Test
    void aFileCommittedToKafkaButNotToTheStoreIsRecordedImportedByTheInstanceThatTakesTheRunOverAndKeepsItsClaim() {
        Work work = work("orders-1.csv");
        long segment = sealedSegment(work, SealedSegments.Seal.ofFile(work.runId, work.fileId));
        committedToKafkaOnly(segment);
        assertThat(committedValues()).hasSize(3);

        takeOverFromTheStoppedInstance(work);

        Run run = runs.find(work.runId).orElseThrow();
        assertThat(run.processingStatus()).isEqualTo(Status.FAILED);
        assertThat(run.files()).singleElement().satisfies(file -> {
            assertThat(file.status()).isEqualTo(Status.IMPORTED);
            assertThat(file.rowsTotal()).isEqualTo(3);
            assertThat(file.rowsProcessed()).isEqualTo(3);
            assertThat(file.endedAt()).isNotNull();
        });
        assertThat(ledger.entries("orders")).as("the file's claim: the next run does not import it again")
                .containsKey("orders-1.csv");
        assertThat(sealedRows()).isZero();
    }

    @Test
    void aFileWhoseKafkaTransactionWasLeftOpenIsFreedAndNothingOfItIsEverRead() {
        Work work = work("orders-1.csv");
        sealedSegment(work, SealedSegments.Seal.ofFile(work.runId, work.fileId));
        // the instance stops after the seal, before the Kafka commit: its transaction is open

        takeOverFromTheStoppedInstance(work);

        assertThat(runs.find(work.runId).orElseThrow().files()).singleElement()
                .satisfies(file -> assertThat(file.status()).isEqualTo(Status.FAILED));
        assertThat(ledger.entries("orders")).as("the file's claim: the next run imports it").isEmpty();
        assertThat(committedValues()).as("read_committed sees nothing of the aborted transaction").isEmpty();
        assertThat(sealedRows()).isZero();
    }

    @Test
    void aSyncPageCommittedToKafkaButNotToTheStoreMovesTheCursorPastThePage() {
        Work work = work("sync-run");
        OffsetDateTime pageEnd = OffsetDateTime.parse("2026-12-02T09:30:00Z");
        long segment = sealedSegment(work, SealedSegments.Seal.ofPage(work.runId, work.fileId, "orders-sync", pageEnd,
                "k-9"));
        committedToKafkaOnly(segment);
        assertThat(cursors.find("orders-sync")).isEmpty();

        takeOverFromTheStoppedInstance(work);

        assertThat(cursors.find("orders-sync")).hasValueSatisfying(cursor -> {
            assertThat(cursor.changedAt().toInstant()).isEqualTo(pageEnd.toInstant());
            assertThat(cursor.rowKey()).isEqualTo("k-9");
        });
    }

    @Test
    void whileAnotherInstancesOpenTransactionHoldsTheTopicBackTheRunIsNotTakenOverUntilTheTopicCanTell() {
        try (KafkaSegments live = new KafkaSegments(config, "relay-c", sealed)) {
            long open = live.openSegment(null, "another-run", clock.instant());
            live.append(null, open, List.of(new EventLog.Entry(0, UUID.randomUUID().toString(), "purchase", "{}", "k",
                    1L)));
            live.writerFlush(open); // its transaction begins before relay-a's records: the last stable offset stops there
            Work work = work("orders-1.csv");
            long segment = sealedSegment(work, SealedSegments.Seal.ofFile(work.runId, work.fileId));
            committedToKafkaOnly(segment);
            clock.advance(LEASE.plusSeconds(1));
            survivor.abandoned("relay-a");

            assertThatThrownBy(() -> survivorFailures.interrupted(work.runId, null, REASON))
                    .hasMessageContaining("cannot tell yet");
            Run untouched = runs.find(work.runId).orElseThrow();
            assertThat(untouched.processingStatus()).isEqualTo(Status.PROCESSING);
            assertThat(untouched.files()).singleElement()
                    .satisfies(file -> assertThat(file.status()).isEqualTo(Status.PROCESSING));
            assertThat(sealedRows()).isEqualTo(1);

            store.inTransaction(c -> {
                live.publish(c, open, clock.instant());
                return null;
            });
            assertThat(survivorFailures.interrupted(work.runId, null, REASON)).isGreaterThanOrEqualTo(0);
            assertThat(runs.find(work.runId).orElseThrow().files()).singleElement()
                    .satisfies(file -> assertThat(file.status()).isEqualTo(Status.IMPORTED));
        }
    }

    // --- helpers ----------------------------------------------------------------------------------------

    /** The segment's Kafka transaction commits; relay-a stops before the store transaction after it commits. */
    private void committedToKafkaOnly(long segment) {
        assertThatThrownBy(() -> store.inTransaction(c -> {
            stopped.publish(c, segment, clock.instant());
            throw new SQLException("the instance stops");
        })).hasMessageContaining("the instance stops");
    }

    /** relay-a's lease expires; relay-b fences its producers and takes its run over, as route instance-lease does. */
    private void takeOverFromTheStoppedInstance(Work work) {
        clock.advance(LEASE.plusSeconds(1));
        survivor.abandoned("relay-a");
        assertThat(survivorFailures.interrupted(work.runId, null, REASON)).isGreaterThanOrEqualTo(0);
    }

    /** Three events appended by relay-a and the segment sealed in the store transaction that writes the counts. */
    private long sealedSegment(Work work, SealedSegments.Seal seal) {
        long segment = stopped.openSegment(null, work.runId, clock.instant());
        List<EventLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            entries.add(new EventLog.Entry(0, UUID.randomUUID().toString(), "purchase", "{\"n\":" + i + "}", "k" + i,
                    1L));
        }
        stopped.append(null, segment, entries);
        store.inTransaction(c -> {
            runs.updateFile(c, work.fileId, new RowCounts(3, 3, 0, 0));
            stopped.seal(c, segment, seal);
            return null;
        });
        assertThat(sealedRows()).isEqualTo(1);
        return segment;
    }

    /** A run of "orders" owned by relay-a, Processing, with the file {@code fileName} claimed. */
    private Work work(String fileName) {
        Instant now = clock.instant();
        String runId = runs.tryCreate("orders", "sftp", "schedule", "relay-a", false, now).runId();
        runs.processing(runId, now);
        long fileId = store.inTransaction(c -> {
            long id = runs.addFile(c, runId, fileName, 10L, 1L, now);
            ledger.claim(c, "orders", new FileLedger.Entry(fileName, 10, 1), id);
            return id;
        });
        return new Work(runId, fileId);
    }

    private record Work(String runId, long fileId) {
    }

    private void instance(String id) {
        new Instances(store, id, "test-host", ProcessHandle.current().pid(), LEASE, clock).register();
    }

    private long sealedRows() {
        return store.read(c -> {
            try (var query = c.prepareStatement("SELECT COUNT(*) FROM sealed_segment");
                 var rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        });
    }

    /**
     * What a read_committed reader of the topic's one partition sees, read up to the end of the log (the transaction
     * markers included, which the brokers write shortly after a commit or an abort returns).
     */
    private List<String> committedValues() {
        List<String> values = new ArrayList<>();
        TopicPartition partition = new TopicPartition(config.topic(), 0);
        long end;
        try (KafkaConsumer<String, String> uncommitted = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted"),
                new StringDeserializer(), new StringDeserializer())) {
            end = uncommitted.endOffsets(List.of(partition)).get(partition);
        }
        try (KafkaConsumer<String, String> consumer = broker.consumer()) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant deadline = Instant.now().plusSeconds(20);
            while (consumer.position(partition) < end && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
            }
        }
        return values;
    }
}
