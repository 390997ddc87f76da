package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/ops-api.camel.yaml: each operation of the REST DSL reaches its route and bean, every route selects the
 * ops API's error policy, and run-now hands a recorded run to the run queue of its kind (seda:import-runs for an
 * SFTP import, seda:warehouse-runs for a sync), replaced here by mock endpoints.
 */
class OpsApiRouteTest extends RelayRouteTestSupport {

    private static final List<String> ROUTES = List.of("list-imports", "list-runs", "get-run", "run-errors-csv",
            "run-import-now", "list-hooks", "list-dead-letters", "get-dead-letter", "replay-dead-letter", "replay-hook", "list-errors");

    @Override
    protected List<String> routeFiles() {
        // the enabled default import and sync 'pos' need their templates; their schedules do not fire here
        return List.of("ops-api", "sftp-import", "warehouse-sync", ERROR_POLICY_FILE);
    }

    @Override
    protected void configure(Map<String, String> config) throws Exception {
        config.put("relay.import.default.enabled", "true");
        config.putAll(H2Warehouse.sync("pos", Files.createDirectories(dir.resolve("warehouse"))));
    }

    @ParameterizedTest(name = "{0} {1} reaches route {2} and answers {3}")
    @CsvSource({
            "GET,  /api/imports,                    list-imports,       200",
            "GET,  /api/imports/default/runs,       list-runs,          200",
            "GET,  /api/runs/0b6a8f6e-2c1d-4f3a-9e1b-7d2c5a4e3f10, get-run,   404",
            "GET,  /api/runs/0b6a8f6e-2c1d-4f3a-9e1b-7d2c5a4e3f10/errors.csv, run-errors-csv, 404",
            "GET,  /api/hooks,                      list-hooks,         200",
            "GET,  /api/dead-letters,               list-dead-letters,  200",
            "GET,  /api/errors,                     list-errors,        200",
            "POST, /api/imports/default/run,        run-import-now,     202",
            "GET,  /api/dead-letters/999,           get-dead-letter,    404",
            "POST, /api/dead-letters/999/replay,    replay-dead-letter, 404",
            "POST, /api/hooks/no-such-hook/replay,  replay-hook,        404",
    })
    void eachOperationReachesItsRoute(String method, String path, String routeId, int status) throws Exception {
        advise("run-import-now", a -> a.mockEndpointsAndSkip("seda:*"));
        startRelay();
        NotifyBuilder done = whenDone(routeId, 1);

        HttpResponse<String> answer = http(method, path);

        await(done, method + " " + path + " to pass through route " + routeId);
        assertThat(answer.statusCode()).as("%s %s: %s", method, path, answer.body()).isEqualTo(status);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
    }

    @Test
    void theImportListShowsTheImportsAndSyncs() throws Exception {
        startRelay();

        JsonNode list = json(http("GET", "/api/imports"));

        assertThat(list.get("imports").findValuesAsText("name")).contains("default", "pos", "manual");
    }

    @Test
    void runNowOfAnImportQueuesItsRunOnTheImportRunQueue() throws Exception {
        advise("run-import-now", a -> a.mockEndpointsAndSkip("seda:*"));
        startRelay();
        MockEndpoint imports = getMockEndpoint("mock:seda:import-runs");
        MockEndpoint warehouse = getMockEndpoint("mock:seda:warehouse-runs");
        imports.expectedMessageCount(1);
        imports.expectedHeaderReceived("relayRunKind", "sftp");
        warehouse.expectedMessageCount(0);

        HttpResponse<String> answer = http("POST", "/api/imports/default/run");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String runId = json(answer).get("run_id").asText();
        assertThat(json(answer).get("run").asText()).isEqualTo("/api/runs/" + runId);
        imports.expectedHeaderReceived("relayRunId", runId);
        MockEndpoint.assertIsSatisfied(context, WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(new RunStore(store()).find(runId)).hasValueSatisfying(run -> {
            assertThat(run.importName()).isEqualTo("default");
            assertThat(run.trigger()).isEqualTo("api");
        });
    }

    @Test
    void runNowOfASyncQueuesItsRunOnTheWarehouseRunQueue() throws Exception {
        advise("run-import-now", a -> a.mockEndpointsAndSkip("seda:*"));
        startRelay();
        MockEndpoint imports = getMockEndpoint("mock:seda:import-runs");
        MockEndpoint warehouse = getMockEndpoint("mock:seda:warehouse-runs");
        imports.expectedMessageCount(0);
        warehouse.expectedMessageCount(1);
        warehouse.expectedHeaderReceived("relayRunKind", "warehouse");

        HttpResponse<String> answer = http("POST", "/api/imports/pos/run");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        String runId = json(answer).get("run_id").asText();
        warehouse.expectedHeaderReceived("relayRunId", runId);
        MockEndpoint.assertIsSatisfied(context, WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
        assertThat(new RunStore(store()).find(runId)).map(Run::importName).hasValue("pos");
    }

    @Test
    void aRefusedRunNowQueuesNothing() throws Exception {
        advise("run-import-now", a -> a.mockEndpointsAndSkip("seda:*"));
        startRelay();
        MockEndpoint imports = getMockEndpoint("mock:seda:import-runs");
        imports.expectedMessageCount(1);
        // the refused request's tap, were there one, would arrive within this period after the accepted one
        imports.setAssertPeriod(200);

        HttpResponse<String> refused = http("POST", "/api/imports/manual/run");
        HttpResponse<String> accepted = http("POST", "/api/imports/default/run");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(409);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        imports.expectedHeaderReceived("relayRunId", json(accepted).get("run_id").asText());
        imports.assertIsSatisfied(WAIT.toMillis());
        assertThat(getMockEndpoint("mock:seda:warehouse-runs").getReceivedCounter()).isZero();
    }

    @Test
    void thePathParametersReachTheBeansAsHeaders() throws Exception {
        startRelay();
        String runId = new RunStore(store()).create("default", "sftp", "api", java.time.Instant.now());

        HttpResponse<String> run = http("GET", "/api/runs/" + runId);
        HttpResponse<String> runs = http("GET", "/api/imports/default/runs");

        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
        assertThat(json(run).get("id").asText()).isEqualTo(runId);
        assertThat(json(runs).toString()).contains(runId);
    }

    @Test
    void theErrorsOfARunAreAnsweredAsCsv() throws Exception {
        startRelay();
        String runId = new RunStore(store()).create("default", "sftp", "api", java.time.Instant.now());

        HttpResponse<String> answer = http("GET", "/api/runs/" + runId + "/errors.csv");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue(Exchange.CONTENT_TYPE)).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/csv"));
    }

    @Test
    void everyRouteSelectsTheOpsApiErrorPolicy() {
        for (String id : ROUTES) {
            assertThat(context.getRouteDefinition(id)).as("route %s", id).isNotNull();
            assertThat(context.getRouteDefinition(id).getRouteConfigurationId()).as("routeConfigurationId of %s", id)
                    .isEqualTo(OPS_API_ERRORS);
        }
    }

    @Test
    void aFailureInARouteIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("list-imports", "GET", "/api/imports");
    }
}
