package dev.eventrelay.delivery;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.systemevents.SystemEvents;

import java.util.Map;
import java.util.Set;

/**
 * Which events a hook captures: event types, import names, channels and event codes (each empty =
 * any), and properties that must equal a value (path {@code a.b} for nested properties). The service's own events
 * ({@link SystemEvents}) are captured only by a hook that lists their type: "all types" means all the imported ones.
 */
public record HookFilter(Set<String> eventTypes, Set<String> imports, Set<String> channels, Set<String> eventCodes,
                         Map<String, String> propertyEquals) {

    /** Whether an event of this type may be captured, before its JSON is read. */
    public boolean capturesType(String eventType) {
        return eventTypes.isEmpty() ? !SystemEvents.isSystem(eventType) : eventTypes.contains(eventType);
    }

    /** Whether the filters beyond the event type need the event's JSON. */
    public boolean needsEvent() {
        return !imports.isEmpty() || !channels.isEmpty() || !eventCodes.isEmpty() || !propertyEquals.isEmpty();
    }

    public boolean captures(JsonNode event) {
        JsonNode origin = event.path("origin");
        if (!matches(imports, origin.path("import")) || !matches(channels, origin.path("channel"))
                || !matches(eventCodes, origin.path("event_code"))) {
            return false;
        }
        for (Map.Entry<String, String> property : propertyEquals.entrySet()) {
            JsonNode value = event.path("properties");
            for (String part : property.getKey().split("\\.")) {
                value = value.path(part);
            }
            if (value.isMissingNode() || value.isNull() || !value.asText().equals(property.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(Set<String> allowed, JsonNode value) {
        return allowed.isEmpty() || (!value.isMissingNode() && allowed.contains(value.asText()));
    }
}
