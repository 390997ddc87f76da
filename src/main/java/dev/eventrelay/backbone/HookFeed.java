package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookStates;

import java.util.List;

/**
 * Where a hook reads its next events from: the event log of the state store ({@link StoreHookFeed}) or the
 * backbone's Kafka topic ({@link KafkaHookFeed}). {@code delivery.HookDelivery} decides everything else (capture,
 * retries, dead letters, pause, circuit) the same way on both.
 */
public interface HookFeed {

    /**
     * Events read for a hook: the entries, the position after them ({@code end}, what the hook's state pins while the
     * batch is retried), the batch id they go out under (the same whenever the same events are read again), and
     * whether more events were seen waiting (besides a full read, which always may have more).
     */
    record Read(List<EventLog.Entry> entries, EventLog.Cursor end, String batchId, boolean more) {

        public Read(List<EventLog.Entry> entries, EventLog.Cursor end, String batchId) {
            this(entries, end, batchId, false);
        }

        public static Read empty(EventLog.Cursor at) {
            return new Read(List.of(), at, null);
        }
    }

    /**
     * Up to {@code max} events for {@code hook} in its state {@code state}: while a batch is retried exactly the
     * same events again, else those after the hook's position.
     */
    Read read(String hook, HookStates.State state, int max);

    /** The hook captured none of {@code read}: its position moves past them. */
    void skipped(String hook, Read read);

    /** The batch that ended at {@code end} was delivered or dead-lettered (its state recorded): move past it. */
    void passed(String hook, EventLog.Cursor end);

    /**
     * A count that grows when this instance has published new events for the hooks, so that an idle hook reads at
     * once instead of at its next poll; constant (0) where the feed has no such signal: hooks then read every poll
     * interval.
     */
    default long published() {
        return 0;
    }

    /**
     * Whether {@link #read} changes nothing, so that a hook's next page may be read while its batch is in flight
     * ({@code delivery.ReadAhead}); false by default.
     */
    default boolean readsAhead() {
        return false;
    }
}
