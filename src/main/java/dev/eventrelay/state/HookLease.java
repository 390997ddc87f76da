package dev.eventrelay.state;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which instance delivers a hook. On the store backbone that is {@link HookLeases}: a lease per hook in
 * {@code hook_state}, one holder at a time, hooks spread over the live instances. Where something else spreads the
 * work (a Kafka consumer group, or one instance alone), {@link #always} holds every hook and guards nothing. This
 * is also the seam where a leader election of another engine (Camel's cluster services) would plug in.
 */
public interface HookLease {

    /**
     * Whether this instance may deliver {@code hook} now, asked before the hook reads its next batch (never with a
     * batch in flight). It may take, renew or give up the hook's lease.
     */
    boolean holds(String hook);

    /** The instance that holds the hook's lease now, if any. */
    Optional<String> owner(String hook);

    /** The hooks each instance holds now, by instance id (for {@code GET /api/instances}). */
    Map<String, List<String>> hooksByOwner();

    /** A delivery update found the hook's lease lost ({@link HookLeaseLost}): what is remembered of it goes. */
    default void lost(String hook) {
    }

    /** Gives up every lease this instance holds (a graceful stop, once no batch is in flight). */
    void releaseAll();

    /**
     * The instance id that {@link HookStates}' delivery updates check in their {@code WHERE} clause
     * ({@code owner_instance}), or null when they check no owner.
     */
    String holder();

    /** Holds every hook, always, and guards no update: for one instance, or when Kafka spreads the hooks. */
    static HookLease always(String instanceId, Collection<String> hooks) {
        List<String> all = List.copyOf(hooks);
        return new HookLease() {
            @Override
            public boolean holds(String hook) {
                return true;
            }

            @Override
            public Optional<String> owner(String hook) {
                return Optional.of(instanceId);
            }

            @Override
            public Map<String, List<String>> hooksByOwner() {
                return all.isEmpty() ? Map.of() : Map.of(instanceId, all);
            }

            @Override
            public void releaseAll() {
            }

            @Override
            public String holder() {
                return null;
            }
        };
    }
}
