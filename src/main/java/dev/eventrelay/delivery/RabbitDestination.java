package dev.eventrelay.delivery;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ShutdownSignalException;
import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.AmqpTimeoutException;
import org.springframework.amqp.rabbit.connection.ChannelProxy;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code rabbitmq-queue} and {@code rabbitmq-exchange} destinations: one message per event, a page at a time.
 * {@link #prepare} leaves the batch on the exchange; the sink route calls {@link #publish} (the registry bean
 * {@value RabbitConnections#MESSAGES_BEAN}), which publishes every message of the page on one channel of the hook's
 * connection and then waits once for the broker's confirms of all of them. camel-spring-rabbitmq's producer cannot do
 * that: with confirms on it waits for the broker after every single message (about 1.5k messages/s here against
 * 10k+ for a page). The channel is a {@link ReturnCheckingChannel}: every message is published mandatory, and a
 * message the broker returns as unroutable, a nack, a channel the broker closed (404: no such exchange) or a confirm
 * that does not come within the timeout fails the whole page with the broker's own words; the hook's error policy then
 * retries the page as a whole (the same events under the same batch id, the same message ids). Each message is the hook
 * message (JSON, UTF-8) with
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
                endpoint.put("exchange", DEFAULT_EXCHANGE);
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
    /** The sink's name of the broker's default exchange (the empty name), which routes to the queue named by the key. */
    public static final String DEFAULT_EXCHANGE = "default";
    private static final int PERSISTENT = 2;

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
     * Publishes the page in flight ({@link HookDelivery#BATCH}) and waits once for the broker's confirms of all of it;
     * throws when any message was returned or nacked, the channel was closed, or the confirms did not come in time.
     *
     * @param hook             the hook's name, for the {@code hook} header
     * @param connection       the registry name of the hook's connection factory ({@code rabbitmq-<connection>})
     * @param exchange         the exchange, or {@value #DEFAULT_EXCHANGE} for the broker's default exchange
     * @param routingKey       the hook's routing key; blank means "the event type"
     * @param confirmTimeoutMs how long to wait for the confirms of the page
     */
    public void publish(String hook, String connection, String exchange, String routingKey, long confirmTimeoutMs,
                        Exchange camel) throws Exception {
        HookBatch batch = camel.getProperty(HookDelivery.BATCH, HookBatch.class);
        ConnectionFactory factory = camel.getContext().getRegistry().lookupByNameAndType(connection,
                ConnectionFactory.class);
        if (factory == null) {
            throw new IllegalStateException("no RabbitMQ connection factory named " + connection);
        }
        String target = DEFAULT_EXCHANGE.equals(exchange) ? "" : exchange;
        boolean byEventType = routingKey == null || routingKey.isBlank();
        Channel channel = factory.createConnection().createChannel(false);
        Channel publisher = channel instanceof ChannelProxy proxy ? proxy.getTargetChannel() : channel;
        try {
            for (Outgoing outgoing : batch.events()) {
                Map<String, Object> headers = new HashMap<>(4);
                headers.put(EVENT_TYPE_HEADER, outgoing.eventType());
                headers.put(HOOK_HEADER, hook);
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().messageId(outgoing.eventId())
                        .contentType(CONTENT_TYPE).deliveryMode(PERSISTENT).headers(headers).build();
                publisher.basicPublish(target, byEventType ? outgoing.eventType() : routingKey, true, properties,
                        outgoing.json().getBytes(StandardCharsets.UTF_8));
            }
            publisher.waitForConfirmsOrDie(confirmTimeoutMs);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AmqpTimeoutException("RabbitMQ did not confirm the " + batch.events().size()
                    + " message(s) of the page within " + confirmTimeoutMs + " ms", e);
        } catch (IOException | RuntimeException e) {
            // the broker closed the channel (404: no such exchange): its reason, in its own words, whichever call
            // (a publish, the wait, spring-rabbit's closed-channel check) noticed it first
            ShutdownSignalException reason = publisher.getCloseReason();
            if (reason != null) {
                AmqpException closed = new AmqpException(reason.getMessage(), reason);
                closed.addSuppressed(e);
                throw closed;
            }
            throw e;
        } finally {
            RabbitUtils.closeChannel(channel);
        }
    }
}
