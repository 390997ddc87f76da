package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.state.Instances;
import dev.eventrelay.state.RunStore;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/instances-api.camel.yaml: GET /api/instances reaches route list-instances, which answers through
 * instancesApi.list: the live instances of the store (this one, marked self, and another live one; not an expired
 * one), each with its lease and the runs under way it owns.
 */
class InstancesApiRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("instances-api", ERROR_POLICY_FILE);
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.instance.id", "api-test-1");
    }

    @Test
    void theLiveInstancesAreListedWithTheirLeaseAndTheRunsTheyOwn() throws Exception {
        startRelay();
        new Instances(store(), "api-test-2", "other-host", 42, Duration.ofSeconds(60), Clock.systemUTC()).register();
        new Instances(store(), "api-test-gone", "gone-host", 43, Duration.ofSeconds(2),
                Clock.fixed(Instant.now().minusSeconds(60), ZoneOffset.UTC)).register();
        String runId = new RunStore(store()).tryCreate("orders", "sftp", "api", "api-test-2", false, Instant.now())
                .runId();
        NotifyBuilder done = whenDone("list-instances", 1);

        HttpResponse<String> answer = http("GET", "/api/instances");

        await(done, "GET /api/instances to pass through route list-instances");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode instances = json(answer).get("instances");
        assertThat(instances).extracting(i -> i.get("id").asText()).containsExactly("api-test-1", "api-test-2");
        JsonNode self = instances.get(0);
        assertThat(self.get("self").asBoolean()).isTrue();
        assertThat(self.get("lease_seconds").asInt()).isEqualTo(30);
        assertThat(self.get("lease_age_seconds").asDouble()).isBetween(0.0, 30.0);
        assertThat(self.get("owns").get("runs")).isEmpty();
        assertThat(self.get("owns").get("hooks")).isEmpty();
        JsonNode other = instances.get(1);
        assertThat(other.get("self").asBoolean()).isFalse();
        assertThat(other.get("host").asText()).isEqualTo("other-host");
        assertThat(other.get("pid").asLong()).isEqualTo(42);
        assertThat(other.get("owns").get("runs")).singleElement().satisfies(run -> {
            assertThat(run.get("run_id").asText()).isEqualTo(runId);
            assertThat(run.get("name").asText()).isEqualTo("orders");
            assertThat(run.get("kind").asText()).isEqualTo("sftp");
        });
    }

    @Test
    void aFailureInTheRouteIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("list-instances", "GET", "/api/instances");
    }
}
