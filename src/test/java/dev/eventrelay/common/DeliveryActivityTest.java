package dev.eventrelay.common;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryActivityTest {

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-12-02T10:00:30Z");

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
    private final DeliveryActivity activity = new DeliveryActivity(clock);

    @Test
    void aHookThatDeliveredNothingHasSixtyEmptyMinutesAndNoLatency() {
        DeliveryActivity.Recent recent = activity.recent("orders");

        assertThat(recent.deliveredPerMinute()).hasSize(60).containsOnly(0L);
        assertThat(recent.latencyMeanMs()).isNull();
        assertThat(recent.latencyMaxMs()).isNull();
    }

    @Test
    void deliveriesAreCountedInTheirMinuteTheCurrentOneLast() {
        activity.delivered("orders", 5);
        clock.now = clock.now.plusSeconds(60);
        activity.delivered("orders", 2);
        activity.delivered("orders", 1);
        activity.delivered("other", 9);

        long[] minutes = activity.recent("orders").deliveredPerMinute();

        assertThat(minutes[59]).isEqualTo(3);
        assertThat(minutes[58]).isEqualTo(5);
        assertThat(minutes[57]).isZero();
    }

    @Test
    void minutesOlderThanAnHourAreForgottenEvenWhenTheirSlotComesRoundAgain() {
        activity.delivered("orders", 5);
        activity.latency("orders", Duration.ofMillis(900));
        clock.now = clock.now.plus(Duration.ofMinutes(60));
        activity.delivered("orders", 1);

        DeliveryActivity.Recent recent = activity.recent("orders");

        assertThat(recent.deliveredPerMinute()).containsOnly(0L, 1L);
        assertThat(recent.deliveredPerMinute()[59]).isEqualTo(1);
        assertThat(recent.latencyMeanMs()).isNull();
    }

    @Test
    void latencyIsTheMeanAndTheMaxOverTheLastHour() {
        activity.latency("orders", Duration.ofMillis(100));
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        activity.latency("orders", Duration.ofMillis(300));
        activity.latency("orders", Duration.ofMillis(-5));

        DeliveryActivity.Recent recent = activity.recent("orders");

        assertThat(recent.latencyMeanMs()).isEqualTo(133);
        assertThat(recent.latencyMaxMs()).isEqualTo(300);
    }
}
