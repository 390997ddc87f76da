package dev.eventrelay.backbone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import dev.eventrelay.support.TestKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka backbone end to end (relay.backbone.kind = kafka) against a real KRaft broker: uploads go to the topic in
 * one transaction per file, keyed by the profile key, and reach an HTTP hook through the hook's consumer group; a file
 * rejected half-way delivers nothing; a failed batch is retried with the same batch id and events; a dead letter is
 * replayed. Subclasses pick the store.
 */
abstract class KafkaBackboneFlowTest extends RelayFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    static final byte[] BLUESHIFT = read("upload/blueshift-style-events.csv");
    static TestKafkaBroker broker;

    TestHttpReceiver receiver;
    String topic;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestKafkaBroker.start(Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void configureTheKafkaBackbone() throws Exception {
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        topic = "relay-events-" + UUID.randomUUID();
        config.put("relay.backbone.kind", "kafka");
        config.put("relay.backbone.kafka.bootstrap-servers", broker.bootstrapServers());
        config.put("relay.backbone.kafka.topic", topic);
        config.put("relay.backbone.kafka.outbox-interval.ms", "100");
        config.put("relay.hook.all-events.enabled", "false");
        config.put("relay.hook.webhook.destination", "http");
        config.put("relay.hook.webhook.http.url", receiver.url());
        config.put("relay.hook.webhook.batch.max-events", "100");
        config.put("relay.hook.webhook.retry.period.seconds", "0.2");
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aFilesEventsGoToTheTopicKeyedByProfileAndArriveAtTheHttpHook() throws Exception {
        relay = new RelayUnderTest(config).start();

        assertThat(upload("blueshift.csv", BLUESHIFT).statusCode()).isEqualTo(200);

        List<JsonNode> events = awaitEvents(3);
        assertThat(events).extracting(e -> e.get("event_type").asText())
                .containsExactlyInAnyOrder("add_to_cart", "purchase", "newsletter_signup");
        assertThat(events).allSatisfy(e -> assertThat(e.get("hook").asText()).isEqualTo("webhook"));
        List<ConsumerRecord<String, String>> records = topicRecords(3);
        assertThat(records).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("42", "43", "47");
        assertThat(records).allSatisfy(r -> assertThat(JSON.readTree(r.value()).get("event_id").asText())
                .isEqualTo(new String(r.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8)));
        await("3 events delivered", Duration.ofSeconds(10), () -> relay.hook("webhook"),
                h -> h.get("delivered").asLong() == 3);
        assertThat(relay.hook("webhook").get("status").asText()).isNotEqualTo("Failed");
        // health and metrics as on the store backbone
        JsonNode health = JSON.readTree(relay.get("/health").body());
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(relay.get("/metrics").body()).containsPattern(
                "relay_hook_events_delivered_total\\{[^}]*hook=\"webhook\"[^}]*} 3\\.0");
    }

    @Test
    void aFileRejectedHalfWayDeliversNothingOfItsEventsAndItsSystemEventReachesTheHookThatListsIt() throws Exception {
        config.put("relay.imports.chunk.rows", "1"); // the rows before the defect are sent before it is found
        TestHttpReceiver alerts = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        config.put("relay.hook.alerts.destination", "http");
        config.put("relay.hook.alerts.http.url", alerts.url());
        config.put("relay.hook.alerts.event-types", "relay_file_rejected");
        relay = new RelayUnderTest(config).start();
        ByteArrayOutputStream broken = new ByteArrayOutputStream();
        broken.writeBytes("event,customer_id,email,timestamp\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 20; i++) {
            broken.writeBytes(("rejected_file_event," + (900 + i) + ",,2026-11-22T04:19:42Z\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        broken.writeBytes(new byte[] {'x', ',', (byte) 0xff, (byte) 0xfe, ',', ',', '\n'});

        HttpResponse<String> rejected = upload("broken.csv", broken.toByteArray());
        assertThat(JSON.readTree(rejected.body()).get("file_status").asText()).as(rejected.body()).isEqualTo("Rejected");
        assertThat(upload("blueshift.csv", BLUESHIFT).statusCode()).isEqualTo(200);

        List<JsonNode> events = awaitEvents(3);
        assertThat(events).extracting(e -> e.get("event_type").asText()).doesNotContain("rejected_file_event");
        assertThat(topicRecords(3)).extracting(ConsumerRecord::key).containsExactlyInAnyOrder("42", "43", "47");
        // the system event, written to the store's event log with the rejection, forwarded to the topic (outbox)
        List<TestHttpReceiver.Request> alerted = await("relay_file_rejected at the alerts hook", Duration.ofSeconds(20),
                alerts::requests, r -> !r.isEmpty());
        JsonNode event = JSON.readTree(alerted.get(0).body()).get("events").get(0);
        assertThat(event.get("event_type").asText()).isEqualTo("relay_file_rejected");
        assertThat(event.at("/properties/file").asText()).isEqualTo("broken.csv");
        assertThat(event.at("/origin/kind").asText()).isEqualTo("system");
        alerts.close();
    }

    @Test
    void aFailedBatchIsRetriedWithTheSameBatchIdAndTheSameEvents() throws Exception {
        receiver.answer(Answer.of(503), Answer.of(500));
        relay = new RelayUnderTest(config).start();

        upload("blueshift.csv", BLUESHIFT);

        await("3 events delivered", Duration.ofSeconds(30), () -> relay.hook("webhook"),
                h -> h.get("delivered").asLong() == 3);
        List<TestHttpReceiver.Request> requests = receiver.requests();
        JsonNode first = JSON.readTree(requests.get(0).body());
        for (TestHttpReceiver.Request retry : requests.subList(1, 3)) {
            assertThat(retry.header("Idempotency-Key")).isEqualTo(requests.get(0).header("Idempotency-Key"));
            assertThat(JSON.readTree(retry.body()).get("batch_id")).isEqualTo(first.get("batch_id"));
            assertThat(JSON.readTree(retry.body()).get("events")).isEqualTo(first.get("events"));
        }
        // a batch holds the events of one partition: the others came in batches of their own, each once
        assertThat(requests.subList(3, requests.size())).extracting(r -> r.header("Idempotency-Key"))
                .doesNotHaveDuplicates().doesNotContain(requests.get(0).header("Idempotency-Key"));
        assertThat(received()).hasSize(3 + 2 * first.get("events").size());
        assertThat(received().stream().map(e -> e.get("event_id").asText()).distinct()).hasSize(3);
    }

    @Test
    void aDeadLetteredBatchIsReplayedWithItsIdsAndTheHookGoesOn() throws Exception {
        receiver.answer(new Answer(400, null, null, "{\"error\": \"unknown field\"}"));
        relay = new RelayUnderTest(config).start();

        upload("blueshift.csv", BLUESHIFT);
        await("the batch in dead letters", Duration.ofSeconds(20), () -> relay.hook("webhook"),
                h -> h.get("dead_lettered").asLong() >= 1);
        JsonNode letter = relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters").get(0);
        TestHttpReceiver.Request refused = receiver.requests().get(0);
        assertThat(letter.get("events").asInt()).isEqualTo(JSON.readTree(refused.body()).get("events").size());
        await("the other events delivered", Duration.ofSeconds(20), () -> relay.hook("webhook"),
                h -> h.get("delivered").asLong() == 3 - letter.get("events").asInt());
        assertThat(relay.post("/api/hooks/webhook/replay").statusCode()).isEqualTo(202);

        await("the replay to finish", Duration.ofSeconds(10),
                () -> relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters").get(0),
                l -> l.get("status").asText().equals("Replayed"));
        List<TestHttpReceiver.Request> replays = withKey(refused.header("Idempotency-Key"));
        assertThat(replays).hasSize(2);
        assertThat(JSON.readTree(replays.get(1).body()).get("events").findValuesAsText("event_id"))
                .isEqualTo(JSON.readTree(refused.body()).get("events").findValuesAsText("event_id"));
        // the group's offsets moved past the dead-lettered batch: a new file's events come next, the old ones never
        upload("again.csv", BLUESHIFT.clone());
        await("the new file's events", Duration.ofSeconds(20), this::received, events -> events.stream()
                .filter(e -> e.at("/origin/file").asText().equals("again.csv")).count() == 3);
        assertThat(withKey(refused.header("Idempotency-Key"))).hasSize(2);
        assertThat(received().stream().filter(e -> e.at("/origin/file").asText().equals("blueshift.csv")))
                .hasSize(3 + letter.get("events").asInt());
    }

    List<TestHttpReceiver.Request> withKey(String idempotencyKey) {
        return receiver.requests().stream().filter(r -> idempotencyKey.equals(r.header("Idempotency-Key"))).toList();
    }

    HttpResponse<String> upload(String fileName, byte[] csv) throws Exception {
        return HTTP_1_1.send(HttpRequest.newBuilder(relay.uri("/api/imports/manual/upload?file_name=" + fileName))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofByteArray(csv)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The events of every request received so far, in arrival order. */
    List<JsonNode> received() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (TestHttpReceiver.Request request : receiver.requests()) {
            JSON.readTree(request.body()).get("events").forEach(events::add);
        }
        return events;
    }

    List<JsonNode> awaitEvents(int count) throws Exception {
        List<JsonNode> events = await(count + " events at the receiver", Duration.ofSeconds(30), this::received,
                e -> e.size() >= count);
        assertThat(events).hasSize(count);
        return events;
    }

    List<TestHttpReceiver.Request> awaitRequestsWithEvents(int requests, int events) throws Exception {
        await(requests + " requests", Duration.ofSeconds(30), receiver::requests, r -> r.size() >= requests);
        await(events + " events received", Duration.ofSeconds(30), this::received, e -> e.size() >= events);
        return receiver.requests();
    }

    /** The committed records of the topic, read_committed from its beginning, until {@code count} are there. */
    List<ConsumerRecord<String, String>> topicRecords(int count) throws Exception {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = broker.consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            assertThat(partitions).hasSize(3);
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plusSeconds(20);
            while (Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
                if (records.size() >= count && partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p))) {
                    break;
                }
            }
        }
        records.removeIf(r -> r.headers().lastHeader("event_type") != null && new String(
                r.headers().lastHeader("event_type").value(), StandardCharsets.UTF_8).startsWith("relay_"));
        return records;
    }

    private static byte[] read(String sample) {
        try {
            return Files.readAllBytes(Path.of("src/test/resources/samples").resolve(sample));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
