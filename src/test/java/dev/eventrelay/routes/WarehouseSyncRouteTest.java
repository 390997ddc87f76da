package dev.eventrelay.routes;

import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
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

import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/warehouse-sync.camel.yaml: the template makes route warehouse-sync-&lt;name&gt; per sync on its schedule (in
 * UTC); a tick records a run (warehouseSyncs.startScheduled) and queues it with header relayRunId on
 * seda:warehouse-runs, whose route executes it (warehouseSyncs.execute) against the warehouse, an H2 file here.
 */
class WarehouseSyncRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("warehouse-sync");
    }

    @Override
    protected void configure(Map<String, String> config) throws Exception {
        config.putAll(H2Warehouse.sync("pos", Files.createDirectories(dir.resolve("warehouse"))));
        config.put("relay.imports.concurrent-runs", "3");
    }

    @Test
    void eachSyncGetsARouteOnItsScheduleInUtc() {
        startRelay();

        Route route = context.getRoute("warehouse-sync-pos");
        assertThat(route).isNotNull();
        assertThat(route.getEndpoint()).isInstanceOf(QuartzEndpoint.class);
        QuartzEndpoint quartz = (QuartzEndpoint) route.getEndpoint();
        assertThat(quartz.getGroupName()).isEqualTo("warehouse-sync");
        assertThat(quartz.getTriggerName()).isEqualTo("pos");
        assertThat(quartz.getCron()).isEqualTo("0 0 0 1 1 ? 2099");
        assertThat(quartz.isStateful()).isTrue();
        assertThat(quartz.getTriggerParameters()).containsEntry("timeZone", "UTC");
    }

    @Test
    void aTickRecordsAScheduledRunAndQueuesItWithItsId() throws Exception {
        advise("warehouse-sync-pos", a -> {
            a.replaceFromWith("direct:tick");
            a.mockEndpointsAndSkip("seda:warehouse-runs");
        });
        startRelay();
        MockEndpoint queue = getMockEndpoint("mock:seda:warehouse-runs");
        queue.expectedMessageCount(1);

        template.sendBody("direct:tick", null);

        queue.assertIsSatisfied(WAIT.toMillis());
        String runId = queue.getReceivedExchanges().get(0).getMessage().getHeader("relayRunId", String.class);
        Run run = new RunStore(store()).find(runId).orElseThrow();
        assertThat(run.importName()).isEqualTo("pos");
        assertThat(run.trigger()).isEqualTo("schedule");
    }

    @Test
    void aPausedSyncsTickQueuesNothing() throws Exception {
        new ImportStates(store()).pause("pos", "route test", Instant.now());
        advise("warehouse-sync-pos", a -> {
            a.replaceFromWith("direct:tick");
            a.mockEndpointsAndSkip("seda:warehouse-runs");
        });
        startRelay();

        template.sendBody("direct:tick", null);

        // direct: and the route's send are synchronous: the tick is over when sendBody returns
        assertThat(getMockEndpoint("mock:seda:warehouse-runs").getReceivedCounter()).isZero();
        assertThat(new RunStore(store()).last("pos")).isEmpty();
    }

    @Test
    void theRunQueueExecutesTheRunOfTheHeaderAgainstTheWarehouse() throws Exception {
        startRelay();
        String runId = bean("warehouseSyncs", WarehouseSyncRunner.class).start("pos", "api");
        NotifyBuilder done = whenDone("warehouse-runs", 1);

        template.sendBodyAndHeader("seda:warehouse-runs", null, "relayRunId", runId);

        await(done, "route warehouse-runs to execute run " + runId);
        Run run = new RunStore(store()).find(runId).orElseThrow();
        assertThat(run.processingStatus()).as("run %s", run).isEqualTo(Status.PROCESSED);
        assertThat(run.rowsProcessed()).isEqualTo(2);
    }

    @Test
    void theRunQueueRunsAsManyRunsSideBySideAsConfigured() {
        startRelay();

        assertThat(((SedaEndpoint) context.getRoute("warehouse-runs").getEndpoint()).getConcurrentConsumers())
                .isEqualTo(3);
    }
}
