package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.springframework.amqp.core.MessageDeliveryMode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code rabbitmq-queue} and {@code rabbitmq-exchange} destinations: one message per event. {@link #prepare}
 * hands the route the batch's events ({@code List<Outgoing>}); the route loops over them and, in each turn, calls
 * {@link #message} (the registry bean {@value RabbitConnections#MESSAGES_BEAN}) to make the turn's event the message
 * that camel-spring-rabbitmq then publishes, waiting for the broker's confirm. The first failure ends the loop with
 * the broker's own exception (a loop, unlike a split, does not wrap it), so the batch is retried as a whole. Each
 * message is the hook message (JSON, UTF-8) with
 * <ul>
 *   <li>{@code message_id} = the event id (the same on every retry and replay), {@code content_type}
 *       {@code application/json}, delivery mode persistent;</li>
 *   <li>headers {@code event_type} and {@code hook};</li>
 *   <li>the routing key of the hook, or, when the hook sets none (exchange mode without
 *       {@code rabbitmq.routing-key}), the event type.</li>
 * </ul>
 */
public final class RabbitDestination implements Destination {

    /** {@code destination = rabbitmq-queue} ({@code rabbitmq.queue}) or {@code rabbitmq-exchange}
     * ({@code rabbitmq.exchange}, {@code rabbitmq.routing-key}), both on {@code rabbitmq.connection}. */
    public static final DestinationKind KIND = new DestinationKind() {
        @Override
        public List<String> names() {
            return List.of("rabbitmq-queue", "rabbitmq-exchange");
        }

        @Override
        public Map<String, String> endpoint(String destination, String prefix, PropertyReader p) {
            Map<String, String> endpoint = new LinkedHashMap<>();
            endpoint.put("connection", "rabbitmq-" + p.string(prefix + "rabbitmq.connection", "default"));
            if (destination.equals("rabbitmq-queue")) {
                endpoint.put("exchange", "default");
                endpoint.put("routingKey", p.required(prefix + "rabbitmq.queue", "the queue the events go to"));
            } else {
                endpoint.put("exchange", p.required(prefix + "rabbitmq.exchange", "the exchange the events go to"));
                endpoint.put("routingKey", p.string(prefix + "rabbitmq.routing-key", ""));
            }
            return endpoint;
        }

        @Override
        public Destination create(HookConfig hook, Clock clock) {
            return new RabbitDestination();
        }
    };

    public static final String CONTENT_TYPE = "application/json";
    public static final String EVENT_TYPE_HEADER = "event_type";
    public static final String HOOK_HEADER = "hook";

    @Override
    public String status(Exchange exchange) {
        return "confirmed";
    }

    @Override
    public String sink() {
        return "hook-sink-rabbitmq";
    }

    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(batch.events());
    }

    /**
     * Makes the batch's event of this loop turn ({@link Exchange#LOOP_INDEX}) the RabbitMQ message to publish.
     *
     * @param hook       the hook's name, for the {@code hook} header
     * @param routingKey the hook's routing key; blank means "the event type"
     */
    public void message(String hook, String routingKey, Exchange exchange) {
        HookBatch batch = exchange.getProperty(HookDelivery.BATCH, HookBatch.class);
        Outgoing outgoing = batch.events().get(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class));
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(SpringRabbitMQConstants.MESSAGE_ID, outgoing.eventId());
        message.setHeader(SpringRabbitMQConstants.CONTENT_TYPE, CONTENT_TYPE);
        message.setHeader(SpringRabbitMQConstants.DELIVERY_MODE, MessageDeliveryMode.PERSISTENT);
        message.setHeader(EVENT_TYPE_HEADER, outgoing.eventType());
        message.setHeader(HOOK_HEADER, hook);
        if (routingKey == null || routingKey.isBlank()) {
            message.setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, outgoing.eventType());
        }
        message.setBody(outgoing.json().getBytes(StandardCharsets.UTF_8));
    }
}
