package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.support.Outbox;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/hook-control.camel.yaml: POST /api/hooks/{name}/pause, /resume, /test, /recover and GET .../attempts reach
 * routes pause-hook, resume-hook, test-hook, recover-hook and list-hook-attempts, which call hookControl; the pause
 * is kept in the state store, and a test event goes through the hook's real sink (the shipped file hook here).
 */
class HookControlRouteTest extends RelayRouteTestSupport {

    private static final String HOOK = "all-events";

    @Override
    protected List<String> routeFiles() {
        // the enabled file hook needs its templates: its delivery loop and its sink
        return List.of("hook-control", "hook", "hook-errors", "hook-sink-file", ERROR_POLICY_FILE);
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.hook.all-events.enabled", "true");
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
    }

    @Test
    void pauseKeepsThePauseWithItsReasonAndAnswersTheHookPaused() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("pause-hook", 1);

        HttpResponse<String> answer = http("POST", "/api/hooks/" + HOOK + "/pause?reason=audit%20freeze");

        await(done, "the request to pass through route pause-hook");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).get("status").asText()).isEqualTo("Paused");
        assertThat(json(answer).get("paused_reason").asText()).isEqualTo("audit freeze");
        HookStates.State state = new HookStates(store()).get(HOOK);
        assertThat(state.paused()).isTrue();
        assertThat(state.pauseReason()).isEqualTo("audit freeze");
    }

    @Test
    void resumeLiftsThePause() throws Exception {
        startRelay();
        assertThat(http("POST", "/api/hooks/" + HOOK + "/pause").statusCode()).isEqualTo(200);
        NotifyBuilder done = whenDone("resume-hook", 1);

        HttpResponse<String> answer = http("POST", "/api/hooks/" + HOOK + "/resume");

        await(done, "the request to pass through route resume-hook");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).get("status").asText()).isEqualTo("Scheduled");
        assertThat(new HookStates(store()).get(HOOK).paused()).isFalse();
    }

    @Test
    void aTestEventReachesTheHooksSinkAndIsListedAsATestAttempt() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("test-hook", 1);

        HttpResponse<String> answer = http("POST", "/api/hooks/" + HOOK + "/test?event_type=Login");

        await(done, "the request to pass through route test-hook");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).get("delivered").asBoolean()).isTrue();
        assertThat(json(answer).get("status").asText()).isEqualTo("written");
        List<JsonNode> lines = Outbox.await(dir.resolve("outbox"), 1);
        assertThat(lines.get(0).get("test").asBoolean()).isTrue();
        assertThat(lines.get(0).get("event_type").asText()).isEqualTo("Login");
        assertThat(lines.get(0).at("/properties/first_login").asBoolean()).isTrue();

        HttpResponse<String> attempts = http("GET", "/api/hooks/" + HOOK + "/attempts");
        assertThat(attempts.statusCode()).as(attempts.body()).isEqualTo(200);
        assertThat(json(attempts).get("attempts")).singleElement()
                .satisfies(a -> assertThat(a.get("test").asBoolean()).isTrue());
        assertThat(new HookStates(store()).get(HOOK).delivered()).isZero();
    }

    @Test
    void recoverNeedsAnRfc3339TimeAndAnswersHowManyItQueued() throws Exception {
        startRelay();

        HttpResponse<String> bad = http("POST", "/api/hooks/" + HOOK + "/recover?since=last%20night");
        HttpResponse<String> good = http("POST", "/api/hooks/" + HOOK + "/recover?since=2026-11-22T08:00:00Z");

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(json(bad).get("error").asText()).contains("since").contains("last night");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(202);
        assertThat(json(good).get("replaying").asInt()).isZero();
        assertThat(json(good).get("since").asText()).isEqualTo("2026-11-22T08:00:00Z");
    }

    @Test
    void theNameInThePathReachesTheBean() throws Exception {
        startRelay();

        HttpResponse<String> answer = http("POST", "/api/hooks/no-such-hook/pause");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(json(answer).get("error").asText()).contains("no-such-hook");
    }

    @Test
    void aFailureInPauseIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("pause-hook", "POST", "/api/hooks/" + HOOK + "/pause");
    }

    @Test
    void aFailureInResumeIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("resume-hook", "POST", "/api/hooks/" + HOOK + "/resume");
    }

    @Test
    void aFailureInTestIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("test-hook", "POST", "/api/hooks/" + HOOK + "/test?event_type=Login");
    }

    @Test
    void aFailureInRecoverIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("recover-hook", "POST", "/api/hooks/" + HOOK + "/recover?since=2026-11-22T08:00:00Z");
    }

    @Test
    void aFailureInAttemptsIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("list-hook-attempts", "GET", "/api/hooks/" + HOOK + "/attempts");
    }
}
