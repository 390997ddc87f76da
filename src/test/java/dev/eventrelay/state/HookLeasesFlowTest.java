package dev.eventrelay.state;

import dev.eventrelay.support.Slow;
import dev.eventrelay.support.TestClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Hook leases of two instances ({@code relay-a}, {@code relay-b}: two {@link HookLeases} with their own ids) on one
 * real store, with a clock the test moves: one holder at a time, expiry hands a hook over, hooks spread by share, a
 * hook free past the grace is taken by anyone, a graceful stop hands over at once, and a holder whose lease was
 * taken cannot move the cursor. Subclasses pick the store.
 */
@Slow
abstract class HookLeasesFlowTest {

    static final Duration LEASE = Duration.ofSeconds(30);
    static final List<String> FOUR = List.of("h1", "h2", "h3", "h4");

    final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
    final AtomicInteger live = new AtomicInteger(2);
    StateStore store;

    /** A fresh, migrated and started store. */
    abstract StateStore newStore() throws Exception;

    /** Drops what {@link #newStore} made. */
    void dropStore() throws Exception {
    }

    @BeforeEach
    void openStore() throws Exception {
        store = newStore();
    }

    @AfterEach
    void closeStore() throws Exception {
        store.stop();
        dropStore();
    }

    HookLeases instance(String id, List<String> hooks) {
        return new HookLeases(store, id, LEASE, live::get, clock, hooks);
    }

    private static List<String> held(HookLeases leases, List<String> hooks) {
        return hooks.stream().filter(leases::holds).toList();
    }

