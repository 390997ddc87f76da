package dev.eventrelay.faults;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RabbitAdmin;
import dev.eventrelay.support.RelayProcess;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestSftpServer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the real jar: a 200,000-row SFTP file and a 20,000-row warehouse table go to an HTTP receiver,
 * a RabbitMQ queue and a Kafka topic, while the service is killed with SIGKILL three times — while its runs are
 * fetching, in the middle of the file, and in the middle of delivery — and started again on the same state store
 * (H2 or PostgreSQL: the subclasses). At the end every receiver holds exactly the rows the test made valid, each under one event id, with
 * every duplicate identical to its first copy; no run is left under way; every interrupted run failed with the
 * reason and a recovery run imported the file.
 */
@Timeout(value = 12, unit = TimeUnit.MINUTES)
@Slow
abstract class CrashSafety {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SYNC = "crash-sync";
    private static final int FILE_ROWS = 200_000;
    private static final int TABLE_ROWS = 20_000;
    private static final int INVALID_FILE_ROW_EVERY = 997;
    private static final int INVALID_TABLE_ROW_EVERY = 499;

    @TempDir
    Path dir;
    TestSftpServer sftp;
    TestHttpReceiver http;
    TestKafkaBroker kafka;
    KafkaConsumer<String, String> consumer;
    RabbitAdmin rabbit;
    String queue;
    String warehouseUrl;
    RelayProcess relay;
    String fileName;

    final Arrivals atHttp = new Arrivals("http", LoginDrops::rowKey);
    final Arrivals atRabbit = new Arrivals("rabbitmq-queue", LoginDrops::rowKey);
    final Arrivals atKafka = new Arrivals("kafka", LoginDrops::rowKey);
    int httpRequestsRead;

    /** The state store's keys for the service under test: a new, empty store. */
    abstract Map<String, String> newStore() throws Exception;

