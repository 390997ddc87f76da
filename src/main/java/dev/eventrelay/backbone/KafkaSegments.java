package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.state.SegmentWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The kafka backbone's {@link SegmentWriter}: a segment (a file, a sync page) is one Kafka transaction of a
 * transactional producer, so a reader with {@code isolation.level=read_committed} sees all of it or nothing. Each
 * writer thread has its own producer, {@code transactional.id} = {@code relay-<instance id>-w<n>}: a segment is
 * written from start to end by one thread, and a restarted instance with the same id fences its former producers
 * and aborts what they left open.
 *
 * <p>The Kafka commit and the store's record of it cannot commit as one, so a segment is ended in three steps
 * ({@link SegmentWriter#end}): {@link #seal} sends what the producer holds and records, in the store transaction that
 * writes the source's last rows, where one record of the transaction is ({@code sealed_segment}); {@link #publish}
 * commits the Kafka transaction inside the next store transaction, which removes the seal with the file's end (or
 * the sync's cursor move). An instance that stops between the Kafka commit and the store's leaves the seal: the
 * instance that takes the run over fences the dead producers and then reads that record with {@code read_committed}
 * ({@link #settleSealed}); found, the segment reached the hooks and the store records the file imported (or moves the
 * cursor), so nothing is imported twice; not found, the transaction was aborted and the file is imported again.
 */
public final class KafkaSegments implements SegmentWriter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSegments.class);
    /** The longest {@link #settleSealed} waits for the topic to decide the transactions of a run's seals. */
    static final Duration DECISION_WAIT = Duration.ofSeconds(5);

    private final BackboneConfig config;
    private final String instanceId;
    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicLong segments = new AtomicLong();
    private final ThreadLocal<Writer> writer = new ThreadLocal<>();
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    private final Map<String, Writer> all = new ConcurrentHashMap<>();
    private final SealedSegments sealed;

    /** A segment being written: its run, the producer whose transaction holds it, its last record, its seal. */
    private static final class Open {
        private final String runId;
        private final Writer writer;
        private volatile Future<RecordMetadata> last;
        private volatile SealedSegments.Seal seal;

        Open(String runId, Writer writer) {
            this.runId = runId;
            this.writer = writer;
        }
    }

    /**
     * @param instanceId this instance's id ({@code relay.instance.id}), the prefix of the transactional ids
     * @param sealed     where the seals of segments about to be committed are recorded in the store
     */
    public KafkaSegments(BackboneConfig config, String instanceId, SealedSegments sealed) {
        this.config = config;
        this.instanceId = instanceId;
        this.sealed = sealed;
    }

    @Override
    public long openSegment(Connection c, String runId, Instant now) {
        Writer own = writer.get();
        if (own == null || own.broken) {
            // a broken producer's successor takes its transactional id: it fences it and aborts what it left open
            own = new Writer(own != null ? own.transactionalId : "relay-" + instanceId + "-w" + writers.getAndIncrement());
            writer.set(own);
        }
        long id = segments.incrementAndGet();
        own.begin(id);
        open.put(id, new Open(runId, own));
        return id;
    }

    @Override
    public void append(Connection c, long segmentId, List<EventLog.Entry> entries) {
        Open segment = openOf(segmentId);
        for (EventLog.Entry entry : entries) {
            segment.last = segment.writer.producer.send(BackboneRecords.of(config.topic(), entry));
        }
    }

    /** Sends what the producer holds and records where the segment's last record is; nothing for an empty one. */
    @Override
    public void seal(Connection c, long segmentId, SealedSegments.Seal seal) throws SQLException {
        Open segment = openOf(segmentId);
        if (segment.last == null) {
            return; // no record: the store's transaction alone says what the segment was
        }
        segment.writer.producer.flush();
        RecordMetadata last;
        try {
            last = segment.last.get(config.transactionTimeoutMs(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the Kafka backbone did not take the events of the segment: "
                    + (e.getCause() != null ? e.getCause().getMessage() : e.toString()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the Kafka backbone took the events of the segment", e);
        }
        sealed.record(c, seal, segment.writer.transactionalId, last.partition(), last.offset(), Instant.now());
        segment.seal = seal;
    }

    @Override
    public boolean publishesOutsideTheStore() {
        return true;
    }

    @Override
    public long publish(Connection c, long segmentId, Instant now) throws SQLException {
        Open segment = openOf(segmentId);
        segment.writer.commit(segmentId); // a failure aborts the transaction; the caller discards the segment
        open.remove(segmentId);
        if (segment.seal != null) {
            sealed.remove(c, segment.seal.runFileId());
        }
        return segmentId;
    }

    @Override
    public void discard(Connection c, long segmentId) throws SQLException {
        Open segment = open.remove(segmentId);
        if (segment != null) {
            segment.writer.abort(segmentId);
            if (segment.seal != null) {
                sealed.remove(c, segment.seal.runFileId());
            }
        }
    }

    @Override
    public int discardStaged(Connection c, String runId) throws SQLException {
        int count = 0;
        for (Map.Entry<Long, Open> segment : List.copyOf(open.entrySet())) {
            if (segment.getValue().runId.equals(runId)) {
                discard(c, segment.getKey());
                count++;
            }
        }
        sealed.forgetRun(c, runId);
        return count;
    }

    /**
     * Of the run's seals, records as published those whose record the topic holds committed. Called by the instance
     * that took the run over, after the run's producers were fenced ({@link #abandoned}), so each transaction is
     * decided or about to be; throws when the topic cannot tell within {@link #DECISION_WAIT} (a transaction of
     * another producer, still open, began before the record and holds the partition's last stable offset back): the
     * caller tries again at its next lease renewal, which this wait must not hold up for long.
     */
    @Override
    public int settleSealed(Connection c, String runId, Instant now) throws SQLException {
        List<SealedSegments.Sealed> seals = sealed.ofRun(c, runId);
        long deadline = System.nanoTime() + DECISION_WAIT.toNanos();
        int published = 0;
        for (SealedSegments.Sealed seal : seals) {
            if (committed(seal, deadline)) {
                sealed.published(c, seal.seal(), now);
                published++;
            }
        }
        if (!seals.isEmpty()) {
            LOG.warn("Kafka backbone: run {} stopped between the Kafka commit and the store's: of its {} sealed"
                    + " segment(s), {} reached the topic and are recorded published, the others were aborted", runId,
                    seals.size(), published);
        }
        return published;
    }

    /** Whether the record of the seal is in the topic, committed: read with {@code read_committed} from its offset. */
    private boolean committed(SealedSegments.Sealed seal, long deadline) {
        TopicPartition partition = new TopicPartition(config.topic(), seal.partition());
        try (KafkaConsumer<String, String> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1),
                new StringDeserializer(), new StringDeserializer())) {
            reader.assign(List.of(partition));
            reader.seek(partition, seal.offset());
            while (System.nanoTime() < deadline) {
                ConsumerRecords<String, String> records = reader.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) { // the first committed record at or after the offset: the seal's, or later
                    return records.iterator().next().offset() == seal.offset();
                }
                if (reader.position(partition) > seal.offset()) {
                    return false; // read past it: aborted
                }
            }
        }
        throw new IllegalStateException("the Kafka backbone cannot tell yet whether the segment of run file "
                + seal.seal().runFileId() + " (" + seal.writer() + ", partition " + seal.partition() + " offset "
                + seal.offset() + ") was committed: a transaction before it is still open");
    }

    /** Sends what the segment's producer holds to the brokers now, its transaction still open (for tests). */
    void writerFlush(long segmentId) {
        openOf(segmentId).writer.producer.flush();
    }

    private Open openOf(long segmentId) {
        Open segment = open.get(segmentId);
        if (segment == null) {
            throw new IllegalStateException("segment " + segmentId + " is not open on the Kafka backbone");
        }
        return segment;
    }

    /**
     * Fences the producers of a dead instance ({@code relay-<id>-w<n>} and {@code relay-<id>-outbox}) that hold a
     * transaction open, which aborts it: until then every {@code read_committed} hook stops at it on its partitions
     * (Kafka's last stable offset), up to {@code relay.backbone.kafka.transaction-timeout.ms}. Called by the instance
     * that finds the lease expired; several may fence the same producers, which is harmless.
     */
    @Override
    public int abandoned(String deadInstance) {
        Pattern ids = Pattern.compile(Pattern.quote("relay-" + deadInstance + "-") + "(w\\d+|outbox)");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            List<String> open = admin.listTransactions(new ListTransactionsOptions()
                            .filterStates(List.of(TransactionState.ONGOING))).all().get(15, TimeUnit.SECONDS).stream()
                    .map(TransactionListing::transactionalId).filter(id -> ids.matcher(id).matches()).toList();
            if (!open.isEmpty()) {
                admin.fenceProducers(open).all().get(15, TimeUnit.SECONDS);
                LOG.warn("Kafka backbone: fenced the producers {} of the instance '{}', whose lease expired; their open"
                        + " transactions are aborted", open, deadInstance);
            }
            return open.size();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | KafkaException e) {
            LOG.warn("Kafka backbone: the producers of the instance '{}' could not be fenced now ({}); their open"
                    + " transactions end after relay.backbone.kafka.transaction-timeout.ms", deadInstance, e.toString());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    @Override
    public void close() {
        all.values().forEach(Writer::close);
        all.clear();
    }

    /** One transactional producer, and the segment its open transaction holds. */
    private final class Writer {
        private final String transactionalId;
        private final KafkaProducer<String, String> producer;
        private long segment;
        private volatile boolean broken;

        Writer(String transactionalId) {
            this.transactionalId = transactionalId;
            this.producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    ProducerConfig.BATCH_SIZE_CONFIG, 65_536,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, config.transactionTimeoutMs(),
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
                    new StringSerializer(), new StringSerializer());
            try {
                producer.initTransactions();
            } catch (KafkaException e) {
                producer.close(java.time.Duration.ZERO);
                throw new IllegalStateException("the Kafka backbone cannot be written (" + transactionalId + "): "
                        + e.getMessage(), e);
            }
            all.put(transactionalId, this);
        }

        synchronized void begin(long id) {
            if (segment != 0) {
                LOG.warn("Kafka backbone: {} drops the segment {} it left open", transactionalId, segment);
                abort(segment);
            }
            try {
                producer.beginTransaction();
            } catch (KafkaException e) {
                broken = true; // fenced, or failed for good: the next segment of this thread gets a new producer
                close();
                throw e;
            }
            segment = id;
        }

        synchronized void commit(long id) {
            try {
                producer.commitTransaction();
                segment = 0;
            } catch (KafkaException e) {
                abort(id);
                throw new IllegalStateException("the Kafka backbone did not take the events of the segment: "
                        + e.getMessage(), e);
            }
        }

        synchronized void abort(long id) {
            if (segment != id) {
                return;
            }
            segment = 0;
            try {
                producer.abortTransaction();
            } catch (KafkaException e) {
                // fenced or failed for good: this producer is done; the broker aborts its transaction
                LOG.warn("Kafka backbone: {} could not abort its transaction ({}); a new producer takes its id over",
                        transactionalId, e.getMessage());
                broken = true;
                close();
            }
        }

        void close() {
            all.remove(transactionalId);
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }
}
