package dev.eventrelay.delivery;

import java.time.Duration;

/**
 * How a hook retries a transient failure: {@code times} retries after the first attempt, {@code period}
 * apart, or doubling from {@code period} up to {@code maxPeriod} when exponential. A {@code Retry-After}
 * from the destination is honoured up to {@code maxRetryAfter}.
 */
public record RetryPolicy(int times, Duration period, boolean exponential, Duration maxPeriod, Duration maxRetryAfter) {

    /** The wait before retry number {@code retry} (1 = the first retry). */
    public Duration delayBefore(int retry, Duration retryAfter) {
        Duration delay = period;
        if (exponential) {
            delay = period.multipliedBy(1L << Math.min(retry - 1, 30));
            if (delay.compareTo(maxPeriod) > 0) {
                delay = maxPeriod;
            }
        }
        if (retryAfter != null) {
            Duration asked = retryAfter.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : retryAfter;
            if (asked.compareTo(delay) > 0) {
                delay = asked;
            }
        }
        return delay;
    }
}
