package dev.eventrelay.ops;

import dev.eventrelay.support.Slow;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run that uses every kind of secret — the API token, an SFTP password, an HTTP hook's signing
 * secret, the state store's password, a warehouse password in its JDBC URL and its own key — while
 * things also go wrong (a receiver that fails once, a warehouse that cannot be reached, an SFTP
 * server that is down): none of the secrets appears in the service's log (captured with the
 * service's own log pattern) or in any answer of the API.
 */
@Slow
class SecretsStayHiddenTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "udc_1itzAa15r";
    private static final Path SECRETS = Path.of("src/test/resources/secrets-used-by-tests.txt");

    @TempDir
    Path dir;
    TestSftpServer sftp;
    TestHttpReceiver receiver;
    RelayUnderTest relay;
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    OutputStreamAppender<ILoggingEvent> capture;

    static List<String> secrets() throws IOException {
        return Files.readAllLines(SECRETS).stream().map(String::trim)
                .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    }

    static String secret(String purpose) throws IOException {
        return secrets().stream().filter(s -> s.contains("-" + purpose + "-")).findFirst().orElseThrow();
    }

    @BeforeEach
    void captureTheLog() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger root = logging.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder console = (PatternLayoutEncoder) ((OutputStreamAppender<ILoggingEvent>)
                root.getAppender("console")).getEncoder();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(logging);
        encoder.setPattern(console.getPattern());
        encoder.start();
        capture = new OutputStreamAppender<>();
        capture.setContext(logging);
        capture.setEncoder(encoder);
        capture.setOutputStream(log);
        capture.start();
        root.addAppender(capture);
        sftp = new TestSftpServer(dir.resolve("sftp"));
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
    }

    @AfterEach
    void stopAll() throws Exception {
        if (relay != null) {
            relay.close();
        }
        receiver.close();
        sftp.close();
        Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.detachAppender(capture);
        capture.stop();
    }

    private Map<String, String> config() throws Exception {
        Map<String, String> config = new LinkedHashMap<>(sftp.importConfig("default", CHANNEL, "ed25519"));
        config.put("relay.import.default.sftp.private-key-file", "");
        sftp.acceptPassword(secret("sftp"));
        config.put("relay.import.default.sftp.password", secret("sftp"));
        config.put("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
        config.put("relay.store.password", secret("store"));
        config.put("relay.api.token", secret("api"));
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.put("relay.hook.webhook.destination", "http");
        config.put("relay.hook.webhook.http.url", receiver.url());
        config.put("relay.hook.webhook.http.secret", secret("hook"));
        config.put("relay.hook.webhook.batch.max-wait.seconds", "0.05");
        config.put("relay.hook.webhook.retry.period.seconds", "0.2");
        config.put("relay.sync.pos.jdbc.url", "jdbc:postgresql://127.0.0.1:" + RelayUnderTest.freePort()
                + "/warehouse?user=reader&password=" + secret("warehouse"));
        config.put("relay.sync.pos.jdbc.password", secret("warehouse"));
        config.put("relay.sync.pos.table", "pos_events");
        config.put("relay.sync.pos.mapping.event-date", "event_ts");
        config.put("relay.sync.pos.mapping.event-type", "metric_name");
        config.put("relay.sync.pos.mapping.email", "email");
        config.put("relay.sync.pos.mapping.changed-at", "updated_at");
        return config;
    }

    @Test
    void noSecretAppearsInTheLogOrInAnyApiAnswer() throws Exception {
        String day = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        sftp.put(CHANNEL + "-UDE_7KQ2LOGIN-" + day + "-1.csv", Files.readAllBytes(
                Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv")));
        receiver.answer(TestHttpReceiver.Answer.of(500));
        relay = new RelayUnderTest(config()).start();

        JsonNode imported = relay.runImport("default");
        await("the webhook to take the events after one failure", Duration.ofSeconds(30), () -> relay.hook("webhook"),
                hook -> hook.get("delivered").asLong() == 2);
        JsonNode sync = relay.runImport("pos");
        sftp.stop();
        JsonNode failed = relay.runImport("default");

        assertThat(imported.get("rows_processed").asLong()).as("the import logged in with the password").isEqualTo(2);
        assertThat(receiver.requests().get(0).header("webhook-signature")).as("batches are signed").startsWith("v1,");
        assertThat(sync.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(failed.get("fetch_status").asText()).isEqualTo("Failed");
        List<String> answers = new ArrayList<>();
        for (String path : List.of("/api/imports", "/api/imports/default/runs", "/api/imports/pos/runs",
                "/api/runs/" + imported.get("id").asText(), "/api/runs/" + sync.get("id").asText(),
                "/api/runs/" + failed.get("id").asText(), "/api/runs/" + sync.get("id").asText() + "/errors.csv",
                "/api/hooks", "/api/dead-letters", "/api/errors", "/health", "/metrics")) {
            answers.add(path + " -> " + relay.get(path).body());
        }
        answers.add(relay.request("GET", "/api/hooks", "Bearer " + secret("api") + "-wrong").body());
        String logged = log.toString(StandardCharsets.UTF_8);

        assertThat(logged).as("the captured log").contains("Run " + sync.get("id").asText());
        assertThat(String.join("\n", answers)).contains("\"hooks\"").contains("\"errors\"");
        for (String secret : secrets()) {
            assertThat(logged).as("the log").doesNotContain(secret);
            for (String answer : answers) {
                assertThat(answer).as("an API answer").doesNotContain(secret);
            }
        }
    }
}
