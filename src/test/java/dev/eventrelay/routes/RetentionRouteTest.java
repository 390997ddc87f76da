package dev.eventrelay.routes;

import dev.eventrelay.state.ErrorLog;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/retention.camel.yaml: a timer every relay.retention.period.seconds calls retention.sweep, which deletes what
 * is older than its key (here: error log entries older than relay.retention.errors.days) and keeps the rest;
 * relay.retention.enabled = false leaves the route stopped.
 */
class RetentionRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("retention");
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.retention.period.seconds", "1");
        config.put("relay.retention.errors.days", "30");
        if (getCurrentTestName() != null && getCurrentTestName().contains("Off")) {
            config.put("relay.retention.enabled", "false");
        }
    }

    @Test
    void theTimerFiresEveryPeriodAndTheFirstSweepWaitsOnePeriod() {
        startRelay();

        TimerEndpoint timer = (TimerEndpoint) context.getRoute("retention").getEndpoint();
        assertThat(timer.getPeriod()).isEqualTo(1000);
        assertThat(timer.getDelay()).isEqualTo(1000);
        assertThat(timer.isFixedRate()).isFalse();
    }

    @Test
    void aSweepDeletesErrorLogEntriesOlderThanTheirKeyAndKeepsTheNewerOnes() throws Exception {
        ErrorLog errors = new ErrorLog(store());
        Instant now = Instant.now();
        errors.record("default", "run-failed", "old failure", null, now.minus(Duration.ofDays(31)));
        errors.record("default", "run-failed", "recent failure", null, now.minus(Duration.ofDays(29)));
        NotifyBuilder swept = whenDone("retention", 1);

        startRelay();

        await(swept, "route retention to sweep once");
        assertThat(errors.since(Instant.EPOCH, 10, 0)).extracting(ErrorLog.Entry::summary)
                .containsExactly("recent failure");
    }

    @Test
    void withRetentionOffTheRouteStaysStopped() {
        startRelay();

        assertThat(context.getRouteController().getRouteStatus("retention")).isEqualTo(ServiceStatus.Stopped);
    }
}
