package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.delivery.HookBatch;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.state.HookLease;
import dev.eventrelay.state.HookLeases;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.TestClock;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One http hook delivered by two instances on one store: two Camel contexts, each with the shipped hook routes, its
 * own {@link HookDelivery} and its own {@link HookLeases} (ids {@code relay-a}, {@code relay-b}), and a real webhook
 * receiver. One instance at a time delivers the hook; after a graceful stop the other goes on from the cursor; a
 * batch pinned for retry is sent by the new owner with the same batch id and events. Each instance's sink is watched
 * (which batch ids it attempted, which its sink took), so the test sees which instance sent what. Subclasses pick the
 * store: {@link #store(String)} answers one store per instance (on SQLite, the one store of the process).
 */
@Slow
abstract class ClusteredHookFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    private TestHttpReceiver receiver;
    private final List<HookRoutes> instances = new ArrayList<>();
    /** Batch ids each instance handed to its sink, and those its sink took, by instance id. */
    private final Map<String, List<String>> attempted = new ConcurrentHashMap<>();
    private final Map<String, List<String>> took = new ConcurrentHashMap<>();
    /** How many ticks of the hook route each instance has finished. */
    private final Map<String, AtomicInteger> ticks = new ConcurrentHashMap<>();

    /** The store instance {@code id} works on: all answers are one database. */
    abstract StateStore store(String id) throws Exception;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
    }

    @AfterEach
    void stopInstances() {
        instances.forEach(HookRoutes::close);
        receiver.close();
    }

    /** Instance {@code id}: the hook's routes over the shared store, two live instances, a lease of 30 s. */
    private HookRoutes instance(String id) throws Exception {
        attempted.put(id, new CopyOnWriteArrayList<>());
        took.put(id, new CopyOnWriteArrayList<>());
        ticks.put(id, new AtomicInteger());
        HookRoutes routes = new HookRoutes(store(id), Map.of("destination", "http", "http.url", receiver.url(),
                "batch.max-events", "5", "batch.max-wait.seconds", "0.05", "retry.times", "4",
                "retry.period.seconds", "1"),
                store -> new HookLeases(store, id, Duration.ofSeconds(30), () -> 2, Clock.systemUTC(),
                        List.of(HookRoutes.HOOK)));
        routes.advise("hook-" + HookRoutes.HOOK, a -> {
            a.weaveByToUri("direct:sink-*").before().process(e -> attempted.get(id).add(batchId(e)));
            a.weaveByToUri("direct:sink-*").after().process(e -> took.get(id).add(batchId(e)));
            a.weaveAddLast().process(e -> ticks.get(id).incrementAndGet());
        });
        instances.add(routes);
        return routes;
    }

    private static String batchId(Exchange exchange) {
        return exchange.getProperty(HookDelivery.BATCH, HookBatch.class).batchId();
    }

    private Set<String> receivedEventIds() throws Exception {
        Set<String> ids = new HashSet<>();
        for (TestHttpReceiver.Request request : receiver.requests()) {
            JSON.readTree(request.body()).get("events").forEach(e -> ids.add(e.get("event_id").asText()));
        }
        return ids;
    }

    private List<String> eventIdsOf(TestHttpReceiver.Request request) throws Exception {
        List<String> ids = new ArrayList<>();
        for (JsonNode event : JSON.readTree(request.body()).get("events")) {
            ids.add(event.get("event_id").asText());
        }
        return ids;
    }

    private List<String> publish(HookRoutes via, int segments, int events) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            ids.addAll(via.publish(events, "Purchase"));
        }
        return ids;
    }

    @Test
    void oneInstanceAtATimeDeliversTheHookAndAfterAGracefulStopTheOtherGoesOnWithNothingLostOrSentTwice()
            throws Exception {
        HookRoutes a = instance("relay-a").start();
        HookRoutes b = instance("relay-b").start();
        List<String> first = publish(a, 4, 10);
        RelayUnderTest.await("the first 40 events at the receiver", WAIT, this::receivedEventIds,
                ids -> ids.containsAll(first));
        a.awaitState("40 delivered", s -> s.delivered() == 40);

        String owner = took.get("relay-a").isEmpty() ? "relay-b" : "relay-a";
        String other = owner.equals("relay-a") ? "relay-b" : "relay-a";
        assertThat(attempted.get(other)).as("batches the instance without the lease handed to its sink").isEmpty();
        HookRoutes ownerRoutes = owner.equals("relay-a") ? a : b;
        HookRoutes otherRoutes = owner.equals("relay-a") ? b : a;
        ownerRoutes.close(); // a graceful stop: no batch in flight, the lease released

        List<String> second = publish(a, 4, 10); // through relay-a's store, whichever stopped: event ids go on
        RelayUnderTest.await("all 80 events at the receiver", WAIT, this::receivedEventIds,
                ids -> ids.containsAll(second));
        otherRoutes.awaitState("80 delivered", s -> s.delivered() == 80);

        List<String> eventsReceived = new ArrayList<>();
        List<String> batchesReceived = new ArrayList<>();
        for (TestHttpReceiver.Request request : receiver.requests()) {
            eventsReceived.addAll(eventIdsOf(request));
            batchesReceived.add(request.header("Idempotency-Key"));
        }
        assertThat(eventsReceived).hasSize(80).doesNotHaveDuplicates();
        assertThat(batchesReceived).doesNotHaveDuplicates();
        assertThat(took.get(other)).isNotEmpty().doesNotContainAnyElementsOf(took.get(owner));
        assertThat(took.get(owner).size() + took.get(other).size()).isEqualTo(batchesReceived.size());
    }

    @Test
    void aBatchPinnedForRetryIsSentByTheNewOwnerWithTheSameBatchIdAndTheSameEvents() throws Exception {
        receiver.answer(Answer.of(503));
        HookRoutes a = instance("relay-a").start();
        List<String> ids = a.publish(5, "Purchase");
        a.awaitState("a retry pinned by relay-a", s -> s.retrying() && s.attempts() == 1);
        HookRoutes b = instance("relay-b").start();
        assertThat(attempted.get("relay-b")).isEmpty();

        a.close(); // relay-a stops with the batch pinned; relay-b takes the hook and sends it when the retry is due

        b.awaitState("the pinned batch delivered", s -> s.delivered() == 5 && !s.retrying());
        List<TestHttpReceiver.Request> requests = receiver.requests();
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).status()).isEqualTo(503);
        assertThat(requests.get(1).status()).isEqualTo(200);
        assertThat(requests.get(1).header("Idempotency-Key")).isEqualTo(requests.get(0).header("Idempotency-Key"));
        assertThat(eventIdsOf(requests.get(1))).isEqualTo(eventIdsOf(requests.get(0))).isEqualTo(ids);
        assertThat(attempted.get("relay-a")).containsExactly(requests.get(0).header("Idempotency-Key"));
        assertThat(took.get("relay-a")).isEmpty();
        assertThat(took.get("relay-b")).containsExactly(requests.get(0).header("Idempotency-Key"));
    }

    @Test
    void aHolderWhoseLeaseWasTakenWithABatchInFlightChangesNoStateAndSendsNoMore() throws Exception {
        receiver.holdUntilAtOnce(99, Duration.ofSeconds(3)); // relay-a's request is answered 3 s after it came
        HookRoutes a = instance("relay-a").start();
        a.publish(5, "Purchase");
        RelayUnderTest.await("relay-a's request at the receiver", WAIT, receiver::requests, r -> !r.isEmpty());
        // relay-b's clock is past relay-a's lease (as after a pause of relay-a longer than the lease): it takes the hook
        TestClock later = new TestClock(Instant.now().plusSeconds(31));
        HookLeases b = new HookLeases(store("relay-b"), "relay-b", Duration.ofSeconds(30), () -> 2, later,
                List.of(HookRoutes.HOOK));
        assertThat(b.holds(HookRoutes.HOOK)).isTrue();

        RelayUnderTest.await("relay-a's sink to return", WAIT, () -> took.get("relay-a"), t -> !t.isEmpty());
        int tick = ticks.get("relay-a").get();
        RelayUnderTest.await("relay-a's tick to end", WAIT, () -> ticks.get("relay-a").get(), t -> t > tick);

        var state = a.state();
        assertThat(state.delivered()).as("delivered, as relay-a would have counted").isZero();
        assertThat(state.cursor()).as("the cursor relay-b goes on from").isEqualTo(EventLog.Cursor.START);
        assertThat(state.attempts()).isZero();
        a.publish(5, "Purchase");
        RelayUnderTest.await("five more ticks of relay-a", WAIT, () -> ticks.get("relay-a").get(), t -> t > tick + 5);
        assertThat(attempted.get("relay-a")).as("batches relay-a sent").hasSize(1);
        assertThat(b.owner(HookRoutes.HOOK)).contains("relay-b");
    }

    @Test
    void theOwnerOfTheHookIsTheInstanceThatHoldsItsLease() throws Exception {
        HookRoutes a = instance("relay-a").start();
        a.publish(1, "Purchase");
        a.awaitState("1 delivered", s -> s.delivered() == 1);
        HookLease lease = new HookLeases(store("relay-b"), "relay-b", Duration.ofSeconds(30), () -> 2,
                Clock.systemUTC(), List.of(HookRoutes.HOOK));

        assertThat(lease.owner(HookRoutes.HOOK)).contains("relay-a");
        assertThat(lease.hooksByOwner()).isEqualTo(Map.of("relay-a", List.of(HookRoutes.HOOK)));
        a.close();
        assertThat(lease.owner(HookRoutes.HOOK)).isEmpty();
    }
}
