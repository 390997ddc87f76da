package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/health.camel.yaml: GET /health reaches route health, which answers through relayHealth.health. */
class HealthRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("health", ERROR_POLICY_FILE);
    }

    @Test
    void getHealthIsAnsweredByTheHealthRouteWithUpAndEveryImport() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("health", 1);

        HttpResponse<String> answer = http("GET", "/health");

        await(done, "GET /health to pass through route health");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode health = json(answer);
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("down")).isEmpty();
        assertThat(health.get("checks").get("state_store").get("status").asText()).isEqualTo("UP");
        assertThat(health.get("checks").has("import:default")).as(answer.body()).isTrue();
        String self = health.get("instance").asText();
        assertThat(self).as(answer.body()).isNotBlank();
        assertThat(health.get("instances")).as(answer.body()).anySatisfy(instance -> {
            assertThat(instance.get("id").asText()).isEqualTo(self);
            assertThat(instance.get("self").asBoolean()).isTrue();
        });
    }

    @Test
    void healthNeedsNoTokenAndTakesGetOnly() throws Exception {
        startRelay();

        assertThat(http("POST", "/health").statusCode()).isEqualTo(405);
    }

    @Test
    void aFailureInTheHealthRouteIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("health", "GET", "/health");
    }
}
