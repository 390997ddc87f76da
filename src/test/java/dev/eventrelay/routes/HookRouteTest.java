package dev.eventrelay.routes;

import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hook template ({@code routes/hook.camel.yaml}) and the hooks' error policy ({@code routes/hook-errors.camel.yaml})
 * with the real delivery bean and state store; the sink's endpoint is a mock, so each test decides what the
 * destination does.
 */
class HookRouteTest {

    @TempDir
    Path dir;
    private HookRoutes routes;

    @AfterEach
    void stop() {
        if (routes != null) {
            routes.close();
        }
    }

    /** A file hook with batches of {@code maxEvents} whose sink is {@code mock:sink}; by default one tick an hour. */
    private MockEndpoint hook(int maxEvents, int retryTimes) throws Exception {
        return hook(maxEvents, retryTimes, "3600");
    }

    private MockEndpoint hook(int maxEvents, int retryTimes, String pollSeconds) throws Exception {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("destination", "file");
        keys.put("file.folder", dir.resolve("outbox").toString());
        keys.put("batch.max-events", String.valueOf(maxEvents));
        keys.put("batch.max-wait.seconds", pollSeconds);
        keys.put("retry.times", String.valueOf(retryTimes));
        keys.put("retry.period.seconds", "3600");
        routes = new HookRoutes(dir, keys);
        routes.advise("sink-" + HookRoutes.HOOK, a -> a.weaveByToUri("file:*").replace().to("mock:sink"));
        return routes.context().getEndpoint("mock:sink", MockEndpoint.class);
    }

    @Test
    void oneTickSendsEveryFullBatchAndThenTheRestInOrderAndMovesTheCursor() throws Exception {
        MockEndpoint sink = hook(2, 4);
        List<String> ids = routes.publish(5, "Purchase");
        sink.expectedMessageCount(3);
        routes.start();

        // the only tick of the hour: the loop goes on while a batch was full (2, 2), then sends the last one (1)
        sink.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
        List<String> bodies = sink.getExchanges().stream().map(e -> e.getMessage().getBody(String.class)).toList();
        assertThat(bodies.get(0)).contains(ids.get(0), ids.get(1)).doesNotContain(ids.get(2));
        assertThat(bodies.get(1)).contains(ids.get(2), ids.get(3));
        assertThat(bodies.get(2)).contains(ids.get(4)).contains("\"hook\":\"" + HookRoutes.HOOK + "\"");
        assertThat(routes.awaitState("5 events delivered", s -> s.delivered() == 5).attempts()).isZero();
        assertThat(routes.deadLetters()).isEmpty();
    }

    @Test
    void aBatchTheSinkFailsIsScheduledForRetryAndEndsTheTick() throws Exception {
        MockEndpoint sink = hook(2, 4);
        sink.whenAnyExchangeReceived(exchange -> {
            throw new IOException("connection refused (test)");
        });
        routes.publish(5, "Purchase");
        routes.start();

        var state = routes.awaitState("a retry scheduled", s -> s.attempts() == 1);
        assertThat(state.retrying()).isTrue();
        assertThat(state.pendingEvents()).isEqualTo(2);
        assertThat(state.nextAttemptAt()).isNotNull();
        assertThat(state.delivered()).isZero();
        assertThat(state.lastErrorSummary()).contains("connection refused (test)");
        // hookDelivery.failed ended the loop: the second batch was not tried in the same tick
        sink.expectedMessageCount(1);
        sink.assertIsSatisfied(200);
        assertThat(routes.deadLetters()).isEmpty();
    }

    @Test
    void aBatchThatFailsWithNoRetryLeftGoesToDeadLettersAndTheHookMovesOn() throws Exception {
        MockEndpoint sink = hook(2, 0, "0.05");
        AtomicInteger calls = new AtomicInteger();
        sink.whenAnyExchangeReceived(exchange -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("connection refused (test)");
            }
        });
        List<String> ids = routes.publish(3, "Purchase");
        sink.expectedMessageCount(2);
        routes.start();

        sink.assertIsSatisfied(TimeUnit.SECONDS.toMillis(20));
        var state = routes.awaitState("the rest delivered", s -> s.delivered() == 1);
        assertThat(state.deadLettered()).isEqualTo(1);
        assertThat(routes.deadLetters()).singleElement().satisfies(letter -> {
            assertThat(letter.eventCount()).isEqualTo(2);
            assertThat(letter.payload()).contains(ids.get(0), ids.get(1));
        });
        // the dead letter ended the tick; a later tick sent the rest
        assertThat(sink.getExchanges().get(1).getMessage().getBody(String.class)).contains(ids.get(2));
    }

    @Test
    void aFailureOfTheDeliveryBookkeepingAfterTheSinkIsTheBatchsFailureToo() throws Exception {
        MockEndpoint sink = hook(10, 4);
        routes.publish(1, "Purchase");
        // the sink took the batch, but the exchange comes back failed after it (as when delivered cannot write)
        routes.advise("hook-" + HookRoutes.HOOK, a -> a.weaveByToUri("direct:sink-*").after()
                .process(exchange -> exchange.setException(new IllegalStateException("bookkeeping failed (test)"))));
        routes.start();

        var state = routes.awaitState("a retry scheduled", s -> s.attempts() == 1);
        assertThat(state.lastErrorSummary()).contains("bookkeeping failed (test)");
        assertThat(state.delivered()).isZero();
        assertThat(sink.getReceivedCounter()).isEqualTo(1);
    }

    @Test
    void aFailureBeforeAnyBatchIsReadIsLeftToCamelAndTouchesNoHookState() throws Exception {
        MockEndpoint sink = hook(10, 4);
        routes.publish(1, "Purchase");
        routes.advise("hook-" + HookRoutes.HOOK, a -> a.weaveAddFirst().process(exchange -> {
            throw new IllegalStateException("no batch yet (test)");
        }));
        NotifyBuilder ticks = new NotifyBuilder(routes.context()).fromRoute("hook-" + HookRoutes.HOOK).whenFailed(1)
                .create();
        routes.start();

        // the tick fails (Camel's default error handler logs it) instead of being taken for a failed batch
        assertThat(ticks.matches(20, TimeUnit.SECONDS)).as("a failed tick").isTrue();
        assertThat(routes.state().attempts()).isZero();
        assertThat(routes.state().lastErrorSummary()).isNull();
        assertThat(sink.getReceivedCounter()).isZero();
    }
}
