package dev.eventrelay.routes;

import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.Status;
import org.apache.camel.Route;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.quartz.QuartzEndpoint;
import org.apache.camel.component.seda.SedaEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/sftp-import.camel.yaml: the template makes route sftp-import-&lt;name&gt; per import, on the import's
 * schedule and time zone; a tick records a run (sftpImports.startScheduled) and queues it with header relayRunId on
 * seda:import-runs, whose route executes it (sftpImports.execute). The schedule is replaced by a direct: endpoint and
 * the queue by a mock where a test drives them.
 */
class SftpImportRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("sftp-import");
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.import.default.enabled", "true");
        config.put("relay.imports.concurrent-runs", "3");
        config.put("relay.import.partner.channel", "udc_partner");
        config.put("relay.import.partner.schedule", "0 30 6 * * ?");
        config.put("relay.import.partner.time-zone", "Europe/Berlin");
        config.put("relay.import.partner.sftp.host", "127.0.0.1");
        config.put("relay.import.partner.sftp.port", config.get("relay.import.default.sftp.port"));
        config.put("relay.import.partner.sftp.user", "partner");
        config.put("relay.import.partner.sftp.password", "unused-sftp-password");
        config.put("relay.import.partner.sftp.strict-host-key-checking", "false");
    }

    @Test
    void eachImportGetsARouteOnItsOwnScheduleAndTimeZone() {
        startRelay();

        assertSchedule("sftp-import-default", "sftp-import", "default", "0 0 2 * * ?", "UTC");
        assertSchedule("sftp-import-partner", "sftp-import", "partner", "0 30 6 * * ?", "Europe/Berlin");
    }

    @Test
    void aTickRecordsAScheduledRunAndQueuesItWithItsId() throws Exception {
        advise("sftp-import-default", a -> {
            a.replaceFromWith("direct:tick");
            a.mockEndpointsAndSkip("seda:import-runs");
        });
        startRelay();
        MockEndpoint queue = getMockEndpoint("mock:seda:import-runs");
        queue.expectedMessageCount(1);

        template.sendBody("direct:tick", null);

        queue.assertIsSatisfied(WAIT.toMillis());
        String runId = queue.getReceivedExchanges().get(0).getMessage().getHeader("relayRunId", String.class);
        assertThat(queue.getReceivedExchanges().get(0).getMessage().getBody(String.class)).isEqualTo(runId);
        Run run = new RunStore(store()).find(runId).orElseThrow();
        assertThat(run.importName()).isEqualTo("default");
        assertThat(run.trigger()).isEqualTo("schedule");
    }

    @Test
    void aPausedImportsTickQueuesNothing() throws Exception {
        new ImportStates(store()).pause("default", "route test", Instant.now());
        advise("sftp-import-default", a -> {
            a.replaceFromWith("direct:tick");
            a.mockEndpointsAndSkip("seda:import-runs");
        });
        startRelay();

        template.sendBody("direct:tick", null);

        // direct: and the route's send are synchronous: the tick is over when sendBody returns
        assertThat(getMockEndpoint("mock:seda:import-runs").getReceivedCounter()).isZero();
        assertThat(new RunStore(store()).last("default")).isEmpty();
    }

    @Test
    void theRunQueueExecutesTheRunOfTheHeader() throws Exception {
        startRelay();
        RunStore runs = new RunStore(store());
        String runId = runs.create("default", "sftp", "api", Instant.now());
        NotifyBuilder done = whenDone("import-runs", 1);

        template.sendBodyAndHeader("seda:import-runs", null, "relayRunId", runId);

        await(done, "route import-runs to execute run " + runId);
        // the default import points at a closed port here: execute ran the run and recorded why it failed
        Run run = runs.find(runId).orElseThrow();
        assertThat(run.fetchStatus()).as("run %s", run).isEqualTo(Status.FAILED);
        assertThat(run.reason()).isNotBlank();
    }

    @Test
    void theRunQueueRunsAsManyRunsSideBySideAsConfigured() {
        startRelay();

        Route route = context.getRoute("import-runs");
        assertThat(route).isNotNull();
        assertThat(((SedaEndpoint) route.getEndpoint()).getConcurrentConsumers()).isEqualTo(3);
    }

    private void assertSchedule(String routeId, String group, String name, String cron, String zone) {
        Route route = context.getRoute(routeId);
        assertThat(route).as("route %s", routeId).isNotNull();
        assertThat(route.getEndpoint()).isInstanceOf(QuartzEndpoint.class);
        QuartzEndpoint quartz = (QuartzEndpoint) route.getEndpoint();
        assertThat(quartz.getGroupName()).isEqualTo(group);
        assertThat(quartz.getTriggerName()).isEqualTo(name);
        assertThat(quartz.getCron()).isEqualTo(cron);
        assertThat(quartz.isStateful()).isTrue();
        assertThat(quartz.getTriggerParameters()).containsEntry("timeZone", zone);
    }
}
