package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.state.ImportStates;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/import-control.camel.yaml: POST /api/imports/{name}/pause and /resume reach routes pause-import and
 * resume-import, which call importControl.pause and .resume; the pause is kept in the state store.
 */
class ImportControlRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        // sftp-import: the enabled default import needs its template (its daily schedule does not fire here)
        return List.of("import-control", "sftp-import", ERROR_POLICY_FILE);
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.import.default.enabled", "true");
    }

    @Test
    void pauseKeepsThePauseWithItsReasonAndAnswersTheImportPaused() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("pause-import", 1);

        HttpResponse<String> answer = http("POST", "/api/imports/default/pause?reason=partner%20maintenance");

        await(done, "the request to pass through route pause-import");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode item = json(answer);
        assertThat(item.get("name").asText()).isEqualTo("default");
        assertThat(item.get("status").asText()).isEqualTo("Paused");
        assertThat(item.get("paused_reason").asText()).isEqualTo("partner maintenance");
        assertThat(new ImportStates(store()).paused("default"))
                .hasValueSatisfying(pause -> assertThat(pause.reason()).isEqualTo("partner maintenance"));
    }

    @Test
    void resumeLiftsThePause() throws Exception {
        startRelay();
        assertThat(http("POST", "/api/imports/default/pause").statusCode()).isEqualTo(200);
        NotifyBuilder done = whenDone("resume-import", 1);

        HttpResponse<String> answer = http("POST", "/api/imports/default/resume");

        await(done, "the request to pass through route resume-import");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).get("status").asText()).isEqualTo("Launched");
        assertThat(new ImportStates(store()).paused("default")).isEmpty();
    }

    @Test
    void theNameInThePathReachesTheBean() throws Exception {
        startRelay();

        HttpResponse<String> answer = http("POST", "/api/imports/no-such-import/pause");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(json(answer).get("error").asText()).contains("no-such-import");
    }

    @Test
    void aFailureInPauseIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("pause-import", "POST", "/api/imports/default/pause");
    }

    @Test
    void aFailureInResumeIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("resume-import", "POST", "/api/imports/default/resume");
    }
}
