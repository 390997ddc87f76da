package dev.eventrelay.routes;

import dev.eventrelay.support.Slow;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.TestKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka destination's sink ({@code routes/hook-sink-kafka.camel.yaml}) behind the real hook route, against a
 * real broker in the test's JVM: a batch counts as delivered only once the broker acknowledged its records.
 */
@Slow
class KafkaSinkRouteTest {

    private static TestKafkaBroker kafka;

    @TempDir
    Path dir;
    private HookRoutes routes;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.close();
        }
    }

    private HookRoutes hook(String topic) throws Exception {
        return new HookRoutes(dir, Map.of("destination", "kafka", "kafka.topic", topic,
                "kafka.bootstrap-servers", kafka.bootstrapServers(), "kafka.max-block.ms", "1000",
                "batch.max-events", "10", "retry.period.seconds", "3600")).start();
    }

    @Test
    void aBatchBecomesOneRecordPerEventWithTheProfileKeyAndHeaders() throws Exception {
        String topic = "route-test-" + UUID.randomUUID();
        kafka.createTopic(topic, 1);
        routes = hook(topic);
        List<String> ids = routes.publish(3, "Purchase");

        routes.awaitState("3 events delivered", s -> s.delivered() == 3);
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = kafka.consumer()) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            RelayUnderTest.await("3 records", Duration.ofSeconds(20), () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size();
            }, size -> size >= 3);
        }
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("c-1", "c-2", "c-3");
        assertThat(records).extracting(r -> header(r, "event_id")).containsExactlyElementsOf(ids);
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, "event_type")).isEqualTo("Purchase");
            assertThat(header(r, "hook")).isEqualTo(HookRoutes.HOOK);
            assertThat(r.value()).contains("\"hook\":\"" + HookRoutes.HOOK + "\"");
        });
    }

    @Test
    void aTopicTheBrokerDoesNotHaveIsAFailedBatchThatIsRetried() throws Exception {
        routes = hook("route-test-missing-" + UUID.randomUUID());
        routes.publish(2, "Purchase");

        var state = routes.awaitState("a retry scheduled", s -> s.attempts() == 1);
        assertThat(state.pendingEvents()).isEqualTo(2);
        assertThat(state.delivered()).isZero();
        assertThat(routes.deadLetters()).isEmpty();
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
