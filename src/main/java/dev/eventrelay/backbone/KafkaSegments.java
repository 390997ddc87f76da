package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.SegmentWriter;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>{@link #publish} commits the Kafka transaction inside the store transaction that ends the file, just before
 * that one commits: a crash between the two leaves the file unfinished in the store, so it is imported again
 * (at least once, with the same event ids); the other order could lose a file. The store connection is not used.
 */
public final class KafkaSegments implements SegmentWriter, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaSegments.class);

    private final BackboneConfig config;
    private final String instanceId;
    private final AtomicInteger writers = new AtomicInteger();
    private final AtomicLong segments = new AtomicLong();
    private final ThreadLocal<Writer> writer = new ThreadLocal<>();
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    private final Map<String, Writer> all = new ConcurrentHashMap<>();

    /** A segment being written: its run and the producer whose transaction holds it. */
    private record Open(String runId, Writer writer) {
    }

    /** @param instanceId this instance's id ({@code relay.instance.id}), the prefix of the transactional ids */
    public KafkaSegments(BackboneConfig config, String instanceId) {
        this.config = config;
        this.instanceId = instanceId;
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
        Writer own = writerOf(segmentId);
        for (EventLog.Entry entry : entries) {
            own.producer.send(BackboneRecords.of(config.topic(), entry));
        }
    }

    @Override
    public long publish(Connection c, long segmentId, Instant now) {
        Writer own = writerOf(segmentId);
        open.remove(segmentId);
        own.commit(segmentId);
        return segmentId;
    }

    @Override
    public void discard(Connection c, long segmentId) {
        Open segment = open.remove(segmentId);
        if (segment != null) {
            segment.writer().abort(segmentId);
        }
    }

    @Override
    public int discardStaged(Connection c, String runId) {
        int count = 0;
        for (Map.Entry<Long, Open> segment : List.copyOf(open.entrySet())) {
            if (segment.getValue().runId().equals(runId)) {
                discard(c, segment.getKey());
                count++;
            }
        }
        return count;
    }

    /** Sends what the segment's producer holds to the brokers now, its transaction still open (for tests). */
    void writerFlush(long segmentId) {
        writerOf(segmentId).producer.flush();
    }

    private Writer writerOf(long segmentId) {
        Open segment = open.get(segmentId);
        if (segment == null) {
            throw new IllegalStateException("segment " + segmentId + " is not open on the Kafka backbone");
        }
        return segment.writer();
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
