package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.OutboxCursor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;

/**
 * On the kafka backbone, the outbox of the system events: {@code systemevents.SystemEvents} goes on writing them to
 * the state store's event log, in the store transactions that record the facts they report (a file rejected, a batch
 * dead-lettered), and this forwarder copies the published ones to the topic, a page per Kafka transaction, then
 * moves its cursor ({@link OutboxCursor}). The Kafka transaction commits before the cursor's store transaction: a
 * crash between them forwards that page again (the same event ids), none is lost. Called by
 * {@code routes/backbone-outbox.camel.yaml} on a timer; on the store backbone it does nothing.
 */
public final class SystemEventForwarder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SystemEventForwarder.class);
    private static final int PAGE = 500;

    private final BackboneConfig config;
    private final String instanceId;
    private final EventLog events;
    private final OutboxCursor cursor;
    private KafkaProducer<String, String> producer;
    private boolean failing;

    private SystemEventForwarder(BackboneConfig config, String instanceId, EventLog events, OutboxCursor cursor) {
        this.config = config;
        this.instanceId = instanceId;
        this.events = events;
        this.cursor = cursor;
    }

    /** The store backbone's: the hooks read the system events from the event log itself. */
    public static SystemEventForwarder off() {
        return new SystemEventForwarder(null, null, null, null);
    }

    /** Forwards to {@code config}'s topic with the transactional id {@code relay-<instanceId>-outbox}. */
    public static SystemEventForwarder to(BackboneConfig config, String instanceId, EventLog events,
                                          OutboxCursor cursor) {
        return new SystemEventForwarder(config, instanceId, events, cursor);
    }

    /** The transactional producer, made when first needed and again after one failed. */
    private KafkaProducer<String, String> producer() {
        if (producer == null) {
            KafkaProducer<String, String> made = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, "relay-" + instanceId + "-outbox",
                    ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
                    new StringSerializer(), new StringSerializer());
            try {
                made.initTransactions();
            } catch (KafkaException e) {
                made.close(Duration.ZERO);
                throw e;
            }
            producer = made;
        }
        return producer;
    }

    /** Forwards what the event log holds after the cursor, a page at a time; returns how many events it forwarded. */
    public synchronized int forward() {
        if (config == null) {
            return 0;
        }
        int forwarded = 0;
        try {
            while (!events.read(cursor.at(), 1, null).entries().isEmpty()) {
                int[] page = new int[1];
                cursor.advance(from -> {
                    EventLog.Page read = events.read(from, PAGE, null);
                    if (read.entries().isEmpty()) {
                        return from;
                    }
                    KafkaProducer<String, String> out = producer();
                    out.beginTransaction();
                    read.entries().forEach(entry -> out.send(BackboneRecords.of(config.topic(), entry)));
                    out.commitTransaction();
                    page[0] = read.entries().size();
                    return read.next();
                });
                forwarded += page[0];
            }
            if (failing) {
                failing = false;
                LOG.info("Kafka backbone: system events are forwarded to {} again", config.topic());
            }
        } catch (RuntimeException e) {
            close(); // the transaction, if one is open, ends with the producer; the next forward makes a new one
            if (!failing) {
                failing = true;
                LOG.warn("Kafka backbone: system events wait in the event log, not forwarded to {}: {}",
                        config.topic(), e.getMessage());
            }
        }
        return forwarded;
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }
}