    @BeforeEach
    void startPeers() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        http = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        kafka = TestKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
        kafka.createTopic("crash-events", 1);
        consumer = kafka.consumer();
        TopicPartition partition = new TopicPartition("crash-events", 0);
        consumer.assign(List.of(partition));
        consumer.seekToBeginning(List.of(partition));
        rabbit = new RabbitAdmin();
        queue = rabbit.declareQueue(RabbitAdmin.uniqueName("crash"));
        warehouseUrl = StoreDatabases.newPostgres();
    }

    @AfterEach
    void stopPeers() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        consumer.close();
        kafka.close();
        rabbit.close();
        http.close();
        sftp.close();
        StoreDatabases.dropPostgres(warehouseUrl);
    }

    @Test
    void killedWhileFetchingMidFileAndMidDeliveryTheServiceLosesNothingAndDuplicatesNothingButIdenticalCopies()
            throws Exception {
        Instant began = Instant.now();
        Set<String> accepted = writeFile();
        accepted.addAll(fillTable());
        Set<String> sampled = sampled(accepted);
        relay = new RelayProcess("crash", dir, config());

        // 1. killed while both runs are fetching
        relay.start();
        String fetchingRun = relay.runNow("default");
        String fetchingSync = relay.runNow(SYNC);
        assertThat(run(fetchingRun).get("fetch_status").asText()).isEqualTo("Fetching");
        relay.kill();
        progress(began, "killed while fetching");

        // 2. killed in the middle of the file: the recovery run has accepted more than 50,000 rows
        relay.start();
        JsonNode midFile = RelayUnderTest.await("a recovery run of the file past 50,000 rows", Duration.ofMinutes(2),
                () -> newestRun("default"), r -> r != null && !r.get("id").asText().equals(fetchingRun)
                        && "Processing".equals(r.path("processing_status").asText())
                        && r.get("rows_processed").asLong() > 50_000);
        relay.kill();
        progress(began, "killed mid-file at " + midFile.get("rows_processed") + " rows");
        assertThat(midFile.get("trigger").asText()).isEqualTo("recovery");
        assertThat(midFile.get("rows_processed").asLong()).isLessThan(FILE_ROWS);

        // 3. killed in the middle of delivery: the HTTP receiver has more than 40% of the rows (not all, see below)
        relay.start();
        RelayUnderTest.await("the HTTP receiver to hold 40% of the rows", Duration.ofMinutes(2), () -> {
            drainHttp();
            return atHttp.rows();
        }, rows -> rows > accepted.size() * 4 / 10);
        relay.kill();
        drainHttp();
        int httpAtKill = atHttp.rows();
        progress(began, "killed mid-delivery with " + httpAtKill + " rows at the HTTP receiver");

        // 4. started again: it delivers the rest
        relay.start();
        RelayUnderTest.await("every receiver to hold every accepted row", Duration.ofMinutes(6), () -> {
            drainHttp();
            drainKafka();
            drainRabbit();
            return List.of(atHttp.rows(), atKafka.rows(), atRabbit.rows());
        }, rows -> rows.get(0) >= accepted.size() && rows.get(1) >= accepted.size()
                && rows.get(2) >= sampled.size());

        progress(began, "every receiver has every row");
        assertThat(httpAtKill).as("the delivery kill came before HTTP had everything").isLessThan(accepted.size());
        for (Arrivals arrivals : List.of(atHttp, atKafka, atRabbit)) {
            assertThat(arrivals.defects()).as(arrivals.toString()).isEmpty();
        }
        assertThat(atHttp.rowKeys()).isEqualTo(accepted);
        assertThat(atKafka.rowKeys()).isEqualTo(accepted);
        assertThat(atRabbit.rowKeys()).isEqualTo(sampled);

        List<JsonNode> runs = runs("default");
        assertThat(runs).allSatisfy(r -> assertThat(r.get("processing_status").asText()).isIn("Processed", "Failed"));
        assertThat(run(fetchingRun).get("reason").asText()).startsWith("interrupted");
        assertThat(run(midFile.get("id").asText()).get("processing_status").asText()).isEqualTo("Failed");
        assertThat(run(midFile.get("id").asText()).get("reason").asText()).startsWith("interrupted");
        List<JsonNode> imported = runs.stream().map(r -> run(r.get("id").asText()))
                .filter(r -> StreamSupport.stream(r.get("files").spliterator(), false)
                        .anyMatch(f -> f.get("name").asText().equals(fileName)
                                && f.get("status").asText().equals("Imported")))
                .toList();
        assertThat(imported).as("runs that imported the file").hasSize(1);
        assertThat(imported.get(0).get("trigger").asText()).isEqualTo("recovery");
        assertThat(imported.get(0).get("rows_processed").asLong()).isEqualTo(FILE_ROWS - FILE_ROWS / INVALID_FILE_ROW_EVERY);
        assertThat(run(fetchingSync).get("reason").asText()).startsWith("interrupted");
        assertThat(runs(SYNC)).allSatisfy(r -> assertThat(r.get("processing_status").asText()).isIn("Processed", "Failed"));
        assertThat(relay.getJson("/api/dead-letters").get("dead_letters")).isEmpty();

        System.out.printf("Crash test: %d accepted rows (%d sampled for RabbitMQ); duplicates http %d, kafka %d,"
                        + " rabbitmq %d; %d s in all%n", accepted.size(), sampled.size(), atHttp.duplicates(),
                atKafka.duplicates(), atRabbit.duplicates(), Duration.between(began, Instant.now()).toSeconds());
    }

    private void progress(Instant began, String what) {
        System.out.printf("%4d s: %s; http %s, kafka %s, rabbitmq %s%n", Duration.between(began, Instant.now())
                .toSeconds(), what, atHttp, atKafka, atRabbit);
    }

    private Map<String, String> config() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.putAll(newStore());
        // one instance, restarted after each kill under the same id: it takes its own interrupted runs over at start
        // (a new id would wait for the killed instance's lease to expire first)
        config.put("relay.instance.id", "crash-safety");
        config.put("relay.hook.all-events.enabled", "false");
        config.putAll(sftp.importConfig("default", LoginDrops.CHANNEL, "ed25519"));
        String sync = "relay.sync." + SYNC + ".";
        config.put(sync + "jdbc.url", warehouseUrl);
        config.put(sync + "jdbc.user", StoreDatabases.POSTGRES_USER);
        config.put(sync + "jdbc.password", StoreDatabases.POSTGRES_PASSWORD);
        config.put(sync + "table", "crash_events");
        config.put(sync + "schedule", "0 0 0 1 1 ? 2099");
        config.put(sync + "page-size", "500");
        config.put(sync + "mapping.event-date", "event_ts");
        config.put(sync + "mapping.event-type", "metric_name");
        config.put(sync + "mapping.email", "email");
        config.put(sync + "mapping.changed-at", "updated_at");
        config.put(sync + "mapping.unique-id", "event_uid");
        hook(config, "crash-http", "http", Map.of("http.url", http.url()));
        hook(config, "crash-kafka", "kafka", Map.of("kafka.bootstrap-servers", kafka.bootstrapServers(),
                "kafka.topic", "crash-events"));
        hook(config, "crash-rabbit", "rabbitmq-queue", Map.of("rabbitmq.queue", queue,
                "filter.property.sample.equals", "rabbit"));
        return config;
    }

    private static void hook(Map<String, String> config, String name, String destination, Map<String, String> own) {
        String prefix = "relay.hook." + name + ".";
        config.put(prefix + "destination", destination);
        config.put(prefix + "batch.max-events", "1000");
        config.put(prefix + "retry.times", "20");
        config.put(prefix + "retry.period.seconds", "1");
        own.forEach((key, value) -> config.put(prefix + key, value));
    }

    /** Writes yesterday's file of logins; every 997th row has a date that does not parse. Returns the valid rows. */
    private Set<String> writeFile() throws Exception {
        fileName = LoginDrops.name(1);
        return LoginDrops.write(sftp.root().resolve(fileName), 1, FILE_ROWS, INVALID_FILE_ROW_EVERY);
    }

    /** Fills the warehouse table; every 499th row has a purely numeric event type. Returns the valid rows. */
    private Set<String> fillTable() throws Exception {
        try (Connection c = DriverManager.getConnection(warehouseUrl, StoreDatabases.POSTGRES_USER,
                StoreDatabases.POSTGRES_PASSWORD); Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE crash_events (event_uid VARCHAR(36) PRIMARY KEY, email VARCHAR(100) NOT NULL,
                      metric_name VARCHAR(64) NOT NULL, event_ts TIMESTAMPTZ NOT NULL,
                      updated_at TIMESTAMPTZ NOT NULL, sample VARCHAR(10) NOT NULL)""");
            // three rows share each change timestamp, so pages end inside a run of equal timestamps
            s.execute("INSERT INTO crash_events SELECT md5('w' || i)::uuid::text, 'w-' || i || '@example.com',"
                    + " CASE WHEN i % " + INVALID_TABLE_ROW_EVERY + " = 0 THEN '12345' ELSE 'Visit' END,"
                    + " TIMESTAMPTZ '2026-11-20 00:00:00+00' + i * INTERVAL '1 second',"
                    + " TIMESTAMPTZ '2026-11-21 00:00:00+00' + (i / 3) * INTERVAL '1 second',"
                    + " CASE WHEN i % " + LoginDrops.SAMPLE_EVERY + " = 0 THEN 'rabbit' ELSE 'other' END"
                    + " FROM generate_series(1, " + TABLE_ROWS + ") AS i");
        }
        Set<String> valid = new HashSet<>();
        for (int i = 1; i <= TABLE_ROWS; i++) {
            if (i % INVALID_TABLE_ROW_EVERY != 0) {
                valid.add("w-" + i + "@example.com");
            }
        }
        return valid;
    }

    /** The rows the RabbitMQ hook's filter lets through (sample = rabbit). */
    private static Set<String> sampled(Set<String> accepted) {
        Set<String> sampled = new HashSet<>();
        for (String key : accepted) {
            int i = Integer.parseInt(key.replaceAll("^[cw]-|@example\\.com$", ""));
            if (LoginDrops.sampled(i)) {
                sampled.add(key);
            }
        }
        return sampled;
    }

    private void drainHttp() throws Exception {
        List<TestHttpReceiver.Request> requests = http.requests();
        for (; httpRequestsRead < requests.size(); httpRequestsRead++) {
            for (JsonNode event : JSON.readTree(requests.get(httpRequestsRead).body()).get("events")) {
                atHttp.add(event);
            }
        }
    }

    private void drainKafka() throws Exception {
        for (var records = consumer.poll(Duration.ofMillis(100)); !records.isEmpty();
             records = consumer.poll(Duration.ofMillis(100))) {
            for (ConsumerRecord<String, String> record : records) {
                atKafka.add(record.value());
            }
        }
    }

    private void drainRabbit() throws Exception {
        for (RabbitAdmin.Received message : rabbit.take(queue)) {
            atRabbit.add(message.body());
        }
    }

    private JsonNode run(String id) {
        try {
            return relay.getJson("/api/runs/" + id);
        } catch (Exception e) {
            throw new AssertionError("GET /api/runs/" + id + " failed", e);
        }
    }

    private List<JsonNode> runs(String importName) throws Exception {
        return StreamSupport.stream(relay.getJson("/api/imports/" + importName + "/runs").get("runs").spliterator(),
                false).toList();
    }

    private JsonNode newestRun(String importName) throws Exception {
        List<JsonNode> runs = runs(importName);
        return runs.isEmpty() ? null : runs.get(0);
    }
}
