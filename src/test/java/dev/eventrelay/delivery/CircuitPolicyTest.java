package dev.eventrelay.delivery;

import dev.eventrelay.state.HookStates;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class CircuitPolicyTest {

    private static final Instant SINCE = Instant.parse("2026-11-22T08:00:00Z");
    private final CircuitPolicy policy = new CircuitPolicy(5, Duration.ofHours(24), Duration.ofMinutes(5));

    @Test
    void theCircuitOpensAtTheNthConsecutiveFailure() {
        assertThat(policy.trips(new HookStates.Failing(4, SINCE), SINCE.plusSeconds(60))).isFalse();
        assertThat(policy.trips(new HookStates.Failing(5, SINCE), SINCE.plusSeconds(60))).isTrue();
    }

    @Test
    void theCircuitOpensAfterTHoursOfFailingWhateverTheCount() {
        assertThat(policy.trips(new HookStates.Failing(2, SINCE), SINCE.plus(Duration.ofHours(24)).minusSeconds(1)))
                .isFalse();
        assertThat(policy.trips(new HookStates.Failing(2, SINCE), SINCE.plus(Duration.ofHours(24)))).isTrue();
    }

    @Test
    void zeroTurnsATriggerOff() {
        CircuitPolicy never = new CircuitPolicy(0, Duration.ZERO, Duration.ofMinutes(5));

        assertThat(never.trips(new HookStates.Failing(1_000_000, SINCE), SINCE.plus(Duration.ofDays(400)))).isFalse();
    }
}
