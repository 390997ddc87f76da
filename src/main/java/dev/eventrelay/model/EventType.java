package dev.eventrelay.model;

import java.util.Map;

/**
 * Event metadata: the code that file names and uploads use, the event type name that events carry,
 * and the typed attributes (column name to type). Columns without metadata are strings.
 */
public record EventType(String code, String name, Map<String, AttributeType> attributes) {

    public AttributeType typeOf(String column) {
        return attributes.getOrDefault(column, AttributeType.STRING);
    }
}
