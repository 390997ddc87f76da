package dev.eventrelay.model;

import java.util.Locale;

/** The type of an event attribute, as configured in the event type's metadata. */
public enum AttributeType {
    STRING, NUMBER, BOOLEAN, DATE;

    /** Parses {@code string}, {@code number}, {@code boolean} or {@code date}; null when it is none of them. */
    public static AttributeType parse(String name) {
        for (AttributeType type : values()) {
            if (type.name().equals(name.trim().toUpperCase(Locale.ROOT))) {
                return type;
            }
        }
        return null;
    }
}