    @Test
    void twoInstancesAskingAtOnceNeverBothHoldAHook() throws Exception {
        live.set(1); // each would take every hook: only the conditional update keeps them apart
        List<String> hooks = List.of("orders");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                HookLeases a = instance("relay-a", hooks);
                HookLeases b = instance("relay-b", hooks);
                CountDownLatch start = new CountDownLatch(1);
                Callable<Boolean> askA = () -> { start.await(); return a.holds("orders"); };
                Callable<Boolean> askB = () -> { start.await(); return b.holds("orders"); };
                Future<Boolean> heldByA = pool.submit(askA);
                Future<Boolean> heldByB = pool.submit(askB);
                start.countDown();
                assertThat(List.of(heldByA.get(), heldByB.get())).as("round %d", round).containsOnlyOnce(true);
                assertThat(a.holds("orders")).isNotEqualTo(b.holds("orders"));
                a.releaseAll();
                b.releaseAll();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theHolderKeepsItsHookWhileItRenewsAndTheOtherGetsItOnlyOnceTheLeaseHasExpired() {
        live.set(1);
        HookLeases a = instance("relay-a", List.of("orders"));
        HookLeases b = instance("relay-b", List.of("orders"));
        assertThat(a.holds("orders")).isTrue();
        assertThat(b.holds("orders")).isFalse();
        for (int i = 0; i < 5; i++) { // a renews every 20 s: its lease never ends
            clock.advance(Duration.ofSeconds(20));
            assertThat(a.holds("orders")).isTrue();
            assertThat(b.holds("orders")).isFalse();
        }
        assertThat(a.owner("orders")).contains("relay-a");

        clock.advance(LEASE.plusSeconds(1)); // a stopped renewing (dead, or stalled)

        assertThat(a.owner("orders")).isEmpty();
        assertThat(b.holds("orders")).isTrue();
        assertThat(b.owner("orders")).contains("relay-b");
        assertThat(a.holds("orders")).as("a, back from its pause").isFalse();
        assertThat(a.hooksByOwner()).isEqualTo(Map.of("relay-b", List.of("orders")));
    }

    @Test
    void fourHooksOverTwoInstancesAreTwoAndTwo() {
        HookLeases a = instance("relay-a", FOUR);
        HookLeases b = instance("relay-b", FOUR);

        assertThat(held(a, FOUR)).containsExactly("h1", "h2"); // its share: ceil(4 / 2)
        assertThat(held(b, FOUR)).containsExactly("h3", "h4");
        for (int i = 0; i < 4; i++) {
            clock.advance(Duration.ofSeconds(11));
            assertThat(held(a, FOUR)).containsExactly("h1", "h2");
            assertThat(held(b, FOUR)).containsExactly("h3", "h4");
        }
        assertThat(b.hooksByOwner()).isEqualTo(Map.of("relay-a", List.of("h1", "h2"), "relay-b", List.of("h3", "h4")));
    }

    @Test
    void anInstanceOverItsShareReleasesHooksWhenASecondInstanceComesAndTheSpreadIsTwoAndTwo() {
        live.set(1);
        HookLeases a = instance("relay-a", FOUR);
        assertThat(held(a, FOUR)).containsExactlyElementsOf(FOUR);

        live.set(2);
        HookLeases b = instance("relay-b", FOUR);
        assertThat(held(b, FOUR)).as("b, while a's leases run").isEmpty();
        clock.advance(Duration.ofSeconds(11)); // a renews: over its share of 2, it releases between batches
        assertThat(held(a, FOUR)).hasSize(2);
        assertThat(held(b, FOUR)).hasSize(2);
        clock.advance(Duration.ofSeconds(11));
        List<String> heldByA = held(a, FOUR);
        List<String> heldByB = held(b, FOUR);
        assertThat(heldByA).hasSize(2).doesNotContainAnyElementsOf(heldByB);
        assertThat(heldByB).hasSize(2);
    }

    @Test
    void aHookFreeForLongerThanTheGraceIsTakenByAnInstanceAtItsShare() {
        live.set(3); // a third instance counts as live but delivers nothing (another configuration, or dying)
        List<String> hooks = List.of("h1", "h2", "h3");
        HookLeases a = instance("relay-a", hooks);
        HookLeases b = instance("relay-b", hooks);
        assertThat(held(a, hooks)).containsExactly("h1");
        assertThat(held(b, hooks)).containsExactly("h2");
        assertThat(a.owner("h3")).isEmpty();

        clock.advance(Duration.ofSeconds(20));
        held(a, hooks);
        held(b, hooks);
        clock.advance(Duration.ofSeconds(11)); // h3 has been free for 31 s: past the grace of one lease
        assertThat(held(a, hooks)).containsExactly("h1", "h3");

        for (int i = 0; i < 3; i++) { // a keeps it: it does not give it up at every renewal and take it again
            clock.advance(Duration.ofSeconds(11));
            assertThat(held(a, hooks)).containsExactly("h1", "h3");
            assertThat(held(b, hooks)).containsExactly("h2");
        }
    }

    @Test
    void aGracefulStopHandsEveryHookOverAtOnce() {
        live.set(1);
        HookLeases a = instance("relay-a", FOUR);
        HookLeases b = instance("relay-b", FOUR);
        a.start();
        assertThat(held(a, FOUR)).containsExactlyElementsOf(FOUR);

        a.stop();

        assertThat(a.hooksByOwner()).isEmpty();
        assertThat(held(b, FOUR)).as("taken without waiting for a lease to end").containsExactlyElementsOf(FOUR);
        assertThat(held(a, FOUR)).as("a stopped").isEmpty();
    }

    @Test
    void aHolderWhoseLeaseWasTakenCannotMoveTheCursorNorScheduleARetry() {
        live.set(1);
        HookLeases a = instance("relay-a", List.of("orders"));
        HookLeases b = instance("relay-b", List.of("orders"));
        HookStates byA = new HookStates(store, HookStates.KEEP_ATTEMPTS, a.holder());
        HookStates byB = new HookStates(store, HookStates.KEEP_ATTEMPTS, b.holder());
        assertThat(a.holds("orders")).isTrue();
        byA.delivered("orders", new EventLog.Cursor(1, 10), 10, clock.instant(), attempt("batch-1"));

        clock.advance(LEASE.plusSeconds(5)); // a stalls (a long GC pause) with its next batch in flight
        assertThat(b.holds("orders")).isTrue();
        byB.delivered("orders", new EventLog.Cursor(2, 20), 10, clock.instant(), attempt("batch-2"));

        assertThatThrownBy(() -> byA.delivered("orders", new EventLog.Cursor(3, 30), 10, clock.instant(),
                attempt("batch-3"))).isInstanceOf(HookLeaseLost.class).hasMessageContaining("relay-a");
        assertThatThrownBy(() -> byA.retryLater("orders", new EventLog.Cursor(3, 30), 10, 1, clock.instant(),
                new HookStates.Failure("HTTP 503", "http-503", null), clock.instant())).isInstanceOf(HookLeaseLost.class);
        assertThatThrownBy(() -> byA.failedAttempt("orders", attempt("batch-3"))).isInstanceOf(HookLeaseLost.class);
        assertThatThrownBy(() -> byA.skipped("orders", new EventLog.Cursor(9, 90))).isInstanceOf(HookLeaseLost.class);
        assertThatThrownBy(() -> byA.deadLettered("orders", new EventLog.Cursor(9, 90),
                new HookStates.Failure("HTTP 400", "http-400", null), clock.instant(), c -> { }))
                .isInstanceOf(HookLeaseLost.class);

        HookStates.State state = byB.get("orders");
        assertThat(state.cursor()).isEqualTo(new EventLog.Cursor(2, 20));
        assertThat(state.delivered()).isEqualTo(20);
        assertThat(state.retrying()).isFalse();
        assertThat(state.failures()).isZero();
        assertThat(byB.attempts("orders", 10, 0)).extracting(HookStates.Attempt::batchId)
                .containsExactly("batch-2", "batch-1");
        // the ops API's updates (pause, resume) check no owner: any instance answers them
        new HookStates(store).pause("orders", "maintenance", clock.instant());
        assertThat(byB.get("orders").paused()).isTrue();
    }

    @Test
    void updatesWithoutAHolderCheckNoOwnerAsOneInstanceAloneOrKafkaNeedIt() {
        HookLease always = HookLease.always("relay-a", List.of("orders"));
        HookStates states = new HookStates(store, HookStates.KEEP_ATTEMPTS, always.holder());

        states.delivered("orders", new EventLog.Cursor(1, 5), 5, clock.instant(), attempt("batch-1"));

        assertThat(always.holds("orders")).isTrue();
        assertThat(states.get("orders").cursor()).isEqualTo(new EventLog.Cursor(1, 5));
        assertThat(always.hooksByOwner()).isEqualTo(Map.of("relay-a", List.of("orders")));
    }

    @Test
    void theShareIsTheCeilingOfHooksOverLiveInstances() {
        List<int[]> cases = new ArrayList<>(List.of(new int[]{4, 2, 2}, new int[]{5, 2, 3}, new int[]{1, 3, 1},
                new int[]{0, 2, 0}, new int[]{3, 0, 3}, new int[]{7, 7, 1}));
        for (int[] c : cases) {
            assertThat(HookLeases.share(c[0], c[1])).as("%d hooks over %d instances", c[0], c[1]).isEqualTo(c[2]);
        }
    }

    private HookStates.Attempt attempt(String batchId) {
        return new HookStates.Attempt(clock.instant(), batchId, 10, HookStates.DELIVERED, "HTTP 200", 5, "ok", false);
    }
}
