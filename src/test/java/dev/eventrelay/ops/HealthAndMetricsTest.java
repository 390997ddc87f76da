package dev.eventrelay.ops;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /health} and {@code GET /metrics} through the real HTTP API, with a real SFTP server, a
 * webhook receiver and the file hook: an SFTP server that is down and a receiver that is down show
 * as DOWN parts with their reasons while the service stays UP; a state store that is gone makes the
 * whole service DOWN (503); after an import the metrics count exactly the rows and events of the run.
 */
@Slow
class HealthAndMetricsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("src/test/resources/samples/sftp");
    private static final String CHANNEL = "udc_1itzAa15r";

    @TempDir
    Path dir;
    TestSftpServer sftp;
    TestHttpReceiver receiver;
    RelayUnderTest relay;
    Map<String, String> config;
    String postgresUrl;

    @BeforeEach
    void startPeers() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.putAll(sftp.importConfig("default", CHANNEL, "ed25519"));
        config.put("relay.hook.webhook.destination", "http");
        config.put("relay.hook.webhook.http.url", receiver.url());
        config.put("relay.hook.webhook.http.timeout.ms", "2000");
        config.put("relay.hook.webhook.batch.max-wait.seconds", "0.05");
        config.put("relay.hook.webhook.retry.period.seconds", "0.2");
        config.put("relay.hook.webhook.retry.times", "1000");
    }

    @AfterEach
    void stopPeers() throws Exception {
        if (relay != null) {
            relay.close();
        }
        receiver.close();
        sftp.close();
        if (postgresUrl != null) {
            StoreDatabases.dropPostgres(postgresUrl);
        }
    }

    private void dropYesterday(String sample, int n) throws Exception {
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        String code = sample.split("-")[1];
        sftp.put(CHANNEL + "-" + code + "-" + day + "-" + n + ".csv", Files.readAllBytes(SAMPLES.resolve(sample)));
    }

    private JsonNode health(int expectedStatus) throws Exception {
        HttpResponse<String> answer = relay.get("/health");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(expectedStatus);
        return JSON.readTree(answer.body());
    }

    /** The value of the sample {@code name{...label...}} in a Prometheus text answer. */
    private static double sample(String metrics, String name, String label) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + "{") && line.contains(label)) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        throw new AssertionError("no sample " + name + " with " + label + " in:\n" + metrics);
    }

    @Test
    void everyPartIsUpBeforeAnythingHappened() throws Exception {
        relay = new RelayUnderTest(config).start();

        JsonNode health = health(200);

        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("down")).isEmpty();
        for (String part : new String[] {"state_store", "import:default", "hook:all-events", "hook:webhook"}) {
            assertThat(health.at("/checks/" + part + "/status").asText()).as(part).isEqualTo("UP");
        }
    }

    @Test
    void anSftpServerThatIsDownShowsItsImportDownWithTheReason() throws Exception {
        relay = new RelayUnderTest(config).start();
        sftp.stop();

        relay.runImport("default");
        JsonNode health = health(200);

        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("down").toString()).isEqualTo("[\"import:default\"]");
        JsonNode check = health.at("/checks/import:default");
        assertThat(check.get("status").asText()).isEqualTo("DOWN");
        assertThat(check.get("last_run").asText()).isEqualTo("Failed");
        assertThat(check.get("reason").asText()).contains("cannot connect to " + TestSftpServer.USER + "@127.0.0.1:"
                + sftp.port());

        sftp.start();
        relay.runImport("default");

        assertThat(health(200).at("/checks/import:default/status").asText()).isEqualTo("UP");
    }

    @Test
    void aReceiverThatIsDownShowsItsHookDownUntilItTakesTheEvents() throws Exception {
        dropYesterday("udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", 1);
        receiver.stop();
        relay = new RelayUnderTest(config).start();

        relay.runImport("default");
        JsonNode down = await("the webhook hook to be DOWN", Duration.ofSeconds(30), () -> health(200),
                health -> "DOWN".equals(health.at("/checks/hook:webhook/status").asText()));

        assertThat(down.get("status").asText()).isEqualTo("UP");
        assertThat(down.get("down").toString()).isEqualTo("[\"hook:webhook\"]");
        assertThat(down.at("/checks/hook:webhook/reason").asText()).contains("webhook");
        assertThat(down.at("/checks/hook:webhook/code").asText()).isNotEmpty();
        assertThat(down.at("/checks/hook:all-events/status").asText()).isEqualTo("UP");

        receiver.start();

        await("the webhook hook to be UP again", Duration.ofSeconds(30), () -> health(200),
                health -> "UP".equals(health.at("/checks/hook:webhook/status").asText()));
        assertThat(receiver.requests()).isNotEmpty();
    }

    @Test
    void aWarehouseThatCannotBeReachedShowsItsSyncDownAndItsRunTimed() throws Exception {
        config.put("relay.sync.pos.jdbc.url", "jdbc:postgresql://127.0.0.1:" + RelayUnderTest.freePort() + "/none");
        config.put("relay.sync.pos.table", "pos_events");
        config.put("relay.sync.pos.mapping.event-date", "event_ts");
        config.put("relay.sync.pos.mapping.event-type", "metric_name");
        config.put("relay.sync.pos.mapping.email", "email");
        config.put("relay.sync.pos.mapping.changed-at", "updated_at");
        relay = new RelayUnderTest(config).start();
        assertThat(health(200).at("/checks/sync:pos/status").asText()).isEqualTo("UP");

        JsonNode run = relay.runImport("pos");
        JsonNode health = health(200);

        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("down").toString()).isEqualTo("[\"sync:pos\"]");
        assertThat(health.at("/checks/sync:pos/reason").asText()).isEqualTo(run.get("reason").asText()).isNotEmpty();
        String metrics = relay.get("/metrics").body();
        assertThat(sample(metrics, "relay_run_duration_seconds_count", "kind=\"warehouse\"")).isEqualTo(1);
        assertThat(sample(metrics, "relay_run_duration_seconds_count", "outcome=\"Failed\"")).isEqualTo(1);
        assertThat(sample(metrics, "relay_import_rows_read_total", "import=\"pos\"")).isZero();
    }

    @Test
    void aStateStoreThatIsGoneMakesTheServiceDown() throws Exception {
        postgresUrl = StoreDatabases.newPostgres();
        config.put("relay.store.url", postgresUrl);
        config.put("relay.store.user", StoreDatabases.POSTGRES_USER);
        config.put("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
        relay = new RelayUnderTest(config).start();
        assertThat(health(200).get("status").asText()).isEqualTo("UP");

        StoreDatabases.dropPostgres(postgresUrl);
        postgresUrl = null;
        JsonNode health = health(503);

        assertThat(health.get("status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/checks/state_store/status").asText()).isEqualTo("DOWN");
        assertThat(health.get("down").toString()).isEqualTo("[\"state_store\"]");
    }

    @Test
    void afterAnImportTheMetricsCountItsRowsAndDeliveries() throws Exception {
        dropYesterday("udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", 1);
        dropYesterday("udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", 2);
        relay = new RelayUnderTest(config).start();

        JsonNode run = relay.runImport("default");
        Outbox.await(dir.resolve("outbox"), 6);
        await("the webhook to receive 6 events", Duration.ofSeconds(30), () -> relay.hook("webhook"),
                hook -> hook.get("delivered").asLong() == 6);
        HttpResponse<String> answer = relay.request("GET", "/metrics", null);

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        String metrics = answer.body();
        assertThat(run.get("rows_total").asLong()).isEqualTo(9);
        assertThat(sample(metrics, "relay_import_rows_read_total", "import=\"default\"")).isEqualTo(9);
        assertThat(sample(metrics, "relay_import_rows_accepted_total", "import=\"default\"")).isEqualTo(6);
        assertThat(sample(metrics, "relay_import_rows_rejected_total", "import=\"default\"")).isEqualTo(3);
        assertThat(sample(metrics, "relay_import_files_total", "status=\"Imported\"")).isEqualTo(2);
        assertThat(sample(metrics, "relay_run_duration_seconds_count", "outcome=\"Processed\"")).isEqualTo(1);
        assertThat(sample(metrics, "relay_hook_events_delivered_total", "hook=\"all-events\"")).isEqualTo(6);
        assertThat(sample(metrics, "relay_hook_events_delivered_total", "hook=\"webhook\"")).isEqualTo(6);
        assertThat(sample(metrics, "relay_hook_delivery_latency_seconds_count", "hook=\"webhook\"")).isEqualTo(6);
        assertThat(sample(metrics, "relay_hook_delivery_latency_seconds_bucket", "le=\"3600.0\"")).isEqualTo(6);
        assertThat(sample(metrics, "relay_hook_events_retried_total", "hook=\"webhook\"")).isZero();
        assertThat(sample(metrics, "relay_hook_events_dead_lettered_total", "hook=\"webhook\"")).isZero();
        assertThat(metrics).contains("jvm_memory_used_bytes").contains("jvm_threads_live_threads");
    }

    @Test
    void failedAttemptsAreCountedAsRetriedAndDeadLettered() throws Exception {
        dropYesterday("udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", 1);
        config.put("relay.hook.webhook.retry.times", "1");
        receiver.answer(TestHttpReceiver.Answer.of(503), TestHttpReceiver.Answer.of(400));
        relay = new RelayUnderTest(config).start();

        relay.runImport("default");
        await("the webhook's batch to go to dead letters", Duration.ofSeconds(30), () -> relay.hook("webhook"),
                hook -> hook.get("dead_lettered").asLong() == 2);
        String metrics = relay.get("/metrics").body();

        assertThat(sample(metrics, "relay_hook_events_retried_total", "hook=\"webhook\"")).isEqualTo(2);
        assertThat(sample(metrics, "relay_hook_events_dead_lettered_total", "hook=\"webhook\"")).isEqualTo(2);
        assertThat(sample(metrics, "relay_hook_events_delivered_total", "hook=\"webhook\"")).isZero();
        assertThat(health(200).at("/checks/hook:webhook/status").asText()).isEqualTo("DOWN");
    }
}
