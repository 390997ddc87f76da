package dev.eventrelay.delivery;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The http destination end to end: events imported from a real SFTP server reach a webhook receiver
 * in the test as signed JSON batches; failures are retried on the configured schedule, permanent
 * ones go to dead letters, and a replay sends the same batch again. Subclasses pick the store.
 */
@Slow
abstract class HttpHookFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHANNEL = "udc_1itzAa15r";
    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString(
            "a secret of at least twenty-four bytes".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path dir;
    TestSftpServer sftp;
    TestHttpReceiver receiver;
    RelayUnderTest relay;
    Map<String, String> config;

    abstract String newStoreUrl() throws Exception;

    @BeforeEach
    void startPeers() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        config = new LinkedHashMap<>();
        config.put("relay.store.url", newStoreUrl());
        config.put("relay.hook.all-events.enabled", "false");
        config.putAll(sftp.importConfig("default", CHANNEL, "ed25519"));
        config.put("relay.hook.webhook.destination", "http");
        config.put("relay.hook.webhook.http.url", receiver.url());
        config.put("relay.hook.webhook.http.secret", SECRET);
        config.put("relay.hook.webhook.batch.max-events", "2");
        config.put("relay.hook.webhook.batch.max-wait.seconds", "0.05");
        config.put("relay.hook.webhook.retry.period.seconds", "0.2");
        config.put("relay.hook.webhook.custom-data",
                "{\"source\": \"relay\", \"day\": \"{{event_date_ymd}}\", \"who\": \"{{profile.external_id}}\"}");
    }

    @AfterEach
    void stopPeers() throws Exception {
        if (relay != null) {
            relay.close();
        }
        receiver.close();
        sftp.close();
    }

    /** Imports two files of two events each: logins, then purchases. */
    private void importLogins() throws Exception {
        putSample("udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", "UDE_1JIJANUWB");
        importLoginsOnly(4);
    }

    /** Imports one file: two login events, published to the hooks at once. */
    private void importLoginsOnly(int expectedRows) throws Exception {
        putSample("udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", "UDE_7KQ2LOGIN");
        relay = new RelayUnderTest(config).start();
        assertThat(relay.runImport("default").get("rows_processed").asLong()).isEqualTo(expectedRows);
    }

    private void putSample(String sample, String eventCode) throws Exception {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        sftp.put(CHANNEL + "-" + eventCode + "-" + yesterday + "-1.csv",
                Files.readAllBytes(Path.of("src/test/resources/samples/sftp/" + sample)));
    }

    /** The events received, by event id, across all requests (duplicates kept). */
    private List<String> receivedEventIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (TestHttpReceiver.Request request : receiver.requests()) {
            for (JsonNode event : JSON.readTree(request.body()).get("events")) {
                ids.add(event.get("event_id").asText());
            }
        }
        return ids;
    }

    private List<TestHttpReceiver.Request> awaitRequests(int count) throws Exception {
        return await(count + " requests at the receiver", Duration.ofSeconds(30), receiver::requests,
                r -> r.size() >= count);
    }

    private JsonNode hook() throws Exception {
        return relay.hook("webhook");
    }

    /** Standard Webhooks verification, written from the specification independently of the service. */
    private static boolean signatureIsValid(TestHttpReceiver.Request request) throws Exception {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(Base64.getDecoder().decode(SECRET.split("_", 2)[1]), "HmacSHA256"));
        byte[] expected = hmac.doFinal((id + "." + timestamp + "." + request.body()).getBytes(StandardCharsets.UTF_8));
        for (String signature : request.header("webhook-signature").split(" ")) {
            String[] parts = signature.split(",", 2);
            if (parts[0].equals("v1") && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void eventsArriveAsSignedBatchesWithTheirIdempotencyKey() throws Exception {
        importLogins();

        List<TestHttpReceiver.Request> requests = awaitRequests(2);

        assertThat(receivedEventIds()).hasSize(4).doesNotHaveDuplicates();
        for (TestHttpReceiver.Request request : requests) {
            JsonNode batch = JSON.readTree(request.body());
            assertThat(request.header("Content-Type")).startsWith("application/json");
            assertThat(request.header("Idempotency-Key")).isEqualTo(batch.get("batch_id").asText());
            assertThat(request.header("webhook-id")).isEqualTo(batch.get("batch_id").asText());
            assertThat(Long.parseLong(request.header("webhook-timestamp")))
                    .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(120L));
            assertThat(signatureIsValid(request)).as("signature of batch %s", batch.get("batch_id")).isTrue();
            assertThat(batch.get("hook").asText()).isEqualTo("webhook");
            assertThat(batch.get("sent_at").asText()).endsWith("Z");
            assertThat(batch.get("events")).hasSize(2);
            for (JsonNode event : batch.get("events")) {
                assertThat(event.get("hook").asText()).isEqualTo("webhook");
                assertThat(event.at("/custom_data/source").asText()).isEqualTo("relay");
                assertThat(event.at("/custom_data/day").asText()).isEqualTo("2026-11-22");
                assertThat(event.at("/custom_data/who").asText()).isEqualTo(event.at("/profile/external_id").asText());
            }
        }
        JsonNode hook = await("the hook's counts", Duration.ofSeconds(10), this::hook, h -> h.get("delivered").asLong() == 4);
        assertThat(hook.get("status").asText()).isEqualTo("Scheduled");
        assertThat(hook.get("dead_lettered").asLong()).isZero();
    }

    @Test
    void aTamperedBodyFailsTheIndependentSignatureCheck() throws Exception {
        importLogins();
        TestHttpReceiver.Request request = awaitRequests(1).get(0);
        TestHttpReceiver.Request tampered = new TestHttpReceiver.Request(request.headers(),
                request.body().replace("\"hook\":\"webhook\"", "\"hook\":\"webhooc\""));

        assertThat(signatureIsValid(request)).isTrue();
        assertThat(signatureIsValid(tampered)).isFalse();
    }

    @Test
    void a503ThenA200DeliversTheBatchOnceWithTheSameKey() throws Exception {
        receiver.answer(Answer.of(503));
        importLogins();

        List<TestHttpReceiver.Request> requests = awaitRequests(3);
        await("4 events delivered", Duration.ofSeconds(10), this::hook, h -> h.get("delivered").asLong() == 4);

        assertThat(requests.get(1).header("Idempotency-Key")).isEqualTo(requests.get(0).header("Idempotency-Key"));
        assertThat(JSON.readTree(requests.get(1).body()).get("events"))
                .isEqualTo(JSON.readTree(requests.get(0).body()).get("events"));
        Set<String> delivered = new TreeSet<>(receivedEventIds());
        assertThat(delivered).hasSize(4);
        assertThat(receivedEventIds()).hasSize(6);
        JsonNode errors = relay.getJson("/api/errors");
        assertThat(errors.get("errors").get(0).get("code").asText()).isEqualTo("http-503");
        assertThat(errors.get("errors").get(0).get("external_message").asText()).isEqualTo("status 503");
    }

    @Test
    void a400GoesToDeadLettersAtOnceAndAReplayKeepsIdsAndKey() throws Exception {
        receiver.answer(new Answer(400, null, null, "{\"error\": \"unknown field\"}"));
        importLoginsOnly(2);
        awaitRequests(1);
        JsonNode failed = await("the hook to fail", Duration.ofSeconds(10), this::hook,
                h -> h.get("dead_lettered").asLong() == 2);

        assertThat(failed.get("status").asText()).isEqualTo("Failed");
        assertThat(failed.at("/last_error/code").asText()).isEqualTo("http-400");
        assertThat(failed.at("/last_error/external_message").asText()).isEqualTo("{\"error\": \"unknown field\"}");
        JsonNode letters = relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters");
        assertThat(letters).hasSize(1);
        assertThat(letters.get(0).get("attempts").asInt()).isEqualTo(1);
        assertThat(letters.get(0).get("events").asInt()).isEqualTo(2);
        assertThat(receiver.requests()).hasSize(1);

        assertThat(relay.post("/api/dead-letters/" + letters.get(0).get("id").asLong() + "/replay").statusCode())
                .isEqualTo(202);
        List<TestHttpReceiver.Request> requests = awaitRequests(2);

        assertThat(requests.get(1).header("Idempotency-Key")).isEqualTo(requests.get(0).header("Idempotency-Key"));
        assertThat(receivedEventIds().subList(2, 4)).isEqualTo(receivedEventIds().subList(0, 2));
        JsonNode replayed = await("the replay to finish", Duration.ofSeconds(10),
                () -> relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters").get(0),
                l -> l.get("status").asText().equals("Replayed"));
        assertThat(replayed.get("replayed_at").asText()).endsWith("Z");
        assertThat(hook().get("dead_lettered").asLong()).isZero();
    }

    @Test
    void retriesFollowTheConfiguredCountThenTheBatchIsDeadLettered() throws Exception {
        config.put("relay.hook.webhook.retry.times", "2");
        receiver.answer(Answer.of(500), Answer.of(502), Answer.of(504), Answer.of(200));
        importLoginsOnly(2);

        JsonNode hook = await("a dead letter", Duration.ofSeconds(20), this::hook,
                h -> h.get("dead_lettered").asLong() == 2);

        assertThat(receiver.requests()).hasSize(3);
        JsonNode letter = relay.getJson("/api/dead-letters").get("dead_letters").get(0);
        assertThat(letter.get("attempts").asInt()).isEqualTo(3);
        assertThat(letter.at("/last_error/code").asText()).isEqualTo("http-504");
        assertThat(hook.get("delivered").asLong()).isZero();

        relay.post("/api/hooks/webhook/replay");
        awaitRequests(4);
        await("the replay to deliver", Duration.ofSeconds(10), this::hook, h -> h.get("delivered").asLong() == 2);
    }

    @Test
    void aRetryAfterLongerThanThePeriodIsHonoured() throws Exception {
        config.put("relay.hook.webhook.retry.period.seconds", "0.05");
        receiver.answer(new Answer(429, "Retry-After", "1", "slow down"));
        importLoginsOnly(2);

        List<TestHttpReceiver.Request> requests = awaitRequests(1);
        JsonNode waiting = await("the retry to be scheduled", Duration.ofSeconds(10), this::hook,
                h -> h.get("attempts").asInt() == 1);
        java.time.Instant due = java.time.Instant.parse(waiting.get("next_attempt_at").asText());
        java.time.Instant failedAt = java.time.Instant.parse(waiting.at("/last_error/date").asText());

        assertThat(Duration.between(failedAt, due)).isGreaterThanOrEqualTo(Duration.ofMillis(990));
        assertThat(requests).hasSize(1);
        awaitRequests(2);
    }

    @Test
    void aReceiverThatIsDownGetsEverythingOnceItIsUp() throws Exception {
        receiver.stop();
        config.put("relay.hook.webhook.retry.times", "100");
        config.put("relay.hook.webhook.retry.period.seconds", "0.1");
        importLogins();
        JsonNode failing = await("the hook to retry", Duration.ofSeconds(10), this::hook,
                h -> h.get("attempts").asInt() >= 2);
        assertThat(failing.get("status").asText()).isEqualTo("Error");
        assertThat(failing.get("retrying").asLong()).isEqualTo(2);
        assertThat(failing.at("/last_error/code").asText()).isEqualTo("connection-error");

        receiver.start();
        await("4 events delivered", Duration.ofSeconds(20), this::hook, h -> h.get("delivered").asLong() == 4);

        assertThat(new TreeSet<>(receivedEventIds())).hasSize(4);
    }

    @Test
    void eventsAcceptedBeforeAStopAreDeliveredAfterTheStart() throws Exception {
        receiver.stop();
        importLogins();
        await("the hook to retry", Duration.ofSeconds(10), this::hook, h -> h.get("attempts").asInt() >= 1);
        relay.stop();

        receiver.start();
        relay.start();

        await("4 events delivered", Duration.ofSeconds(20), this::hook, h -> h.get("delivered").asLong() == 4);
        assertThat(new TreeSet<>(receivedEventIds())).hasSize(4);
    }
}
