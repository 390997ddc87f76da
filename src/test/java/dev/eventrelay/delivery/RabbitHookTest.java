package dev.eventrelay.delivery;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.support.RabbitAdmin;
import dev.eventrelay.support.RabbitAdmin.Received;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestSftpServer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rabbitmq-queue and rabbitmq-exchange destinations end to end: events imported from a real SFTP server reach
 * queues and exchanges of the real RabbitMQ broker on 127.0.0.1:5672 as one confirmed, persistent JSON message per
 * event; a missing exchange, a missing queue, a nack and a refused connection are retried as the hook's retry policy
 * says, then dead-lettered, and a replay delivers the same events. Every test uses its own queues and exchanges.
 */
@Slow
class RabbitHookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "udc_1itzAa15r";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    TestSftpServer sftp;
    RabbitAdmin rabbit;
    RelayUnderTest relay;
    Map<String, String> config;

    @BeforeEach
    void startPeers() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        rabbit = new RabbitAdmin();
        config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(Files.createTempDirectory(dir, "store")));
        config.put("relay.hook.all-events.enabled", "false");
        config.putAll(sftp.importConfig("default", CHANNEL, "ed25519"));
    }

    @AfterEach
    void stopPeers() throws Exception {
        if (relay != null) {
            relay.close();
        }
        rabbit.close();
        sftp.close();
    }

    /** A hook {@code name} to a queue; retries quickly. */
    private void queueHook(String name, String queue) {
        hook(name, "rabbitmq-queue");
        config.put("relay.hook." + name + ".rabbitmq.queue", queue);
    }

    /** A hook {@code name} to an exchange, with a routing key unless it is null; retries quickly. */
    private void exchangeHook(String name, String exchange, String routingKey) {
        hook(name, "rabbitmq-exchange");
        config.put("relay.hook." + name + ".rabbitmq.exchange", exchange);
        if (routingKey != null) {
            config.put("relay.hook." + name + ".rabbitmq.routing-key", routingKey);
        }
    }

    private void hook(String name, String destination) {
        String prefix = "relay.hook." + name + ".";
        config.put(prefix + "destination", destination);
        config.put(prefix + "batch.max-wait.seconds", "0.05");
        config.put(prefix + "retry.times", "100");
        config.put(prefix + "retry.period.seconds", "0.2");
    }

    /** Imports two login events and two purchase events, published to the hooks at once. */
    private void importLoginsAndPurchases() throws Exception {
        putSample("udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", "UDE_7KQ2LOGIN");
        putSample("udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", "UDE_1JIJANUWB");
        relay = new RelayUnderTest(config).start();
        assertThat(relay.runImport("default").get("rows_processed").asLong()).isEqualTo(4);
    }

    /** Imports the two login events only. */
    private void importLogins() throws Exception {
        putSample("udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", "UDE_7KQ2LOGIN");
        relay = new RelayUnderTest(config).start();
        assertThat(relay.runImport("default").get("rows_processed").asLong()).isEqualTo(2);
    }

    private void putSample(String sample, String eventCode) throws Exception {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        sftp.put(CHANNEL + "-" + eventCode + "-" + yesterday + "-1.csv",
                Files.readAllBytes(Path.of("src/test/resources/samples/sftp/" + sample)));
    }

    private JsonNode hook(String name) throws Exception {
        return relay.hook(name);
    }

    private static List<String> messageIds(List<Received> messages) {
        List<String> ids = new ArrayList<>();
        messages.forEach(m -> ids.add(m.properties().getMessageId()));
        return ids;
    }

    private static Set<String> eventTypes(List<Received> messages) throws Exception {
        Set<String> types = new TreeSet<>();
        for (Received message : messages) {
            types.add(JSON.readTree(message.body()).get("event_type").asText());
        }
        return types;
    }

    // ---------------------------------------------------------------- queue mode

    @Test
    void eachEventReachesTheQueueAsAPersistentJsonMessageWhoseIdIsTheEventId() throws Exception {
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("orders"));
        queueHook("orders", queue);
        config.put("relay.hook.orders.custom-data", "{\"source\": \"relay\", \"who\": \"{{profile.external_id}}\"}");
        importLoginsAndPurchases();

        List<Received> messages = rabbit.awaitMessages(queue, 4, WAIT);
        JsonNode hook = await("4 events delivered", WAIT, () -> hook("orders"), h -> h.get("delivered").asLong() == 4);

        assertThat(messages).hasSize(4);
        assertThat(messageIds(messages)).doesNotHaveDuplicates();
        assertThat(eventTypes(messages)).containsExactly("Login", "Purchase");
        for (Received message : messages) {
            JsonNode event = JSON.readTree(message.body());
            assertThat(message.exchange()).isEmpty();
            assertThat(message.routingKey()).isEqualTo(queue);
            assertThat(message.properties().getMessageId()).isEqualTo(event.get("event_id").asText());
            assertThat(message.properties().getContentType()).isEqualTo("application/json");
            assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
            assertThat(message.properties().getHeaders()).containsOnlyKeys("event_type", "hook");
            assertThat(message.header("event_type")).isEqualTo(event.get("event_type").asText());
            assertThat(message.header("hook")).isEqualTo("orders");
            assertThat(event.get("hook").asText()).isEqualTo("orders");
            assertThat(event.at("/custom_data/source").asText()).isEqualTo("relay");
            assertThat(event.at("/custom_data/who").asText()).isEqualTo(event.at("/profile/external_id").asText());
            assertThat(event.at("/origin/kind").asText()).isEqualTo("sftp");
        }
        assertThat(hook.get("status").asText()).isEqualTo("Scheduled");
        assertThat(hook.get("destination").asText()).isEqualTo("rabbitmq-queue");
        assertThat(hook.get("dead_lettered").asLong()).isZero();
        assertThat(rabbit.take(queue)).isEmpty();
    }

    @Test
    void aQueueThatDoesNotExistIsRetriedUntilItExistsInsteadOfDroppingTheEvents() throws Exception {
        String queue = RabbitAdmin.uniqueName("later");
        queueHook("orders", queue);
        importLogins();

        JsonNode failing = await("the hook to retry", WAIT, () -> hook("orders"), h -> h.get("attempts").asInt() >= 1);

        assertThat(failing.get("status").asText()).isEqualTo("Error");
        assertThat(failing.get("delivered").asLong()).isZero();
        assertThat(failing.get("retrying").asLong()).isEqualTo(2);
        assertThat(failing.at("/last_error/summary").asText()).contains("unroutable").contains("NO_ROUTE")
                .contains(queue);

        rabbit.declareQueue(queue);

        assertThat(rabbit.awaitMessages(queue, 2, WAIT)).hasSize(2);
        JsonNode hook = await("2 events delivered", WAIT, () -> hook("orders"), h -> h.get("delivered").asLong() == 2);
        assertThat(hook.get("status").asText()).isEqualTo("Scheduled");
    }

    @Test
    void aPageCountsAsDeliveredOnlyWhenTheBrokerConfirmedEveryMessage() throws Exception {
        // a queue that takes one message and nacks the next: the page of two is half confirmed
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("tiny"),
                Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
        queueHook("orders", queue);
        importLogins();

        JsonNode failing = await("the hook to retry", WAIT, () -> hook("orders"), h -> h.get("attempts").asInt() >= 2);

        assertThat(failing.get("status").asText()).isEqualTo("Error");
        assertThat(failing.get("delivered").asLong()).isZero();
        assertThat(failing.at("/last_error/summary").asText()).contains("nack");
        // the queue holds one message at a time; retries come every 0.2 s, so one may refill the queue while
        // take() drains it: what it holds is some of the page's messages, never the page as delivered
        List<Received> first = rabbit.take(queue);
        assertThat(first).isNotEmpty();
        assertThat(hook("orders").get("delivered").asLong()).isZero();

        rabbit.deleteQueue(queue);
        rabbit.declareQueue(queue);

        List<Received> resent = rabbit.awaitMessages(queue, 2, WAIT);
        await("2 events delivered", WAIT, () -> hook("orders"), h -> h.get("delivered").asLong() == 2);
        assertThat(messageIds(resent)).hasSize(2).doesNotHaveDuplicates()
                .contains(first.get(0).properties().getMessageId());
    }

    // ---------------------------------------------------------------- exchange mode

    @Test
    void withoutARoutingKeyEachEventIsRoutedByItsEventType() throws Exception {
        String exchange = rabbit.declareExchange(RabbitAdmin.uniqueName("events"), "direct");
        String logins = rabbit.declareQueue(RabbitAdmin.uniqueName("logins"));
        String purchases = rabbit.declareQueue(RabbitAdmin.uniqueName("purchases"));
        rabbit.bind(logins, exchange, "Login");
        rabbit.bind(purchases, exchange, "Purchase");
        exchangeHook("events", exchange, null);
        importLoginsAndPurchases();

        List<Received> loginMessages = rabbit.awaitMessages(logins, 2, WAIT);
        List<Received> purchaseMessages = rabbit.awaitMessages(purchases, 2, WAIT);
        await("4 events delivered", WAIT, () -> hook("events"), h -> h.get("delivered").asLong() == 4);

        assertThat(eventTypes(loginMessages)).containsExactly("Login");
        assertThat(eventTypes(purchaseMessages)).containsExactly("Purchase");
        for (Received message : loginMessages) {
            assertThat(message.exchange()).isEqualTo(exchange);
            assertThat(message.routingKey()).isEqualTo("Login");
            assertThat(message.header("event_type")).isEqualTo("Login");
            assertThat(message.header("hook")).isEqualTo("events");
            assertThat(message.properties().getDeliveryMode()).isEqualTo(2);
            assertThat(message.properties().getMessageId())
                    .isEqualTo(JSON.readTree(message.body()).get("event_id").asText());
        }
        assertThat(purchaseMessages).allSatisfy(m -> assertThat(m.routingKey()).isEqualTo("Purchase"));
    }

    @Test
    void aConfiguredRoutingKeyIsUsedForEveryEvent() throws Exception {
        String exchange = rabbit.declareExchange(RabbitAdmin.uniqueName("events"), "topic");
        String all = rabbit.declareQueue(RabbitAdmin.uniqueName("all"));
        rabbit.bind(all, exchange, "relay.#");
        exchangeHook("events", exchange, "relay.customer-events");
        importLoginsAndPurchases();

        List<Received> messages = rabbit.awaitMessages(all, 4, WAIT);
        await("4 events delivered", WAIT, () -> hook("events"), h -> h.get("delivered").asLong() == 4);

        assertThat(eventTypes(messages)).containsExactly("Login", "Purchase");
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.exchange()).isEqualTo(exchange);
            assertThat(m.routingKey()).isEqualTo("relay.customer-events");
            assertThat(m.properties().getContentType()).isEqualTo("application/json");
        });
        assertThat(messageIds(messages)).doesNotHaveDuplicates();
    }

    @Test
    void aMissingExchangeIsRetriedThenDeadLetteredAndAReplayDeliversTheSameEvents() throws Exception {
        String exchange = RabbitAdmin.uniqueName("missing");
        exchangeHook("events", exchange, null);
        config.put("relay.hook.events.retry.times", "2");
        config.put("relay.hook.events.retry.period.seconds", "0.5");
        // the same events through a working queue: the ids a replay must deliver
        String reference = rabbit.declareQueue(RabbitAdmin.uniqueName("reference"));
        queueHook("reference", reference);
        importLogins();

        JsonNode failing = await("the hook to retry", WAIT, () -> hook("events"), h -> h.get("attempts").asInt() >= 1);
        assertThat(failing.get("status").asText()).isEqualTo("Error");
        assertThat(failing.get("delivered").asLong()).isZero();
        assertThat(failing.get("retrying").asLong()).isEqualTo(2);
        assertThat(failing.at("/last_error/summary").asText()).satisfiesAnyOf(
                summary -> assertThat(summary).contains("NOT_FOUND").contains(exchange),
                // the broker's close can overtake the confirm wait; then only spring-rabbit's words remain
                summary -> assertThat(summary).contains("PublisherCallbackChannel is closed"));

        JsonNode dead = await("a dead letter", WAIT, () -> hook("events"), h -> h.get("dead_lettered").asLong() == 2);
        assertThat(dead.get("status").asText()).isEqualTo("Failed");
        assertThat(dead.get("delivered").asLong()).isZero();
        JsonNode letters = relay.getJson("/api/dead-letters?hook=events").get("dead_letters");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).get("events").asInt()).isEqualTo(2);
        assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(3);
        assertThat(letters.get(0).at("/last_error/summary").asText()).satisfiesAnyOf(
                summary -> assertThat(summary).contains("NOT_FOUND").contains(exchange),
                summary -> assertThat(summary).contains("PublisherCallbackChannel is closed"));
        JsonNode errors = relay.getJson("/api/errors").get("errors");
        assertThat(errors).as("at least one attempt reports the broker's own words")
                .anySatisfy(e -> assertThat(e.get("external_message").asText())
                        .startsWith("channel error").contains("reply-code=404").contains("no exchange '" + exchange + "'"));
        assertThat(rabbit.exchangeExists(exchange)).as("the relay must not create the exchange").isFalse();

        rabbit.declareExchange(exchange, "topic");
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("replayed"));
        rabbit.bind(queue, exchange, "#");
        assertThat(relay.post("/api/hooks/events/replay").statusCode()).isEqualTo(202);

        List<Received> replayed = rabbit.awaitMessages(queue, 2, WAIT);
        List<Received> expected = rabbit.awaitMessages(reference, 2, WAIT);
        assertThat(messageIds(replayed)).hasSize(2).containsExactlyInAnyOrderElementsOf(messageIds(expected));
        assertThat(replayed).allSatisfy(m -> assertThat(m.routingKey()).isEqualTo("Login"));
        await("the replay to finish", WAIT,
                () -> relay.getJson("/api/dead-letters?hook=events").get("dead_letters").get(0),
                l -> l.get("status").asText().equals("Replayed"));
        assertThat(hook("events").get("dead_lettered").asLong()).isZero();
    }

    // ---------------------------------------------------------------- connections

    @Test
    void aBrokerThatRefusesTheConnectionIsAConnectionErrorThatIsRetried() throws Exception {
        config.put("relay.rabbitmq.down.port", String.valueOf(RelayUnderTest.freePort()));
        queueHook("orders", RabbitAdmin.uniqueName("never"));
        config.put("relay.hook.orders.rabbitmq.connection", "down");
        importLogins();

        JsonNode failing = await("the hook to retry", WAIT, () -> hook("orders"), h -> h.get("attempts").asInt() >= 2);

        assertThat(failing.get("status").asText()).isEqualTo("Error");
        assertThat(failing.at("/last_error/code").asText()).isEqualTo("connection-error");
        assertThat(failing.get("delivered").asLong()).isZero();
    }

    @Test
    void eachNamedConnectionIsBoundWithConfirmsAndItsSettings() throws Exception {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.hook.a.destination", "rabbitmq-queue", "relay.hook.a.rabbitmq.queue", "q",
                "relay.hook.b.destination", "rabbitmq-exchange", "relay.hook.b.rabbitmq.exchange", "x",
                "relay.hook.b.rabbitmq.connection", "partner",
                "relay.rabbitmq.partner.host", "rabbit.example.com", "relay.rabbitmq.partner.port", "5671",
                "relay.rabbitmq.partner.user", "relay", "relay.rabbitmq.partner.password", "s3cret",
                "relay.rabbitmq.partner.virtual-host", "events"));
        List<HookConfig> hooks = List.of(HookConfig.read("a", p), HookConfig.read("b", p));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RabbitConnections.bind(context, p, hooks);

            assertThat(p.problems()).isEmpty();
            CachingConnectionFactory byDefault = context.getRegistry().lookupByNameAndType("rabbitmq-default",
                    CachingConnectionFactory.class);
            CachingConnectionFactory partner = context.getRegistry().lookupByNameAndType("rabbitmq-partner",
                    CachingConnectionFactory.class);
            assertThat(byDefault.getHost()).isEqualTo("127.0.0.1");
            assertThat(byDefault.getPort()).isEqualTo(5672);
            assertThat(byDefault.getUsername()).isEqualTo("guest");
            assertThat(byDefault.getVirtualHost()).isEqualTo("/");
            assertThat(partner.getHost()).isEqualTo("rabbit.example.com");
            assertThat(partner.getPort()).isEqualTo(5671);
            assertThat(partner.getUsername()).isEqualTo("relay");
            assertThat(partner.getVirtualHost()).isEqualTo("events");
            assertThat(partner.isSimplePublisherConfirms()).isTrue();
            assertThat(partner.isPublisherReturns()).isTrue();
            assertThat(partner.toString()).doesNotContain("s3cret");
            assertThat(RabbitConnections.read("partner", p).toString()).doesNotContain("s3cret");
            assertThat(context.getRegistry().lookupByName(RabbitConnections.MESSAGES_BEAN))
                    .isInstanceOf(RabbitDestination.class);
        }
    }

    @Test
    void aWrongConnectionSettingIsAProblemNamingItsKey() throws Exception {
        PropertyReader p = PropertyReader.of(Map.of(
                "relay.hook.a.destination", "rabbitmq-queue", "relay.hook.a.rabbitmq.queue", "q",
                "relay.rabbitmq.default.port", "70000",
                "relay.hook.b.destination", "rabbitmq-queue", "relay.hook.b.rabbitmq.queue", "q",
                "relay.hook.b.rabbitmq.connection", "Bad_Name"));
        List<HookConfig> hooks = List.of(HookConfig.read("a", p), HookConfig.read("b", p));
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            RabbitConnections.bind(context, p, hooks);
        }

        assertThat(p.problems()).containsExactly(
                "relay.rabbitmq.default.port is 70000; it must be between 1 and 65535",
                "relay.hook.b.rabbitmq.connection names a connection 'Bad_Name'; use lower-case letters, digits"
                        + " and '-' (the keys are relay.rabbitmq.<connection>.*)");
    }
}
