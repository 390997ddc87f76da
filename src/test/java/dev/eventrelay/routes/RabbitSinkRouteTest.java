package dev.eventrelay.routes;

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
}
