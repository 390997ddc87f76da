package dev.eventrelay.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Sends the pages of the kafka hooks (bean {@value #BEAN}, called by routes/hook-sink-kafka.camel.yaml), one
 * producer per hook ({@code client.id event-relay-hook-<name>}), created on the hook's first page and closed when Camel
 * stops. A page is one record per event: key = the profile key, value = the hook message JSON, headers
 * {@code event_type}, {@code event_id} and {@code hook} as UTF-8 bytes. Every record of the page is handed to the
 * producer, then the page waits once for all of them (a flush): it counts as delivered only when the brokers
 * acknowledged every record ({@code acks=all}; idempotent, so the producer's own retries neither duplicate nor reorder
 * a partition's records). A send refused at once (no metadata for the topic within {@code max.block.ms}: brokers down,
 * topic missing) fails the page before the rest is handed over, so a failing page costs one {@code max.block.ms}, and
 * no later record of the page overtakes the failed one. One page is in flight per hook (docs/hooks.md says why).
 */
public final class KafkaProducers extends ServiceSupport {

    /** The registry name of the bean. */
    public static final String BEAN = "kafkaRecords";

    private final Map<String, Producer<String, String>> producers = new ConcurrentHashMap<>();

    /**
     * The producer settings of a hook: the brokers, its client id, {@code acks=all}, idempotence and the timeouts the
     * hook's keys set ({@code relay.hook.<name>.kafka.*}).
     */
    public static Map<String, Object> settings(String hook, String brokers, int maxBlockMs, int requestTimeoutMs,
                                               int deliveryTimeoutMs) {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers,
                ProducerConfig.CLIENT_ID_CONFIG, "event-relay-hook-" + hook,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, maxBlockMs,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMs);
    }

    /**
     * Sends the page in flight ({@link HookDelivery#BATCH}) to {@code topic} and returns once the brokers acknowledged
     * all of it; throws the producer's own exception for the first record that failed.
     */
    public void send(String hook, String topic, String brokers, int maxBlockMs, int requestTimeoutMs,
                     int deliveryTimeoutMs, Exchange camel) throws Exception {
        HookBatch batch = camel.getProperty(HookDelivery.BATCH, HookBatch.class);
        Producer<String, String> producer = producers.computeIfAbsent(hook, name -> new KafkaProducer<>(
                settings(name, brokers, maxBlockMs, requestTimeoutMs, deliveryTimeoutMs),
                new StringSerializer(), new StringSerializer()));
        byte[] hookName = utf8(hook);
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.events().size());
        for (Outgoing event : batch.events()) {
            List<Header> headers = List.of(new RecordHeader("event_type", utf8(event.eventType())),
                    new RecordHeader("event_id", utf8(event.eventId())), new RecordHeader("hook", hookName));
            Future<RecordMetadata> ack = producer.send(new ProducerRecord<>(topic, null, event.key(), event.json(),
                    headers));
            if (ack.isDone()) {
                acknowledged(ack); // refused before it left the client: the rest of the page is not handed over
            }
            acks.add(ack);
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            acknowledged(ack);
        }
    }

    private static void acknowledged(Future<RecordMetadata> ack) throws Exception {
        try {
            ack.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception failure) {
                throw failure;
            }
            throw e;
        }
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doStop() {
        producers.values().forEach(producer -> producer.close(Duration.ofSeconds(5)));
        producers.clear();
    }
}
