package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.support.DefaultMessage;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.regex.Pattern;

/**
 * The {@code kafka} destination: one record per event, sent by the route's camel-kafka endpoint in one call
 * per batch. Each record is a Camel {@link Message} of its own: the body is the hook message JSON, the
 * {@code kafka.KEY} header is the profile key (the first present of external_id, customer_id, email, phone, so
 * one profile's events share a partition and keep their order), and the headers {@code event_type},
 * {@code event_id} and {@code hook} become record headers as UTF-8 bytes. The endpoint must set
 * {@code batchWithIndividualHeaders=true}; without it camel-kafka gives every record the batch message's headers.
 *
 * <p>The body stops yielding records once the exchange carries an exception: camel-kafka's asynchronous producer
 * reports a send that failed before it left the client (no metadata within {@code maxBlockMs}: broker down, topic
 * missing) on the calling thread, so a failing batch costs one {@code maxBlockMs}, not one per event, and no
 * later record of the batch overtakes the failed one.
 */
public final class KafkaDestination implements Destination {

    private static final Pattern BROKER = Pattern.compile("[A-Za-z0-9._-]+:[0-9]+|\\[[0-9A-Fa-f:]+]:[0-9]+");

    /** {@code destination = kafka}: {@code kafka.topic}, {@code kafka.bootstrap-servers} and the producer's timeouts. */
    public static final DestinationKind KIND = new DestinationKind() {
        @Override
        public List<String> names() {
            return List.of("kafka");
        }

        @Override
        public Map<String, String> endpoint(String destination, String prefix, PropertyReader p) {
            Map<String, String> endpoint = new LinkedHashMap<>();
            endpoint.put("topic", p.required(prefix + "kafka.topic", "the topic the events go to"));
            String brokers = p.required(prefix + "kafka.bootstrap-servers", "the Kafka brokers, host:port,host:port");
            for (String broker : p.list(prefix + "kafka.bootstrap-servers")) {
                if (!BROKER.matcher(broker).matches() || !isPort(broker.substring(broker.lastIndexOf(':') + 1))) {
                    p.problem(prefix + "kafka.bootstrap-servers", "has '" + broker + "'; write each broker as"
                            + " host:port with a port from 1 to 65535, e.g. kafka.example:9092");
                }
            }
            endpoint.put("brokers", brokers);
            int requestTimeout = p.integer(prefix + "kafka.request-timeout.ms", 10_000, 100, 600_000);
            int deliveryTimeout = p.integer(prefix + "kafka.delivery-timeout.ms", 20_000, 100, 3_600_000);
            if (deliveryTimeout < requestTimeout) {
                p.problem(prefix + "kafka.delivery-timeout.ms", "is " + deliveryTimeout + "; it must be at least "
                        + prefix + "kafka.request-timeout.ms (" + requestTimeout + ")");
            }
            endpoint.put("maxBlockMs", String.valueOf(p.integer(prefix + "kafka.max-block.ms", 5_000, 100, 600_000)));
            endpoint.put("requestTimeoutMs", String.valueOf(requestTimeout));
            endpoint.put("deliveryTimeoutMs", String.valueOf(deliveryTimeout));
            return endpoint;
        }

        @Override
        public Destination create(HookConfig hook, Clock clock) {
            return new KafkaDestination();
        }
    };

    @Override
    public String status(Exchange exchange) {
        return "acknowledged";
    }

    @Override
    public String sink() {
        return "hook-sink-kafka";
    }

    @Override
    public boolean needsKey() {
        return true;
    }

    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        byte[] hook = utf8(batch.hook());
        List<Message> records = new ArrayList<>(batch.events().size());
        for (Outgoing event : batch.events()) {
            Message record = new DefaultMessage(exchange);
            if (event.key() != null) {
                record.setHeader(KafkaConstants.KEY, event.key());
            }
            record.setHeader("event_type", utf8(event.eventType()));
            record.setHeader("event_id", utf8(event.eventId()));
            record.setHeader("hook", hook);
            record.setBody(event.json());
            records.add(record);
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(new Records(batch.hook(), records, exchange));
    }

    private static byte[] utf8(String text) {
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    /** A batch's records, in order, ending early once a send of the batch has failed. */
    private record Records(String hook, List<Message> records, Exchange exchange) implements Iterable<Message> {

        @Override
        public Iterator<Message> iterator() {
            Iterator<Message> all = records.iterator();
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return exchange.getException() == null && all.hasNext();
                }

                @Override
                public Message next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    return all.next();
                }
            };
        }

        @Override
        public String toString() {
            return records.size() + " Kafka record(s) of hook " + hook;
        }
    }

    private static boolean isPort(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }
}
