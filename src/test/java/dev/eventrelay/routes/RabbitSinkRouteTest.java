package dev.eventrelay.routes;

import dev.eventrelay.delivery.HookBatch;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.delivery.Outgoing;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.RabbitAdmin;
import dev.eventrelay.support.RabbitAdmin.Received;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sink of both RabbitMQ destinations ({@code routes/hook-sink-rabbitmq.camel.yaml}) behind the real hook route,
 * against the RabbitMQ broker on 127.0.0.1:5672; each test uses its own queue and exchange.
 */
@Slow
class RabbitSinkRouteTest {

    @TempDir
    Path dir;
    private RabbitAdmin rabbit;
    private HookRoutes routes;

    @BeforeEach
    void connect() throws Exception {
        rabbit = new RabbitAdmin();
    }

    @AfterEach
    void stop() throws Exception {
        if (routes != null) {
            routes.close();
        }
        rabbit.close();
    }

    private static Map<String, String> hook(Map<String, String> destination) {
        Map<String, String> keys = new java.util.LinkedHashMap<>(destination);
        keys.put("batch.max-events", "10");
        keys.put("retry.period.seconds", "3600");
        keys.put("relay.rabbitmq.default.host", RabbitAdmin.HOST);
        keys.put("relay.rabbitmq.default.port", String.valueOf(RabbitAdmin.PORT));
        return keys;
    }

    @Test
    void aQueueHookPublishesOneConfirmedMessagePerEventToTheQueue() throws Exception {
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("route-test"));
        routes = new HookRoutes(dir, hook(Map.of("destination", "rabbitmq-queue", "rabbitmq.queue", queue))).start();
        List<String> ids = routes.publish(3, "Purchase");

