package dev.eventrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hook controls of issue 14 through the ops API, against a real webhook receiver: pause and resume across a
 * restart, test events, rate limits and batches in flight measured by the receiver's arrival times, the circuit
 * breaker, 410 Gone, the receiver's no-retry header, the attempts list, recovery of dead letters since a time, and
 * the start-up refusal of private targets. Events come in through uploads to the shipped {@code manual} import.
 * Subclasses pick the store.
 */
@Slow
abstract class HookControlsFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestHttpReceiver receiver;
    RelayUnderTest relay;
    Map<String, String> config;

    abstract String newStoreUrl() throws Exception;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
        config = new LinkedHashMap<>();
        config.put("relay.store.url", newStoreUrl());
        config.put("relay.import.default.enabled", "false");
        config.put("relay.import.default.sftp.private-key-file", "");
        config.put("relay.import.default.sftp.password", "unused-sftp-password");
        config.put("relay.import.default.sftp.strict-host-key-checking", "false");
        // the shipped file hook is the witness: once it has an upload's events, they are published to every hook
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.put("relay.hook.webhook.destination", "http");
        config.put("relay.hook.webhook.http.url", receiver.url());
        config.put("relay.hook.webhook.batch.max-events", "2");
        config.put("relay.hook.webhook.batch.max-wait.seconds", "0.05");
        config.put("relay.hook.webhook.retry.period.seconds", "0.1");
        config.put("relay.hook.webhook.custom-data", "{\"day\": \"{{event_date_ymd}}\", \"type\": \"{{event_type}}\"}");
    }

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
        receiver.close();
    }

    private void start() throws Exception {
        relay = new RelayUnderTest(config).start();
    }

    /** Uploads {@code rows} signup events of customers 1..keys (round robin) and waits until they are published. */
    private void upload(String fileName, int rows, int keys, int alreadyPublished) throws Exception {
        StringBuilder csv = new StringBuilder("event,customer_id,note\n");
        for (int i = 1; i <= rows; i++) {
            csv.append("signup,").append((i - 1) % keys + 1).append(",row ").append(i).append('\n');
        }
        HttpResponse<String> answer = HTTP_1_1.send(HttpRequest.newBuilder(relay.uri(
                "/api/imports/manual/upload?file_name=" + fileName)).header("Content-Type", "text/csv")
                .POST(HttpRequest.BodyPublishers.ofString(csv.toString(), StandardCharsets.UTF_8)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        Outbox.await(dir.resolve("outbox"), alreadyPublished + rows);
    }

    private HttpResponse<String> post(String path) throws Exception {
        return relay.post(path);
    }

    private JsonNode hook() throws Exception {
        return relay.hook("webhook");
    }

    private JsonNode awaitHook(String what, java.util.function.Predicate<JsonNode> done) throws Exception {
        return await(what, WAIT, this::hook, done);
    }

    private List<TestHttpReceiver.Request> awaitRequests(int count) throws Exception {
        return await(count + " requests at the receiver", WAIT, receiver::requests, r -> r.size() >= count);
    }

    /** The events received, in arrival order. */
    private List<JsonNode> receivedEvents() throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (TestHttpReceiver.Request request : byArrival(receiver.requests())) {
            JSON.readTree(request.body()).get("events").forEach(events::add);
        }
        return events;
    }

    private static List<TestHttpReceiver.Request> byArrival(List<TestHttpReceiver.Request> requests) {
        List<TestHttpReceiver.Request> sorted = new ArrayList<>(requests);
        sorted.sort(Comparator.comparingLong(TestHttpReceiver.Request::arrivedNanos));
        return sorted;
    }

    private static int events(TestHttpReceiver.Request request) throws Exception {
        return JSON.readTree(request.body()).get("events").size();
    }

    private List<JsonNode> errorsWithCode(String code) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode error : relay.getJson("/api/errors").get("errors")) {
            if (error.get("code").asText().equals(code)) {
                found.add(error);
            }
        }
        return found;
    }

    /**
     * The receiver never got more than {@code perSecond} units per second beyond one second's burst: for every
     * arrival, the units that arrived up to it are at most perSecond × (its time − the first arrival) + the burst
     * + {@code slack}. A service without the limit sends a backlog in a fraction of that time.
     */
    private static void assertRate(List<TestHttpReceiver.Request> requests, int perSecond, boolean countEvents,
                                   int slack) throws Exception {
        List<TestHttpReceiver.Request> sorted = byArrival(requests);
        long first = sorted.get(0).arrivedNanos();
        int units = 0;
        for (TestHttpReceiver.Request request : sorted) {
            units += countEvents ? events(request) : 1;
            double seconds = (request.arrivedNanos() - first) / 1e9;
            assertThat((double) units).as("units received %.3f s after the first arrival", seconds)
                    .isLessThanOrEqualTo(perSecond * seconds + perSecond + slack);
        }
    }

    @Test
    void aPausedHookKeepsItsPositionAcrossARestartAndDeliversWhatWaitedOnceResumed() throws Exception {
        start();
        HttpResponse<String> paused = post("/api/hooks/webhook/pause?reason=receiver%20maintenance");
        assertThat(paused.statusCode()).as(paused.body()).isEqualTo(200);
        assertThat(JSON.readTree(paused.body()).get("status").asText()).isEqualTo("Paused");
        assertThat(JSON.readTree(paused.body()).get("paused_reason").asText()).isEqualTo("receiver maintenance");

        upload("waiting.csv", 3, 3, 0);
        relay.close();
        start();

        JsonNode hook = hook();
        assertThat(hook.get("status").asText()).isEqualTo("Paused");
        assertThat(hook.get("paused_reason").asText()).isEqualTo("receiver maintenance");
        assertThat(receiver.requests()).as("requests while paused").isEmpty();
        assertThat(hook.get("delivered").asLong()).isZero();

        HttpResponse<String> resumed = post("/api/hooks/webhook/resume");
        assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
        assertThat(JSON.readTree(resumed.body()).get("status").asText()).isEqualTo("Scheduled");
        awaitHook("the 3 waiting events delivered", h -> h.get("delivered").asLong() == 3);
        assertThat(receivedEvents()).extracting(e -> e.at("/profile/customer_id").asText())
                .containsExactly("1", "2", "3");
    }

    @Test
    void aTestEventGoesThroughTheRealTemplateAndDestinationAndIsNeverCountedAsADelivery() throws Exception {
        start();

        HttpResponse<String> tested = post("/api/hooks/webhook/test?event_type=Purchase");

        assertThat(tested.statusCode()).as(tested.body()).isEqualTo(200);
        JsonNode answer = JSON.readTree(tested.body());
        assertThat(answer.get("delivered").asBoolean()).isTrue();
        assertThat(answer.get("status").asText()).isEqualTo("HTTP 200");
        assertThat(answer.get("answer").asText()).isEqualTo("status 200");
        assertThat(answer.get("latency_ms").asLong()).isNotNegative();
        assertThat(answer.get("error").isNull()).isTrue();
        List<TestHttpReceiver.Request> requests = awaitRequests(1);
        JsonNode batch = JSON.readTree(requests.get(0).body());
        assertThat(requests.get(0).header("Idempotency-Key")).isEqualTo(answer.get("batch_id").asText());
        JsonNode event = batch.get("events").get(0);
        assertThat(event.get("test").asBoolean()).isTrue();
        assertThat(event.get("event_id").asText()).isEqualTo(answer.get("event_id").asText());
        assertThat(event.get("event_type").asText()).isEqualTo("Purchase");
        assertThat(event.get("hook").asText()).isEqualTo("webhook");
        assertThat(event.at("/custom_data/type").asText()).isEqualTo("Purchase");
        assertThat(event.at("/custom_data/day").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(event.at("/properties/amount").isNumber()).isTrue();
        assertThat(event.at("/properties/paid").asBoolean()).isTrue();
        assertThat(event.at("/properties/store/city").isTextual()).isTrue();
        assertThat(event.at("/origin/kind").asText()).isEqualTo("system");

        receiver.answer(Answer.of(503));
        JsonNode failed = JSON.readTree(post("/api/hooks/webhook/test?event_type=UDE_1JIJANUWB").body());
        assertThat(failed.get("delivered").asBoolean()).isFalse();
        assertThat(failed.get("status").asText()).isEqualTo("HTTP 503");
        assertThat(failed.get("error").asText()).contains("503");

        JsonNode hook = hook();
        assertThat(hook.get("delivered").asLong()).isZero();
        assertThat(hook.get("status").asText()).isEqualTo("Scheduled");
        JsonNode attempts = relay.getJson("/api/hooks/webhook/attempts").get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("test").asBoolean()).isTrue();
        assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("Failed");
        assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("Delivered");
        HttpResponse<String> unknown = post("/api/hooks/webhook/test?event_type=Refund");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("Refund").contains("Purchase").contains("Login");
        assertThat(post("/api/hooks/no-such-hook/test?event_type=Purchase").statusCode()).isEqualTo(404);
    }

    @Test
    void theEventsPerSecondLimitHoldsUnderABacklog() throws Exception {
        config.put("relay.hook.webhook.rate.events-per-second", "20");
        config.put("relay.hook.webhook.batch.max-events", "5");
        start();
        assertThat(post("/api/hooks/webhook/pause").statusCode()).isEqualTo(200);
        upload("backlog.csv", 60, 60, 0);

        assertThat(post("/api/hooks/webhook/resume").statusCode()).isEqualTo(200);

        awaitHook("the backlog delivered", h -> h.get("delivered").asLong() == 60);
        List<TestHttpReceiver.Request> requests = receiver.requests();
        assertThat(receivedEvents()).hasSize(60);
        assertRate(requests, 20, true, 10);
        List<TestHttpReceiver.Request> sorted = byArrival(requests);
        assertThat((sorted.get(sorted.size() - 1).arrivedNanos() - sorted.get(0).arrivedNanos()) / 1e9)
                .as("seconds from the first arrival to the last").isGreaterThanOrEqualTo((60 - 20 - 10) / 20.0);
    }

    @Test
    void theRequestsPerSecondLimitHoldsUnderABacklog() throws Exception {
        config.put("relay.hook.webhook.http.requests-per-second", "2");
        config.put("relay.hook.webhook.batch.max-events", "1");
        start();
        assertThat(post("/api/hooks/webhook/pause").statusCode()).isEqualTo(200);
        upload("backlog.csv", 16, 16, 0);

        assertThat(post("/api/hooks/webhook/resume").statusCode()).isEqualTo(200);

        awaitHook("the backlog delivered", h -> h.get("delivered").asLong() == 16);
        assertThat(receiver.requests()).hasSize(16);
        assertRate(receiver.requests(), 2, false, 2);
    }

    @Test
    void severalBatchesAreInFlightAtOnceAndEachProfileKeepsItsOrder() throws Exception {
        config.put("relay.hook.webhook.http.in-flight", "3");
        config.put("relay.hook.webhook.batch.max-events", "4");
        receiver.holdUntilAtOnce(2, Duration.ofSeconds(2));
        start();
        assertThat(post("/api/hooks/webhook/pause").statusCode()).isEqualTo(200);
        upload("profiles.csv", 36, 6, 0);

        assertThat(post("/api/hooks/webhook/resume").statusCode()).isEqualTo(200);

        awaitHook("36 events delivered", h -> h.get("delivered").asLong() == 36);
        assertThat(receiver.mostAtOnce()).as("requests the receiver held at once").isGreaterThanOrEqualTo(2);
        List<JsonNode> events = receivedEvents();
        assertThat(events).extracting(e -> e.get("event_id").asText()).hasSize(36).doesNotHaveDuplicates();
        Map<String, List<Long>> rowsByProfile = new LinkedHashMap<>();
        for (JsonNode event : events) {
            rowsByProfile.computeIfAbsent(event.at("/profile/customer_id").asText(), k -> new ArrayList<>())
                    .add(event.at("/origin/row").asLong());
        }
        assertThat(rowsByProfile).hasSize(6);
        rowsByProfile.forEach((profile, rows) -> assertThat(rows).as("rows of profile %s in arrival order", profile)
                .hasSize(6).isSorted());
        Set<String> keys = new HashSet<>();
        receiver.requests().forEach(r -> keys.add(r.header("Idempotency-Key")));
        assertThat(keys).as("one idempotency key per request").hasSize(receiver.requests().size());
    }

    @Test
    void theCircuitOpensAfterNFailuresProbesOncePerIntervalAndClosesOnTheFirstSuccess() throws Exception {
        config.put("relay.hook.webhook.circuit.failures", "3");
        config.put("relay.hook.webhook.circuit.probe-interval.seconds", "1");
        config.put("relay.hook.webhook.retry.times", "10");
        config.put("relay.hook.webhook.retry.period.seconds", "0.05");
        receiver.answer(Answer.of(503), Answer.of(503), Answer.of(503), Answer.of(503), Answer.of(503));
        start();

        upload("one.csv", 1, 1, 0);

        JsonNode open = awaitHook("the circuit open", h -> h.at("/circuit/state").asText().equals("Open"));
        assertThat(open.get("status").asText()).isEqualTo("Failed");
        assertThat(open.at("/circuit/reason").asText()).contains("3 consecutive failed attempt(s)");
        awaitHook("the probe delivered", h -> h.get("delivered").asLong() == 1);
        List<TestHttpReceiver.Request> requests = byArrival(receiver.requests());
        assertThat(requests).hasSize(6);
        for (int i = 3; i < 6; i++) {
            assertThat((requests.get(i).arrivedNanos() - requests.get(i - 1).arrivedNanos()) / 1e6)
                    .as("ms between attempt %d and probe %d", i, i + 1).isGreaterThanOrEqualTo(950);
        }
        JsonNode closed = hook();
        assertThat(closed.get("status").asText()).isEqualTo("Scheduled");
        assertThat(closed.at("/circuit/state").asText()).isEqualTo("Closed");
        assertThat(errorsWithCode("hook-circuit-open")).hasSize(1);
        assertThat(errorsWithCode("hook-circuit-closed")).hasSize(1);
        String metrics = relay.get("/metrics").body();
        assertThat(metrics).contains("relay_hook_circuit_transitions_total{hook=\"webhook\",to=\"open\"} 1.0")
                .contains("relay_hook_circuit_transitions_total{hook=\"webhook\",to=\"closed\"} 1.0");
    }

    @Test
    void a410GoneDisablesTheHookAtOnceAndResumeSendsTheSameBatchAgain() throws Exception {
        config.put("relay.hook.webhook.retry.times", "10");
        receiver.answer(Answer.of(410));
        start();

        upload("two.csv", 2, 2, 0);

        JsonNode disabled = awaitHook("the hook disabled", h -> h.get("status").asText().equals("Disabled"));
        assertThat(disabled.at("/circuit/state").asText()).isEqualTo("Disabled");
        assertThat(disabled.at("/circuit/reason").asText()).contains("410");
        assertThat(disabled.get("dead_lettered").asLong()).isZero();
        assertThat(receiver.requests()).hasSize(1);
        assertThat(errorsWithCode("hook-disabled")).hasSize(1);

        assertThat(post("/api/hooks/webhook/resume").statusCode()).isEqualTo(200);

        awaitHook("the batch delivered", h -> h.get("delivered").asLong() == 2);
        List<TestHttpReceiver.Request> requests = byArrival(receiver.requests());
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).header("Idempotency-Key")).isEqualTo(requests.get(0).header("Idempotency-Key"));
    }

    @Test
    void theNoRetryHeaderDeadLettersTheBatchAtOnceAndTheAttemptsSayWhatTheReceiverAnswered() throws Exception {
        config.put("relay.hook.webhook.retry.times", "4");
        receiver.answer(new Answer(503, DeliveryFailure.NO_RETRY_HEADER, "true", "duplicate batch, do not retry"));
        start();

        upload("two.csv", 2, 2, 0);
        awaitHook("the batch dead-lettered", h -> h.get("dead_lettered").asLong() == 2);
        upload("next.csv", 1, 1, 2);
        awaitHook("the next batch delivered", h -> h.get("delivered").asLong() == 1);

        assertThat(receiver.requests()).hasSize(2);
        JsonNode attempts = relay.getJson("/api/hooks/webhook/attempts").get("attempts");
        assertThat(attempts).hasSize(2);
        JsonNode delivered = attempts.get(0);
        JsonNode failed = attempts.get(1);
        assertThat(delivered.get("outcome").asText()).isEqualTo("Delivered");
        assertThat(delivered.get("status").asText()).isEqualTo("HTTP 200");
        assertThat(failed.get("outcome").asText()).isEqualTo("Failed");
        assertThat(failed.get("status").asText()).isEqualTo("HTTP 503");
        assertThat(failed.get("answer").asText()).isEqualTo("duplicate batch, do not retry");
        assertThat(failed.get("events").asInt()).isEqualTo(2);
        assertThat(failed.get("duration_ms").asLong()).isNotNegative();
        assertThat(failed.get("test").asBoolean()).isFalse();
        assertThat(Instant.parse(failed.get("time").asText())).isBeforeOrEqualTo(Instant.parse(delivered.get("time").asText()));
        JsonNode letter = relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters").get(0);
        assertThat(failed.get("batch_id").asText()).isEqualTo(letter.get("batch_id").asText());
        assertThat(letter.get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void recoverReplaysOnlyTheDeadLettersSinceTheGivenTime() throws Exception {
        config.put("relay.hook.webhook.retry.times", "0");
        receiver.answer(Answer.of(400));
        start();
        upload("early.csv", 1, 1, 0);
        awaitHook("the early batch dead-lettered", h -> h.get("dead_lettered").asLong() == 1);
        Instant between = Instant.now();
        await("the clock past the early dead letter", WAIT, Instant::now, now -> now.isAfter(between));
        receiver.answer(Answer.of(400));
        upload("late.csv", 1, 1, 1);
        awaitHook("the late batch dead-lettered", h -> h.get("dead_lettered").asLong() == 2);

        HttpResponse<String> recovered = post("/api/hooks/webhook/recover?since=" + between);

        assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(202);
        assertThat(JSON.readTree(recovered.body()).get("replaying").asInt()).isEqualTo(1);
        awaitHook("the late batch delivered", h -> h.get("delivered").asLong() == 1);
        List<TestHttpReceiver.Request> requests = byArrival(receiver.requests());
        assertThat(requests).hasSize(3);
        assertThat(requests.get(2).header("Idempotency-Key")).isEqualTo(requests.get(1).header("Idempotency-Key"));
        JsonNode letters = relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters");
        assertThat(letters).extracting(l -> l.get("status").asText()).containsExactly("Replayed", "Dead");
        assertThat(post("/api/hooks/webhook/recover?since=yesterday").statusCode()).isEqualTo(400);
    }

    @Test
    void aLoopbackTargetIsRefusedAtStartUpUnlessPrivateTargetsAreAllowed() throws Exception {
        config.put(PrivateTargets.KEY, "false");
        config.put("relay.hook.orders-webhook.enabled", "false");

        assertThatThrownBy(this::start).hasStackTraceContaining("relay.hook.webhook.http.url")
                .hasStackTraceContaining(PrivateTargets.KEY);
    }
}
