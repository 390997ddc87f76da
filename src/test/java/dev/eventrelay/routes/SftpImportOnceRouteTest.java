package dev.eventrelay.routes;

import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/sftp-import-once.camel.yaml: a one-time import (schedule = once) gets route sftp-import-&lt;name&gt; from this
 * template, which records one run when the service starts (sftpImports.startOnce) and queues it with header
 * relayRunId on seda:import-runs (a mock here); a paused import queues nothing, a Completed one gets no route, and
 * one that another instance completed after this one made the route records and queues nothing either.
 */
class SftpImportOnceRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("sftp-import-once");
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.import.default.enabled", "true");
        config.put("relay.import.default.schedule", "once");
        String test = getCurrentTestName();
        if (test != null && test.contains("Completed")) {
            // a run of the import ended Processed before this start
            RunStore runs = new RunStore(store());
            String runId = runs.create("default", "sftp", "schedule", Instant.now());
            runs.processing(runId, Instant.now());
            runs.finished(runId, Instant.now());
        }
    }

    @Test
    void theImportRecordsOneRunAtStartAndQueuesIt() throws Exception {
        advise("sftp-import-default", a -> a.mockEndpointsAndSkip("seda:import-runs"));
        MockEndpoint queue = getMockEndpoint("mock:seda:import-runs");
        queue.expectedMessageCount(1);

        startRelay();

        queue.assertIsSatisfied(WAIT.toMillis());
        String runId = queue.getReceivedExchanges().get(0).getMessage().getHeader("relayRunId", String.class);
        Run run = new RunStore(store()).find(runId).orElseThrow();
        assertThat(run.importName()).isEqualTo("default");
        assertThat(run.trigger()).isEqualTo("schedule");
    }

    @Test
    void theRouteIsATimerThatFiresOnce() {
        startRelay();

        Route route = context.getRoute("sftp-import-default");
        assertThat(route).isNotNull();
        assertThat(route.getEndpoint()).isInstanceOf(TimerEndpoint.class);
        assertThat(((TimerEndpoint) route.getEndpoint()).getRepeatCount()).isEqualTo(1);
        assertThat(route.getEndpoint().getEndpointUri()).contains("sftp-import-once/default");
    }

    @Test
    void aOneTimeImportThatAnotherInstanceFinishedAfterThisOneMadeItsRouteQueuesNothing() throws Exception {
        advise("sftp-import-default", a -> a.mockEndpointsAndSkip("seda:import-runs"));
        NotifyBuilder done = whenDone("sftp-import-default", 1);
        // the route exists (made at start-up); now another instance's run of the import ends Processed
        RunStore runs = new RunStore(store());
        String other = runs.tryCreate("default", "sftp", "schedule", "other-instance", true, Instant.now()).runId();
        runs.finished(other, Instant.now());

        startRelay();

        await(done, "the one-time import's timer to fire");
        assertThat(getMockEndpoint("mock:seda:import-runs").getReceivedCounter()).isZero();
        assertThat(runs.count("default")).isEqualTo(1);
    }

    @Test
    void aPausedOneTimeImportQueuesNothing() throws Exception {
        new ImportStates(store()).pause("default", "route test", Instant.now());
        advise("sftp-import-default", a -> a.mockEndpointsAndSkip("seda:import-runs"));
        NotifyBuilder done = whenDone("sftp-import-default", 1);

        startRelay();

        await(done, "the one-time import's timer to fire");
        assertThat(getMockEndpoint("mock:seda:import-runs").getReceivedCounter()).isZero();
        assertThat(new RunStore(store()).last("default")).isEmpty();
    }

    @Test
    void aCompletedOneTimeImportGetsNoRoute() {
        startRelay();

        assertThat(context.getRoute("sftp-import-default")).isNull();
    }
}