        List<Received> messages = rabbit.awaitMessages(queue, 3, Duration.ofSeconds(20));
        assertThat(messages).extracting(m -> m.properties().getMessageId()).containsExactlyElementsOf(ids);
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.properties().getContentType()).isEqualTo("application/json");
            assertThat(m.properties().getDeliveryMode()).isEqualTo(2);
            assertThat(m.header("event_type")).isEqualTo("Purchase");
            assertThat(m.header("hook")).isEqualTo(HookRoutes.HOOK);
        });
        routes.awaitState("3 events delivered", s -> s.delivered() == 3);
    }

    @Test
    void anExchangeHookWithoutARoutingKeyRoutesEachMessageByItsEventType() throws Exception {
        String exchange = rabbit.declareExchange(RabbitAdmin.uniqueName("route-test"), "direct");
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("route-test"));
        rabbit.bind(queue, exchange, "Purchase");
        routes = new HookRoutes(dir, hook(Map.of("destination", "rabbitmq-exchange", "rabbitmq.exchange", exchange)))
                .start();
        routes.publish(2, "Purchase");

        List<Received> messages = rabbit.awaitMessages(queue, 2, Duration.ofSeconds(20));
        assertThat(messages).allSatisfy(m -> {
            assertThat(m.exchange()).isEqualTo(exchange);
            assertThat(m.routingKey()).isEqualTo("Purchase");
        });
        routes.awaitState("2 events delivered", s -> s.delivered() == 2);
    }

    @Test
    void aMessageTheBrokerReturnsAsUnroutableIsAFailedBatchThatIsRetried() throws Exception {
        routes = new HookRoutes(dir, hook(Map.of("destination", "rabbitmq-queue",
                "rabbitmq.queue", RabbitAdmin.uniqueName("route-test-missing")))).start();
        routes.publish(2, "Purchase");

        var state = routes.awaitState("a retry scheduled", s -> s.attempts() == 1);
        assertThat(state.pendingEvents()).isEqualTo(2);
        assertThat(state.delivered()).isZero();
        assertThat(routes.deadLetters()).isEmpty();
    }

    /** The batch id and event ids of every attempt the hook route makes, recorded as it calls its sink. */
    private record Attempt(String batchId, List<String> eventIds) {
    }

    private HookRoutes recordingAttempts(Map<String, String> keys, List<Attempt> attempts) throws Exception {
        return new HookRoutes(dir, keys).advise("hook-" + HookRoutes.HOOK, a -> a
                .interceptSendToEndpoint("direct:sink-" + HookRoutes.HOOK).process(e -> {
                    HookBatch batch = e.getProperty(HookDelivery.BATCH, HookBatch.class);
                    attempts.add(new Attempt(batch.batchId(), batch.events().stream().map(Outgoing::eventId).toList()));
                }));
    }

    private static Map<String, String> failingTwiceThenDeadLettered(Map<String, String> destination) {
        Map<String, String> keys = hook(destination);
        keys.put("retry.times", "2");
        keys.put("retry.period.seconds", "0.05");
        return keys;
    }

    @Test
    void aNackOfOneMessageFailsTheWholePageWhichIsRetriedUnderTheSameBatchIdThenDeadLettered() throws Exception {
        // the queue takes one message and nacks the others (max-length 1, reject-publish)
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("route-test-tiny"),
                Map.of("x-max-length", 1, "x-overflow", "reject-publish"));
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        routes = recordingAttempts(failingTwiceThenDeadLettered(Map.of("destination", "rabbitmq-queue",
                "rabbitmq.queue", queue)), attempts).start();
        List<String> ids = routes.publish(3, "Purchase");

        var state = routes.awaitState("the page dead-lettered", s -> s.deadLettered() == 1);

        assertThat(state.delivered()).as("no message of a nacked page counts as delivered").isZero();
        assertThat(attempts).hasSize(3).allSatisfy(attempt -> {
            assertThat(attempt.batchId()).isEqualTo(attempts.get(0).batchId());
            assertThat(attempt.eventIds()).containsExactlyElementsOf(ids);
        });
        assertThat(routes.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.batchId()).isEqualTo(attempts.get(0).batchId());
            assertThat(letter.eventCount()).isEqualTo(3);
            assertThat(letter.attempts()).isEqualTo(3);
        });
        assertThat(rabbit.take(queue)).extracting(m -> m.properties().getMessageId()).containsExactly(ids.get(0));
    }

    @Test
    void aMessageReturnedByAnExchangeWithoutBindingFailsTheWholePageWhichIsRetriedUnderTheSameBatchId()
            throws Exception {
        // Purchase is bound, Login is not: the broker returns the Login message (mandatory) and confirms the others
        String exchange = rabbit.declareExchange(RabbitAdmin.uniqueName("route-test"), "direct");
        String queue = rabbit.declareQueue(RabbitAdmin.uniqueName("route-test"));
        rabbit.bind(queue, exchange, "Purchase");
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        Map<String, String> keys = hook(Map.of("destination", "rabbitmq-exchange", "rabbitmq.exchange", exchange));
        keys.put("retry.times", "1000");
        keys.put("retry.period.seconds", "0.2");
        routes = recordingAttempts(keys, attempts);
        routes.publish(2, "Purchase");
        routes.publish(1, "Login");
        routes.start();

        var failing = routes.awaitState("a retry scheduled", s -> s.attempts() >= 1);
        assertThat(failing.pendingEvents()).isEqualTo(3);
        assertThat(failing.delivered()).isZero();
        assertThat(failing.lastErrorSummary()).contains("unroutable").contains("NO_ROUTE").contains(exchange);

        rabbit.bind(queue, exchange, "Login");

        routes.awaitState("the page delivered", s -> s.delivered() == 3);
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(2).allSatisfy(attempt -> {
            assertThat(attempt).isEqualTo(attempts.get(0));
            assertThat(attempt.eventIds()).hasSize(3);
        });
        List<String> routingKeys = rabbit.awaitMessages(queue, 2 * attempts.size() + 1, Duration.ofSeconds(20))
                .stream().map(Received::routingKey).toList();
        assertThat(routingKeys).as("every attempt published the whole page; only the last one's Login was routed")
                .containsOnly("Purchase", "Login").hasSize(2 * attempts.size() + 1)
                .filteredOn("Login"::equals).hasSize(1);
    }
}
