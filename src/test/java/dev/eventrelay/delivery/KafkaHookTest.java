package dev.eventrelay.delivery;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestSftpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeProducersResult;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka destination end to end: events imported from a real SFTP server arrive on a topic of a real KRaft
 * broker in the test JVM, one record per event, keyed by the profile and in file order per key; a broker that
 * cannot be reached puts the hook in Error and then the batch in dead letters; a topic that does not exist
 * (the broker creates none) dead-letters the batch until a replay after the topic is created.
 */
@Slow
class KafkaHookTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "udc_1itzAa15r";
    private static final String LOGIN = "UDE_7KQ2LOGIN";
    /** Six logins of three profiles; c-1 logs in three times. */
    private static final String SIX_LOGINS = """
            externalId,eventDate,device,first_login
            c-1,2026-11-22 08:00:00,ios,true
            c-2,2026-11-22 08:01:00,android,true
            c-1,2026-11-22 08:02:00,web,false
            c-3,2026-11-22 08:03:00,ios,true
            c-1,2026-11-22 08:04:00,android,false
            c-2,2026-11-22 08:05:00,web,false
            """;

    static TestKafkaBroker kafka;

    @TempDir
    Path dir;
    TestSftpServer sftp;
    RelayUnderTest relay;
    Map<String, String> config;
    final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = TestKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        kafka.close();
    }

    @BeforeEach
    void startPeers() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(Files.createTempDirectory(dir, "store")));
        config.put("relay.hook.all-events.enabled", "false");
        config.putAll(sftp.importConfig("default", CHANNEL, "ed25519"));
    }

    @AfterEach
    void stopPeers() throws Exception {
        consumers.forEach(KafkaConsumer::close);
        if (relay != null) {
            relay.close();
        }
        sftp.close();
    }

    /** A kafka hook {@code name} on {@code topic} of {@code brokers}: pages of 2, retries 0.2 s apart. */
    private void kafkaHook(String name, String topic, String brokers) {
        String prefix = "relay.hook." + name + ".";
        config.put(prefix + "destination", "kafka");
        config.put(prefix + "kafka.topic", topic);
        config.put(prefix + "kafka.bootstrap-servers", brokers);
        config.put(prefix + "batch.max-events", "2");
        config.put(prefix + "batch.max-wait.seconds", "0.05");
        config.put(prefix + "retry.period.seconds", "0.2");
        config.put(prefix + "custom-data", "{\"source\": \"relay\", \"who\": \"{{profile.external_id}}\"}");
    }

    /** Puts a login file of yesterday on the SFTP server, starts the relay and imports it. */
    private void importLogins(String csv, int expectedRows) throws Exception {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        sftp.put(CHANNEL + "-" + LOGIN + "-" + yesterday + "-1.csv", csv.getBytes(StandardCharsets.UTF_8));
        relay = new RelayUnderTest(config).start();
        assertThat(relay.runImport("default").get("rows_processed").asLong()).isEqualTo(expectedRows);
    }

    private static String loginSample() throws Exception {
        return Files.readString(Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv"));
    }

    /** Reads {@code topic} from its beginning until {@code count} records arrived, in partition order. */
    private List<ConsumerRecord<String, String>> awaitRecords(String topic, int count) throws Exception {
        KafkaConsumer<String, String> consumer = kafka.consumer();
        consumers.add(consumer);
        consumer.assign(consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList());
        consumer.seekToBeginning(consumer.assignment());
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        return await(count + " records on " + topic, Duration.ofSeconds(30), () -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return records;
        }, r -> r.size() >= count);
    }

    private JsonNode hook(String name) throws Exception {
        return relay.hook(name);
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static JsonNode value(ConsumerRecord<String, String> record) {
        try {
            return JSON.readTree(record.value());
        } catch (Exception e) {
            throw new AssertionError("record value is not JSON: " + record.value(), e);
        }
    }

    private static List<String> eventIds(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> header(r, "event_id")).sorted().toList();
    }

    @Test
    void eachEventIsOneRecordKeyedByItsProfileAndOneProfilesEventsKeepTheirFileOrder() throws Exception {
        kafka.createTopic("logins", 3);
        kafkaHook("login-stream", "logins", kafka.bootstrapServers());
        importLogins(SIX_LOGINS, 6);

        List<ConsumerRecord<String, String>> records = awaitRecords("logins", 6);

        assertThat(records).hasSize(6);
        assertThat(eventIds(records)).doesNotHaveDuplicates();
        for (ConsumerRecord<String, String> record : records) {
            JsonNode message = value(record);
            assertThat(record.key()).isEqualTo(message.at("/profile/external_id").asText());
            assertThat(message.get("hook").asText()).isEqualTo("login-stream");
            assertThat(message.at("/custom_data/source").asText()).isEqualTo("relay");
            assertThat(message.at("/custom_data/who").asText()).isEqualTo(record.key());
            assertThat(header(record, "event_type")).isEqualTo("Login").isEqualTo(message.get("event_type").asText());
            assertThat(header(record, "event_id")).isEqualTo(message.get("event_id").asText());
            assertThat(header(record, "hook")).isEqualTo("login-stream");
        }
        Map<String, List<String>> devicesByProfile = records.stream().collect(Collectors.groupingBy(
                ConsumerRecord::key, LinkedHashMap::new,
                Collectors.mapping(r -> value(r).at("/properties/device").asText(), Collectors.toList())));
        assertThat(devicesByProfile).containsEntry("c-1", List.of("ios", "web", "android"))
                .containsEntry("c-2", List.of("android", "web"))
                .containsEntry("c-3", List.of("ios"));
        assertThat(records.stream().filter(r -> r.key().equals("c-1")).map(ConsumerRecord::partition).distinct())
                .hasSize(1);

        JsonNode hook = await("the hook's counts", Duration.ofSeconds(10), () -> hook("login-stream"),
                h -> h.get("delivered").asLong() == 6);
        assertThat(hook.get("status").asText()).isEqualTo("Scheduled");
        assertThat(hook.get("dead_lettered").asLong()).isZero();
        // the broker knows the hook's producer as idempotent (a producer id with sequence numbers), which Kafka
        // allows only with acks=all
        List<TopicPartition> partitions = List.of(new TopicPartition("logins", 0), new TopicPartition("logins", 1),
                new TopicPartition("logins", 2));
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.describeProducers(partitions).all().get(10, TimeUnit.SECONDS).values())
                    .flatExtracting(DescribeProducersResult.PartitionProducerState::activeProducers)
                    .isNotEmpty().allSatisfy(producer -> assertThat(producer.producerId()).isNotNegative());
        }
    }

    @Test
    void aBrokerThatCannotBeReachedPutsTheHookInErrorThenTheBatchInDeadLetters() throws Exception {
        kafkaHook("login-stream", "logins-unreachable", "127.0.0.1:" + closedPort());
        config.put("relay.hook.login-stream.batch.max-events", "6");
        config.put("relay.hook.login-stream.retry.times", "1");
        importLogins(SIX_LOGINS, 6);

        // a page of six fails after one maxBlockMs (5 s by default), not after one per record (30 s)
        JsonNode failing = await("the hook to retry", Duration.ofSeconds(12), () -> hook("login-stream"),
                h -> h.get("attempts").asInt() >= 1);
        assertThat(failing.get("status").asText()).isEqualTo("Error");
        assertThat(failing.get("retrying").asLong()).isEqualTo(6);
        assertThat(failing.at("/last_error/summary").asText()).contains("logins-unreachable");

        JsonNode failed = await("a dead letter", Duration.ofSeconds(12), () -> hook("login-stream"),
                h -> h.get("dead_lettered").asLong() == 6);
        assertThat(failed.get("status").asText()).isEqualTo("Failed");
        assertThat(failed.get("delivered").asLong()).isZero();
        JsonNode letters = relay.getJson("/api/dead-letters?hook=login-stream").get("dead_letters");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).get("events").asInt()).isEqualTo(6);
        assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(2);
        assertThat(letters.get(0).get("status").asText()).isEqualTo("Dead");
    }

    @Test
    void aMissingTopicDeadLettersTheBatchAndAReplayAfterItIsCreatedDeliversTheSameEvents() throws Exception {
        kafka.createTopic("logins-audit", 1);
        kafkaHook("audit", "logins-audit", kafka.bootstrapServers());
        kafkaHook("late", "logins-late", kafka.bootstrapServers());
        config.put("relay.hook.late.retry.times", "0");
        importLogins(loginSample(), 2);
        List<ConsumerRecord<String, String>> captured = awaitRecords("logins-audit", 2);
        await("the late hook's dead letter", Duration.ofSeconds(15), () -> hook("late"),
                h -> h.get("dead_lettered").asLong() == 2);
        JsonNode letter = relay.getJson("/api/dead-letters?hook=late").get("dead_letters").get(0);
        assertThat(letter.get("status").asText()).isEqualTo("Dead");

        kafka.createTopic("logins-late", 1);
        assertThat(relay.post("/api/hooks/late/replay").statusCode()).isEqualTo(202);
        List<ConsumerRecord<String, String>> replayed = awaitRecords("logins-late", 2);

        assertThat(replayed).hasSize(2);
        assertThat(eventIds(replayed)).isEqualTo(eventIds(captured));
        assertThat(replayed).allSatisfy(r -> {
            assertThat(header(r, "hook")).isEqualTo("late");
            assertThat(value(r).get("hook").asText()).isEqualTo("late");
            assertThat(r.key()).isEqualTo(value(r).at("/profile/external_id").asText());
        });
        await("the replay to finish", Duration.ofSeconds(10),
                () -> relay.getJson("/api/dead-letters?hook=late").get("dead_letters").get(0),
                l -> l.get("status").asText().equals("Replayed"));
        assertThat(hook("late").get("dead_lettered").asLong()).isZero();
    }

    private static int closedPort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
