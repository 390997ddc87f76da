package dev.eventrelay.routes;

import dev.eventrelay.state.Instances;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.Status;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/cluster.camel.yaml: route instance-lease ticks twice a second; instances.renewIfDue renews this instance's
 * lease every third of relay.instance.lease-seconds (2 s here), and at each renewal interruptedRuns.takeOverExpired
 * fails the runs of instances whose lease expired and queues a new run (trigger recovery) of each import on its run
 * queue (a mock here), leaving a live instance's run alone. A graceful stop deletes the lease row.
 */
class ClusterRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        // run-recovery holds route queue-runs; the template of the default import, which the recovered run belongs to
        return List.of("cluster", "run-recovery", "sftp-import");
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.instance.lease-seconds", "2");
        config.put("relay.instance.id", "route-test-1");
        config.put("relay.import.default.enabled", "true");
    }

    @Test
    void theLeaseTimerTicksTwiceASecond() {
        startRelay();

        TimerEndpoint timer = (TimerEndpoint) context.getRoute("instance-lease").getEndpoint();
        assertThat(timer.getPeriod()).isEqualTo(500);
    }

    @Test
    void theLeaseIsRenewedEveryThirdOfItsLength() {
        startRelay();
        Instances self = bean("instances", Instances.class);
        Instant registered = renewedAt(self);

        RelayRouteTestSupport.await(new NotifyBuilder(context).fromRoute("instance-lease").whenDone(6).create(),
                "three seconds of lease ticks");

        assertThat(renewedAt(self)).as("renewed after 3 s of a 2 s lease").isAfter(registered);
    }

    @Test
    void anExpiredInstancesRunIsTakenOverAndRunAgainWhileALiveInstancesRunIsLeftAlone() throws Exception {
        advise("queue-runs", a -> a.mockEndpointsAndSkip("seda:*"));
        MockEndpoint imports = getMockEndpoint("mock:seda:import-runs");
        imports.expectedMessageCount(1);
        startRelay();
        // after start-up: only the continuous recovery can take these over
        Instant now = Instant.now();
        new Instances(store(), "gone-1", "elsewhere", 1, Duration.ofSeconds(2),
                Clock.fixed(now.minusSeconds(60), ZoneOffset.UTC)).register();
        Instances live = new Instances(store(), "live-1", "elsewhere", 2, Duration.ofSeconds(60), Clock.systemUTC());
        live.register();
        RunStore runs = new RunStore(store());
        String dead = runs.tryCreate("default", "sftp", "schedule", "gone-1", false, now).runId();
        String alive = runs.tryCreate("other", "sftp", "schedule", "live-1", false, now).runId();

        MockEndpoint.assertIsSatisfied(context, WAIT.toSeconds(), TimeUnit.SECONDS);

        Run failed = runs.find(dead).orElseThrow();
        assertThat(failed.processingStatus()).isEqualTo(Status.FAILED);
        assertThat(failed.reason()).startsWith("interrupted:").contains("route-test-1");
        String runId = imports.getReceivedExchanges().get(0).getMessage().getHeader("relayRunId", String.class);
        Run recovery = runs.find(runId).orElseThrow();
        assertThat(recovery.importName()).isEqualTo("default");
        assertThat(recovery.trigger()).isEqualTo("recovery");
        assertThat(runs.find(alive).orElseThrow().fetchStatus()).as("the live instance's run")
                .isEqualTo(Status.FETCHING);
        assertThat(live.expired()).as("the expired lease without runs is forgotten").doesNotContain("gone-1");
    }

    @Test
    void aGracefulStopDeletesTheLease() {
        startRelay();
        Instances probe = new Instances(store(), "probe", "here", 3, Duration.ofSeconds(60), Clock.systemUTC());
        assertThat(probe.live()).extracting(Instances.Instance::id).contains("route-test-1");

        context.stop();

        assertThat(probe.live()).extracting(Instances.Instance::id).doesNotContain("route-test-1");
    }

    private Instant renewedAt(Instances self) {
        return self.live().stream().filter(i -> i.id().equals("route-test-1")).findFirst().orElseThrow().renewedAt();
    }
}
