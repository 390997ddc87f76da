package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The http destination's sink ({@code routes/hook-sink-http.camel.yaml}) behind the real hook route. */
class HttpSinkRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    private TestHttpReceiver receiver;
    private HookRoutes routes;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
    }

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.close();
        }
        receiver.close();
    }

    private HookRoutes hook() throws Exception {
        return new HookRoutes(dir, Map.of("destination", "http", "http.url", receiver.url(),
                "batch.max-events", "10", "retry.times", "4", "retry.period.seconds", "3600")).start();
    }

    @Test
    void aBatchIsPostedAsOneJsonBodyWithItsIdempotencyKey() throws Exception {
        routes = hook();
        List<String> ids = routes.publish(3, "Purchase");

        List<TestHttpReceiver.Request> requests = RelayUnderTest.await("a POST", Duration.ofSeconds(20),
                receiver::requests, r -> !r.isEmpty());
        JsonNode body = JSON.readTree(requests.get(0).body());
        assertThat(body.get("hook").asText()).isEqualTo(HookRoutes.HOOK);
        assertThat(body.get("events")).extracting(e -> e.get("event_id").asText()).containsExactlyElementsOf(ids);
        assertThat(requests.get(0).header("Idempotency-Key")).isEqualTo(body.get("batch_id").asText());
        assertThat(requests.get(0).header("Content-Type")).startsWith("application/json");
        routes.awaitState("3 events delivered", s -> s.delivered() == 3);
    }

    @Test
    void aServerErrorIsRetriedLater() throws Exception {
        receiver.answer(Answer.of(503));
        routes = hook();
        routes.publish(2, "Purchase");

        var state = routes.awaitState("a retry scheduled", s -> s.attempts() == 1);
        assertThat(state.pendingEvents()).isEqualTo(2);
        assertThat(state.lastErrorCode()).contains("503");
        assertThat(routes.deadLetters()).isEmpty();
    }

    @Test
    void aClientErrorSendsTheBatchToDeadLettersAtOnce() throws Exception {
        receiver.answer(Answer.of(400));
        routes = hook();
        List<String> ids = routes.publish(2, "Purchase");

        routes.awaitState("the batch dead-lettered", s -> s.deadLettered() == 1);
        assertThat(routes.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.attempts()).isEqualTo(1);
            assertThat(letter.payload()).contains(ids.get(0), ids.get(1));
        });
        assertThat(routes.state().retrying()).isFalse();
    }
}
