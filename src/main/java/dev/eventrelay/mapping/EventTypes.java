package dev.eventrelay.mapping;

import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.EventType;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The configured event types, by event code:
 * {@code relay.event-type.<code>.name} and {@code relay.event-type.<code>.attributes}
 * ({@code column:type, ...} with type string, number, boolean or date).
 */
public final class EventTypes {

    public static final String PREFIX = "relay.event-type.";

    private final Map<String, EventType> byCode;

    public EventTypes(Map<String, EventType> byCode) {
        this.byCode = Map.copyOf(byCode);
    }

    public static EventTypes read(PropertyReader properties) {
        Map<String, EventType> byCode = new LinkedHashMap<>();
        for (String code : properties.names(PREFIX)) {
            String prefix = PREFIX + code + ".";
            String name = properties.required(prefix + "name", "the event type name that events of code " + code
                    + " carry");
            if (name != null && EventTypeRules.violation(name) != null) {
                properties.problem(prefix + "name", "is not a valid event type: " + EventTypeRules.violation(name));
            }
            Map<String, AttributeType> attributes = new LinkedHashMap<>();
            for (String attribute : properties.list(prefix + "attributes")) {
                int colon = attribute.lastIndexOf(':');
                AttributeType type = colon < 0 ? null : AttributeType.parse(attribute.substring(colon + 1));
                if (type == null) {
                    properties.problem(prefix + "attributes", "has '" + attribute
                            + "'; write column:type with type string, number, boolean or date");
                } else if (attributes.put(attribute.substring(0, colon).trim(), type) != null) {
                    properties.problem(prefix + "attributes", "names the column '" + attribute.substring(0, colon).trim()
                            + "' twice; give each column one type");
                }
            }
            byCode.put(code, new EventType(code, name, attributes));
        }
        return new EventTypes(byCode);
    }

    public Optional<EventType> byCode(String code) {
        return Optional.ofNullable(byCode.get(code));
    }

    public Map<String, EventType> all() {
        return byCode;
    }
}
