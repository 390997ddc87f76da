package dev.eventrelay.faults;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RabbitAdmin;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestRabbitNode;
import dev.eventrelay.support.TestSftpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Destinations that go away during a steady stream of imports and come back: a RabbitMQ broker stopped and started
 * ({@code rabbitmqctl stop_app} / {@code start_app} on a node of the test's own), a Kafka broker stopped and started
 * on the same port, an HTTP receiver answering 503 for a while. Files are imported before, during and after each
 * outage; the hook reports the failure while it lasts, and afterwards the receiver holds every accepted row, with
 * nothing in dead letters. When retries run out, the batch goes to dead letters and a replay delivers it.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
@Slow
class DestinationOutageTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROWS_PER_FILE = 300;

    @TempDir
    Path dir;
    TestSftpServer sftp;
    RelayUnderTest relay;
    Map<String, String> config;
    int files;

    @BeforeEach
    void startSftpServer() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
        config.put("relay.hook.all-events.enabled", "false");
        config.putAll(sftp.importConfig("default", LoginDrops.CHANNEL, "ed25519"));
    }

    @AfterEach
    void stopAll() throws Exception {
        if (relay != null) {
            relay.close();
        }
        sftp.close();
    }

    /** A hook that retries every 0.5 s, {@code times} times. */
    private void hook(String name, String destination, int times, Map<String, String> own) {
        String prefix = "relay.hook." + name + ".";
        config.put(prefix + "destination", destination);
        config.put(prefix + "batch.max-events", "100");
        config.put(prefix + "retry.times", String.valueOf(times));
        config.put(prefix + "retry.period.seconds", "0.5");
        own.forEach((key, value) -> config.put(prefix + key, value));
    }

    /** Drops the next file of the stream and imports it; returns the keys of its accepted rows. */
    private Set<String> importNextFile() throws Exception {
        files++;
        int from = (files - 1) * ROWS_PER_FILE + 1;
        Set<String> accepted = LoginDrops.write(sftp.root().resolve(LoginDrops.name(files)), from,
                from + ROWS_PER_FILE - 1, 97);
        JsonNode run = relay.runImport("default");
        assertThat(run.get("processing_status").asText()).as(run.toString()).isEqualTo("Processed");
        assertThat(run.get("rows_processed").asInt()).isEqualTo(accepted.size());
        return accepted;
    }

    private JsonNode awaitHookStatus(String hook, String status) throws Exception {
        return RelayUnderTest.await("hook " + hook + " to be " + status, Duration.ofSeconds(60),
                () -> relay.hook(hook), h -> status.equals(h.get("status").asText()));
    }

    private void assertNoDeadLetters() throws Exception {
        assertThat(relay.getJson("/api/dead-letters").get("dead_letters")).isEmpty();
    }

    @Test
    void aRabbitMqBrokerStoppedAndStartedAgainDuringAStreamLosesNothing() throws Exception {
        try (TestRabbitNode node = TestRabbitNode.start()) {
            String queue = RabbitAdmin.uniqueName("outage");
            new RabbitAdmin(node.port()).declareQueue(queue);
            config.put("relay.rabbitmq.outage.port", String.valueOf(node.port()));
            hook("outage-rabbit", "rabbitmq-queue", 60, Map.of("rabbitmq.connection", "outage",
                    "rabbitmq.queue", queue));
            relay = new RelayUnderTest(config).start();
            Set<String> accepted = new HashSet<>(importNextFile());
            Arrivals arrivals = new Arrivals("rabbitmq-queue", LoginDrops::rowKey);
            RabbitAdmin before = new RabbitAdmin(node.port());
            awaitRows(arrivals, accepted.size(), () -> take(before, queue, arrivals));

            node.stopApp();
            try {
                accepted.addAll(importNextFile());
                JsonNode failing = awaitHookStatus("outage-rabbit", "Error");
                assertThat(failing.get("last_error").toString()).containsIgnoringCase("connect");
            } finally {
                node.startApp();
            }
            accepted.addAll(importNextFile());

            try (RabbitAdmin after = new RabbitAdmin(node.port())) {
                awaitRows(arrivals, accepted.size(), () -> take(after, queue, arrivals));
            }
            assertThat(arrivals.defects()).isEmpty();
            assertThat(arrivals.rowKeys()).isEqualTo(accepted);
            assertThat(awaitHookStatus("outage-rabbit", "Scheduled").get("delivered").asInt())
                    .isGreaterThanOrEqualTo(accepted.size());
            assertNoDeadLetters();
        }
    }

    @Test
    void aKafkaBrokerStoppedAndStartedAgainDuringAStreamLosesNothing() throws Exception {
        try (TestKafkaBroker kafka = TestKafkaBroker.startOnPort(RelayUnderTest.freePort(),
                Map.of("auto.create.topics.enable", "false"));
             KafkaConsumer<String, String> consumer = kafka.consumer()) {
            kafka.createTopic("outage-events", 1);
            TopicPartition partition = new TopicPartition("outage-events", 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            hook("outage-kafka", "kafka", 60, Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "kafka.topic", "outage-events", "kafka.max-block.ms", "2000",
                    "kafka.request-timeout.ms", "2000", "kafka.delivery-timeout.ms", "4000"));
            relay = new RelayUnderTest(config).start();
            Arrivals arrivals = new Arrivals("kafka", LoginDrops::rowKey);
            Set<String> accepted = new HashSet<>(importNextFile());
            awaitRows(arrivals, accepted.size(), () -> poll(consumer, arrivals));

            kafka.stopBroker();
            try {
                accepted.addAll(importNextFile());
                awaitHookStatus("outage-kafka", "Error");
            } finally {
                kafka.startBroker();
            }
            accepted.addAll(importNextFile());

            awaitRows(arrivals, accepted.size(), () -> poll(consumer, arrivals));
            assertThat(arrivals.defects()).isEmpty();
            assertThat(arrivals.rowKeys()).isEqualTo(accepted);
            assertNoDeadLetters();
        }
    }

    @Test
    void anHttpReceiverAnswering503ForAWhileGetsEveryEventOnceItAnswers200() throws Exception {
        try (TestHttpReceiver receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start()) {
            hook("outage-http", "http", 60, Map.of("http.url", receiver.url()));
            relay = new RelayUnderTest(config).start();
            Arrivals arrivals = new Arrivals("http", LoginDrops::rowKey);
            Set<String> accepted = new HashSet<>(importNextFile());
            awaitRows(arrivals, accepted.size(), () -> read(receiver, arrivals));

            receiver.answer(repeat(TestHttpReceiver.Answer.of(503), 8));
            accepted.addAll(importNextFile());
            JsonNode failing = awaitHookStatus("outage-http", "Error");
            assertThat(failing.get("last_error").toString()).contains("503");
            accepted.addAll(importNextFile());

            awaitRows(arrivals, accepted.size(), () -> read(receiver, arrivals));
            assertThat(arrivals.defects()).isEmpty();
            assertThat(arrivals.rowKeys()).isEqualTo(accepted);
            assertNoDeadLetters();
        }
    }

    @Test
    void whenRetriesRunOutTheBatchGoesToDeadLettersAndAReplayDeliversItWithTheSameIds() throws Exception {
        try (TestHttpReceiver receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start()) {
            hook("outage-http", "http", 2, Map.of("http.url", receiver.url()));
            relay = new RelayUnderTest(config).start();
            Arrivals arrivals = new Arrivals("http", LoginDrops::rowKey);
            receiver.answer(repeat(TestHttpReceiver.Answer.of(503), 3));
            Set<String> accepted = new HashSet<>(importNextFile());
            RelayUnderTest.await("a dead letter", Duration.ofSeconds(60),
                    () -> relay.getJson("/api/dead-letters?hook=outage-http").get("dead_letters"), l -> l.size() == 1);
            accepted.addAll(importNextFile());
            RelayUnderTest.await("the second file at the receiver", Duration.ofSeconds(60), () -> {
                read(receiver, arrivals);
                return arrivals.rows();
            }, rows -> rows >= accepted.size() - 100);
            assertThat(arrivals.rows()).as("all but the dead-lettered page").isEqualTo(accepted.size() - 100);

            assertThat(relay.post("/api/hooks/outage-http/replay").statusCode()).isEqualTo(202);
            awaitRows(arrivals, accepted.size(), () -> read(receiver, arrivals));
            assertThat(arrivals.defects()).isEmpty();
            assertThat(arrivals.rowKeys()).isEqualTo(accepted);
            // the receiver answers before the hook records the replay: wait for the record
            RelayUnderTest.await("the dead letter to be Replayed", Duration.ofSeconds(30),
                    () -> relay.getJson("/api/dead-letters?hook=outage-http").get("dead_letters").get(0)
                            .get("status").asText(), "Replayed"::equals);
        }
    }

    private static TestHttpReceiver.Answer[] repeat(TestHttpReceiver.Answer answer, int times) {
        TestHttpReceiver.Answer[] answers = new TestHttpReceiver.Answer[times];
        java.util.Arrays.fill(answers, answer);
        return answers;
    }

    /** Waits until {@code arrivals} holds {@code rows} rows, reading the receiver with {@code read}. */
    private static void awaitRows(Arrivals arrivals, int rows, RelayUnderTest.Probe<?> read) throws Exception {
        RelayUnderTest.await(rows + " rows at " + arrivals, Duration.ofSeconds(90), () -> {
            read.get();
            return arrivals.rows();
        }, got -> got >= rows);
    }

    private static Void take(RabbitAdmin admin, String queue, Arrivals arrivals) throws Exception {
        for (RabbitAdmin.Received message : admin.take(queue)) {
            arrivals.add(message.body());
        }
        return null;
    }

    private static Void poll(KafkaConsumer<String, String> consumer, Arrivals arrivals) throws Exception {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            arrivals.add(record.value());
        }
        return null;
    }

    private int httpRead;

    private Void read(TestHttpReceiver receiver, Arrivals arrivals) throws Exception {
        List<TestHttpReceiver.Request> requests = receiver.requests();
        for (; httpRead < requests.size(); httpRead++) {
            if (requests.get(httpRead).status() / 100 != 2) {
                continue;
            }
            for (JsonNode event : JSON.readTree(requests.get(httpRead).body()).get("events")) {
                arrivals.add(event);
            }
        }
        return null;
    }
}
