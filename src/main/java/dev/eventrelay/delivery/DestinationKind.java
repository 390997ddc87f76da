package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * A kind of destination as {@code relay.hook.<name>.destination} names it, declared by its {@link Destination} class
 * ({@code KIND}): the names it answers to, the keys it reads, and how it makes the hook's {@link Destination}.
 * {@link Destinations#KINDS} lists them; adding a destination is its class, its sink route and that line.
 */
public interface DestinationKind {

    /** The values of {@code relay.hook.<name>.destination} this kind serves, e.g. {@code http}. */
    List<String> names();

    /**
     * Reads the destination's keys under {@code prefix} ({@code relay.hook.<name>.}) into the parameters of its sink's
     * route template; a wrong value is a problem of {@code p} naming its key.
     */
    Map<String, String> endpoint(String destination, String prefix, PropertyReader p);

    /** The hook's signing secret, for kinds that sign; never a route parameter, so it never reaches a log. */
    default String secret(String prefix, PropertyReader p) {
        return null;
    }

    /** The destination of {@code hook}. */
    Destination create(HookConfig hook, Clock clock);
}
