package dev.eventrelay.common;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each hook delivered in the last {@value #MINUTES} minutes on this instance, minute by minute: events
 * confirmed and their delivery latency (reception to confirm). Kept in memory (it starts empty with the
 * service); the ops API shows it as {@code delivered_per_minute} and {@code delivery_latency_ms} of a hook.
 */
public final class DeliveryActivity {

    /** Minutes kept, the current one included. */
    public static final int MINUTES = 60;

    /** A hook's last minutes: events delivered per minute (oldest first) and latency over those minutes. */
    public record Recent(long[] deliveredPerMinute, Long latencyMeanMs, Long latencyMaxMs) {
    }

    private final Clock clock;
    private final Map<String, Minutes> hooks = new ConcurrentHashMap<>();

    public DeliveryActivity(Clock clock) {
        this.clock = clock;
    }

    /** The destination confirmed {@code events} events of {@code hook}. */
    public void delivered(String hook, long events) {
        minutes(hook).delivered(minuteNow(), events);
    }

    /** One delivered event of {@code hook} took {@code latency} from reception to confirm. */
    public void latency(String hook, Duration latency) {
        minutes(hook).latency(minuteNow(), Math.max(0, latency.toMillis()));
    }

    /** The last {@value #MINUTES} minutes of {@code hook}, the current minute last. */
    public Recent recent(String hook) {
        Minutes minutes = hooks.get(hook);
        return minutes == null ? new Recent(new long[MINUTES], null, null) : minutes.recent(minuteNow());
    }

    private Minutes minutes(String hook) {
        return hooks.computeIfAbsent(hook, name -> new Minutes());
    }

    private long minuteNow() {
        return Instant.now(clock).getEpochSecond() / 60;
    }

    /** A ring of per-minute slots; a slot is reset when a new minute reuses it. */
    private static final class Minutes {
        private final long[] minute = new long[MINUTES];
        private final long[] delivered = new long[MINUTES];
        private final long[] latencySum = new long[MINUTES];
        private final long[] latencyCount = new long[MINUTES];
        private final long[] latencyMax = new long[MINUTES];

        synchronized void delivered(long now, long events) {
            delivered[slot(now)] += events;
        }

        synchronized void latency(long now, long ms) {
            int slot = slot(now);
            latencySum[slot] += ms;
            latencyCount[slot]++;
            latencyMax[slot] = Math.max(latencyMax[slot], ms);
        }

        private int slot(long now) {
            int slot = (int) (now % MINUTES);
            if (minute[slot] != now) {
                minute[slot] = now;
                delivered[slot] = 0;
                latencySum[slot] = 0;
                latencyCount[slot] = 0;
                latencyMax[slot] = 0;
            }
            return slot;
        }

        synchronized Recent recent(long now) {
            long[] perMinute = new long[MINUTES];
            long sum = 0;
            long count = 0;
            long max = 0;
            for (int i = 0; i < MINUTES; i++) {
                long m = now - (MINUTES - 1) + i;
                int slot = (int) (m % MINUTES);
                if (minute[slot] == m) {
                    perMinute[i] = delivered[slot];
                    sum += latencySum[slot];
                    count += latencyCount[slot];
                    max = Math.max(max, latencyMax[slot]);
                }
            }
            return new Recent(perMinute, count == 0 ? null : sum / count, count == 0 ? null : max);
        }
    }
}
