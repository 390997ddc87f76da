package dev.eventrelay.support;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * The real RabbitMQ broker on 127.0.0.1:5672 (guest/guest) as a test sees it, through amqp-client alone: declares
 * uniquely named queues and exchanges (deleted again by {@link #close()}), binds them, and reads messages back with
 * their properties.
 */
public final class RabbitAdmin implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    public static final int PORT = 5672;

    private final Connection connection;
    private final Set<String> queues = new LinkedHashSet<>();
    private final Set<String> exchanges = new LinkedHashSet<>();

    public RabbitAdmin() throws IOException, TimeoutException {
        this(PORT);
    }

    /** The broker on 127.0.0.1:{@code port} (a test's own node, see {@link TestRabbitNode}). */
    public RabbitAdmin(int port) throws IOException, TimeoutException {
        FastRun.refuse("a RabbitMQ connection (RabbitAdmin)");
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost(HOST);
        factory.setPort(port);
        factory.setUsername("guest");
        factory.setPassword("guest");
        factory.setAutomaticRecoveryEnabled(false);
        connection = factory.newConnection("event-relay tests");
    }

    /** A name no other test uses: {@code relay-test-<what>-<random>}. */
    public static String uniqueName(String what) {
        return "relay-test-" + what + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Declares a durable queue (with optional arguments such as x-max-length) and returns its name. */
    public String declareQueue(String name, Map<String, Object> arguments) throws Exception {
        queues.add(name);
        run(c -> c.queueDeclare(name, true, false, false, arguments));
        return name;
    }

    public String declareQueue(String name) throws Exception {
        return declareQueue(name, Map.of());
    }

    /** Declares a durable exchange of {@code type} (direct, topic, fanout, headers) and returns its name. */
    public String declareExchange(String name, String type) throws Exception {
        exchanges.add(name);
        run(c -> c.exchangeDeclare(name, type, true));
        return name;
    }

    public void bind(String queue, String exchange, String bindingKey) throws Exception {
        run(c -> c.queueBind(queue, exchange, bindingKey));
    }

    public void deleteQueue(String name) throws Exception {
        run(c -> c.queueDelete(name));
    }

    public boolean exchangeExists(String name) throws Exception {
        try (Channel channel = connection.createChannel()) {
            channel.exchangeDeclarePassive(name);
            return true;
        } catch (IOException notFound) {
            return false;
        } catch (com.rabbitmq.client.AlreadyClosedException closedByNotFound) {
            return false;
        }
    }

    /** Takes every message now in {@code queue} (acknowledged, so they are gone). */
    public List<Received> take(String queue) throws Exception {
        List<Received> messages = new ArrayList<>();
        try (Channel channel = connection.createChannel()) {
            for (GetResponse response = channel.basicGet(queue, true); response != null;
                 response = channel.basicGet(queue, true)) {
                messages.add(new Received(new String(response.getBody(), StandardCharsets.UTF_8),
                        response.getProps(), response.getEnvelope().getExchange(),
                        response.getEnvelope().getRoutingKey()));
            }
        }
        return messages;
    }

    /** Waits until {@code queue} has given at least {@code count} messages, and returns all it gave. */
    public List<Received> awaitMessages(String queue, int count, Duration timeout) throws Exception {
        List<Received> received = new ArrayList<>();
        RelayUnderTest.await(count + " messages in " + queue, timeout, () -> {
            received.addAll(take(queue));
            return received.size();
        }, size -> size >= count);
        return received;
    }

    @Override
    public void close() throws Exception {
        try {
            for (String queue : queues) {
                run(c -> c.queueDelete(queue));
            }
            for (String exchange : exchanges) {
                run(c -> c.exchangeDelete(exchange));
            }
        } finally {
            connection.close();
        }
    }

    /** One operation on a fresh channel (an operation that fails closes its channel). */
    private void run(ChannelWork work) throws Exception {
        try (Channel channel = connection.createChannel()) {
            work.run(channel);
        }
    }

    @FunctionalInterface
    private interface ChannelWork {
        void run(Channel channel) throws Exception;
    }

    /** A message as the broker delivered it. */
    public record Received(String body, AMQP.BasicProperties properties, String exchange, String routingKey) {

        public String header(String name) {
            Object value = properties.getHeaders() == null ? null : properties.getHeaders().get(name);
            return value == null ? null : value.toString();
        }
    }
}
