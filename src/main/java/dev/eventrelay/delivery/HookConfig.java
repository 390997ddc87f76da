package dev.eventrelay.delivery;

import dev.eventrelay.config.RelayProperties;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One hook, read from {@code relay.hook.<name>.*}: whether it is on, the event types it captures
 * (all when empty), its destination and the destination's settings, and its batching.
 */
public record HookConfig(String name, boolean enabled, Set<String> eventTypes, String destination, String folder,
                         int batchMaxEvents) {

    public static final String PREFIX = "relay.hook.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final List<String> DESTINATIONS = List.of("file");

    public static HookConfig read(String name, RelayProperties p) {
        String prefix = PREFIX + name + ".";
        if (!NAME.matcher(name).matches()) {
            p.problem(prefix + "*", "names a hook '" + name + "'; use lower-case letters, digits and '-'");
        }
        String destination = p.string(prefix + "destination", "file");
        if (!DESTINATIONS.contains(destination)) {
            p.problem(prefix + "destination", "'" + destination + "' is not one of " + DESTINATIONS);
        }
        String folder = "file".equals(destination)
                ? p.required(prefix + "file.folder", "the folder that receives the hook's JSON lines files")
                : null;
        return new HookConfig(name, p.bool(prefix + "enabled", true), Set.copyOf(p.list(prefix + "event-types")),
                destination, folder, p.integer(prefix + "batch.max-events", 1000, 1, 100_000));
    }

    /** Whether the hook captures events of this type. */
    public boolean captures(String eventType) {
        return eventTypes.isEmpty() || eventTypes.contains(eventType);
    }
}
