package dev.eventrelay.routes;

import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import org.apache.camel.Exchange;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/run-recovery.camel.yaml: once at start, interruptedRuns.resume records a new run of every import and sync
 * whose run a stop interrupted, and the route queues each on the run queue of its kind with header relayRunId
 * (the queues are mock endpoints here). The interrupted runs are written to the store before start-up.
 */
class RunRecoveryRouteTest extends RelayRouteTestSupport {

    private boolean interruptBoth;

    @Override
    protected List<String> routeFiles() {
        // the templates of the default import and sync 'pos', which the recovered runs belong to
        return List.of("run-recovery", "sftp-import", "warehouse-sync");
    }

    @Override
    protected void configure(Map<String, String> config) throws Exception {
        config.put("relay.import.default.enabled", "true");
        config.putAll(H2Warehouse.sync("pos", Files.createDirectories(dir.resolve("warehouse"))));
        if (getCurrentTestName() == null || !getCurrentTestName().contains("Nothing")) {
            // runs a stop left under way, as the store holds them when the service starts again
            RunStore runs = new RunStore(store());
            runs.create("default", "sftp", "schedule", Instant.now());
            runs.create("pos", "warehouse", "schedule", Instant.now());
            interruptBoth = true;
        }
    }

    @Test
    void eachInterruptedImportAndSyncGetsANewRunOnItsQueue() throws Exception {
        assertThat(interruptBoth).isTrue();
        advise("queue-runs", a -> a.mockEndpointsAndSkip("seda:*"));
        MockEndpoint imports = getMockEndpoint("mock:seda:import-runs");
        MockEndpoint warehouse = getMockEndpoint("mock:seda:warehouse-runs");
        imports.expectedMessageCount(1);
        warehouse.expectedMessageCount(1);

        startRelay();

        MockEndpoint.assertIsSatisfied(context, WAIT.toSeconds(), TimeUnit.SECONDS);
        assertRecoveryRun(imports.getReceivedExchanges().get(0), "default", "sftp");
        assertRecoveryRun(warehouse.getReceivedExchanges().get(0), "pos", "warehouse");
    }

    @Test
    void theRouteRunsOnceRightAfterStart() {
        TimerEndpoint timer = context.getEndpoint("timer:run-recovery?repeatCount=1&delay=0", TimerEndpoint.class);
        assertThat(context.getRouteDefinition("run-recovery").getInput().getEndpointUri()).startsWith("timer:run-recovery");
        assertThat(timer.getRepeatCount()).isEqualTo(1);
        assertThat(timer.getDelay()).isZero();
    }

    @Test
    void withNothingInterruptedNothingIsQueued() throws Exception {
        advise("queue-runs", a -> a.mockEndpointsAndSkip("seda:*"));
        NotifyBuilder done = whenDone("run-recovery", 1);

        startRelay();

        await(done, "route run-recovery to run once");
        // the queues are called inside the route (through direct:queue-runs), so its exchange is done after every send
        assertThat(getMockEndpoint("mock:seda:import-runs").getReceivedCounter()).isZero();
        assertThat(getMockEndpoint("mock:seda:warehouse-runs").getReceivedCounter()).isZero();
    }

    private void assertRecoveryRun(Exchange queued, String name, String kind) {
        String runId = queued.getMessage().getHeader("relayRunId", String.class);
        assertThat(runId).as("relayRunId of the %s run", name).isNotBlank();
        assertThat(queued.getMessage().getBody(Map.class)).containsEntry("runId", runId).containsEntry("kind", kind);
        Run run = new RunStore(store()).find(runId).orElseThrow();
        assertThat(run.importName()).isEqualTo(name);
        assertThat(run.trigger()).isEqualTo("recovery");
    }
}
