package dev.eventrelay.delivery;

import dev.eventrelay.backbone.HookFeed;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each hook reads its feed again. The hook's timer ticks often ({@link HookDelivery#TICK}); a hook that sent a
 * batch (or saw more waiting) reads again at the next tick, and one that found nothing to send (or could not read) reads again once its
 * poll interval ({@code relay.hook.<name>.poll-interval.seconds}) has passed, or as soon as this instance has
 * published new events ({@link HookFeed#published}), so a file's events go out right after its import ends.
 * Intervals are measured on {@link System#nanoTime()}, as the timer runs.
 */
final class HookPolls {

    /** A hook that found nothing: since when, and the feed's publication count before that read. */
    private record Idle(long sinceNanos, long published) {
    }

    private final HookFeed feed;
    private final Map<String, Idle> idle = new ConcurrentHashMap<>();

    HookPolls(HookFeed feed) {
        this.feed = feed;
    }

    /** Whether {@code hook} reads now; if so, the publication count to hand to {@link #read} (taken before reading). */
    boolean due(HookConfig hook) {
        Idle was = idle.get(hook.name());
        return was == null || feed.published() != was.published()
                || System.nanoTime() - was.sinceNanos() >= hook.pollInterval().toNanos();
    }

    /** The publication count now: what a read that follows has surely seen. */
    long published() {
        return feed.published();
    }

    /**
     * The hook read: it found a batch to send or more to read ({@code busy}), or nothing ({@code publishedBefore}:
     * {@link #published} before the read).
     */
    void read(String hook, boolean busy, long publishedBefore) {
        if (busy) {
            idle.remove(hook);
        } else {
            idle.put(hook, new Idle(System.nanoTime(), publishedBefore));
        }
    }
}
