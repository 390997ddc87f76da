package dev.eventrelay.routes;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.timer.TimerEndpoint;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/backbone-outbox.camel.yaml: a timer every relay.backbone.kafka.outbox-interval.ms calls backboneOutbox.forward
 * (on the store backbone, the default, a forwarder that does nothing: the hooks read the event log themselves); one
 * forward at a time.
 */
class BackboneOutboxRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("backbone-outbox");
    }

    @Override
    protected void configure(Map<String, String> config) {
        config.put("relay.backbone.kafka.outbox-interval.ms", "50");
    }

    @Test
    void theTimerFiresEveryIntervalOneForwardAtATime() {
        startRelay();

        TimerEndpoint timer = (TimerEndpoint) context.getRoute("backbone-outbox").getEndpoint();
        assertThat(timer.getPeriod()).isEqualTo(50);
        assertThat(timer.isFixedRate()).isFalse();
    }

    @Test
    void eachTickCallsTheForwarderWhichOnTheStoreBackboneForwardsNothing() {
        NotifyBuilder forwarded = whenDone("backbone-outbox", 3);

        startRelay();

        await(forwarded, "route backbone-outbox to forward three times");
        assertThat(forwarded.matches()).isTrue();
    }
}
