package dev.eventrelay.delivery;

import java.time.Clock;

/**
 * The rate limits of one hook ({@link DeliveryLimits}): a token bucket of events and one of requests, each
 * holding at most one second of its rate and refilled continuously from the clock. {@link #events} says how many
 * events may go now; {@link #spend} takes what a batch sends. A batch larger than the bucket may go once the
 * bucket is full, leaving it in debt, so no batch waits for ever. In memory: only the instance that delivers a
 * hook paces it.
 */
final class HookPacer {

    private final Bucket events;
    private final Bucket requests;

    HookPacer(DeliveryLimits limits, Clock clock) {
        events = limits.eventsPerSecond() > 0 ? new Bucket(limits.eventsPerSecond(), clock) : null;
        requests = limits.requestsPerSecond() > 0 ? new Bucket(limits.requestsPerSecond(), clock) : null;
    }

    /** The events a batch may hold now: 0 when the hook must wait; {@link Integer#MAX_VALUE} without a limit. */
    synchronized int events() {
        if (requests != null && requests.available() < 1) {
            return 0;
        }
        return events == null ? Integer.MAX_VALUE : (int) Math.max(0, Math.floor(events.available()));
    }

    /** Whether a batch of exactly {@code size} events (a retry, a replay) may go now. */
    synchronized boolean allows(int size) {
        return events() >= Math.min(size, events == null ? size : events.capacity());
    }

    /** A batch of {@code size} events goes now, in {@code requestCount} requests. */
    synchronized void spend(int size, int requestCount) {
        if (events != null) {
            events.take(size);
        }
        if (requests != null) {
            requests.take(requestCount);
        }
    }

    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private final Clock clock;
        private double tokens;
        private long at;

        Bucket(int perSecond, Clock clock) {
            this.perNano = perSecond / 1e9;
            this.capacity = perSecond;
            this.clock = clock;
            this.tokens = capacity;
            this.at = nanos();
        }

        double capacity() {
            return capacity;
        }

        double available() {
            long now = nanos();
            tokens = Math.min(capacity, tokens + (now - at) * perNano);
            at = now;
            return tokens;
        }

        void take(int n) {
            available();
            tokens -= n;
        }

        private long nanos() {
            java.time.Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }
    }
}
