package dev.eventrelay.delivery;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The kinds of destination there are, and the {@link Destination} of each hook, by hook name. */
public final class Destinations {

    /** Every kind of destination; a new one is its {@link Destination} class, its sink route and its line here. */
    public static final List<DestinationKind> KINDS = List.of(FileDestination.KIND, HttpDestination.KIND,
            RabbitDestination.KIND, KafkaDestination.KIND);

    private Destinations() {
    }

    /** Every name of {@code relay.hook.<name>.destination}, in the order of {@link #KINDS}. */
    public static List<String> names() {
        return KINDS.stream().flatMap(kind -> kind.names().stream()).toList();
    }

    /** The kind named {@code destination}, or null when there is none. */
    public static DestinationKind kind(String destination) {
        return KINDS.stream().filter(kind -> kind.names().contains(destination)).findFirst().orElse(null);
    }

    public static Map<String, Destination> of(Collection<HookConfig> hooks, Clock clock) {
        Map<String, Destination> destinations = new HashMap<>();
        for (HookConfig hook : hooks) {
            destinations.put(hook.name(), kind(hook.destination()).create(hook, clock));
        }
        return destinations;
    }
}
