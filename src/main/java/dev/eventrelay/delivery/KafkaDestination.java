package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The {@code kafka} destination: its keys ({@code relay.hook.<name>.kafka.*}) and the page it hands to the sink route,
 * whose bean {@link KafkaProducers} sends one record per event: key = the profile key (the first present of
 * external_id, customer_id, email, phone, so one profile's events share a partition and keep their order), value =
 * the hook message JSON, headers {@code event_type}, {@code event_id} and {@code hook} as UTF-8 bytes.
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

    /** The page goes as it is: {@link KafkaProducers#send} makes its records. */
    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(batch.events());
    }

    private static boolean isPort(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }
}
