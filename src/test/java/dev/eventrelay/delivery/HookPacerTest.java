package dev.eventrelay.delivery;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The pacer against a clock the test moves: no sleeps, no timing. */
class HookPacerTest {

    /** A clock that stands still until the test moves it. */
    private static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-11-22T08:00:00Z");

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final TestClock clock = new TestClock();

    @Test
    void withoutALimitEveryBatchMayGo() {
        HookPacer pacer = new HookPacer(DeliveryLimits.NONE, clock);
        pacer.spend(1_000_000, 1);

        assertThat(pacer.events()).isEqualTo(Integer.MAX_VALUE);
        assertThat(pacer.allows(1_000_000)).isTrue();
    }

    @Test
    void eventsRefillAtTheRateUpToOneSecondsWorth() {
        HookPacer pacer = new HookPacer(new DeliveryLimits(10, 0, 1), clock);
        assertThat(pacer.events()).isEqualTo(10);

        pacer.spend(10, 1);
        assertThat(pacer.events()).isZero();
        clock.advance(Duration.ofMillis(300));
        assertThat(pacer.events()).isEqualTo(3);
        clock.advance(Duration.ofSeconds(5));
        assertThat(pacer.events()).isEqualTo(10);
    }

    @Test
    void aBatchLargerThanTheBucketGoesWhenItIsFullAndLeavesADebt() {
        HookPacer pacer = new HookPacer(new DeliveryLimits(10, 0, 1), clock);

        assertThat(pacer.allows(25)).isTrue();
        pacer.spend(25, 1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(pacer.events()).isZero();
        clock.advance(Duration.ofMillis(1500));
        assertThat(pacer.events()).isEqualTo(10);
    }

    @Test
    void requestsPerSecondHoldBackEvenWhenEventsAreLeft() {
        HookPacer pacer = new HookPacer(new DeliveryLimits(0, 2, 1), clock);
        pacer.spend(1, 1);
        pacer.spend(1, 1);

        assertThat(pacer.events()).isZero();
        clock.advance(Duration.ofMillis(500));
        assertThat(pacer.events()).isEqualTo(Integer.MAX_VALUE);
    }
}
