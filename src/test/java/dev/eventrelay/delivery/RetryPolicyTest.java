package dev.eventrelay.delivery;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class RetryPolicyTest {

    private static final Duration TEN_MINUTES = Duration.ofMinutes(10);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void aFixedPolicyWaitsThePeriodBeforeEveryRetry() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(15), false, TEN_MINUTES, FIVE_MINUTES);

        assertThat(policy.delayBefore(1, null)).isEqualTo(Duration.ofSeconds(15));
        assertThat(policy.delayBefore(4, null)).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void anExponentialPolicyDoublesUpToItsCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofSeconds(15), true, Duration.ofMinutes(1), FIVE_MINUTES);

        assertThat(policy.delayBefore(1, null)).isEqualTo(Duration.ofSeconds(15));
        assertThat(policy.delayBefore(2, null)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.delayBefore(3, null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.delayBefore(4, null)).isEqualTo(Duration.ofSeconds(60));
        assertThat(policy.delayBefore(60, null)).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void aLongerRetryAfterWinsUpToItsCapAndAShorterOneDoesNot() {
        RetryPolicy policy = new RetryPolicy(4, Duration.ofSeconds(15), false, TEN_MINUTES, FIVE_MINUTES);

        assertThat(policy.delayBefore(1, Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(40));
        assertThat(policy.delayBefore(1, Duration.ofSeconds(2))).isEqualTo(Duration.ofSeconds(15));
        assertThat(policy.delayBefore(1, Duration.ofHours(2))).isEqualTo(FIVE_MINUTES);
    }

    @Test
    void retryAfterIsReadAsSecondsOrAsAnHttpDate() {
        java.time.Instant now = java.time.Instant.parse("2026-11-23T10:00:00Z");

        assertThat(DeliveryFailure.parseRetryAfter("120", now)).isEqualTo(Duration.ofSeconds(120));
        assertThat(DeliveryFailure.parseRetryAfter("Mon, 23 Nov 2026 10:01:30 GMT", now)).isEqualTo(Duration.ofSeconds(90));
        assertThat(DeliveryFailure.parseRetryAfter("soon", now)).isNull();
        assertThat(DeliveryFailure.parseRetryAfter(null, now)).isNull();
    }
}
