package dev.eventrelay.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

/** Event properties from column names: a column named {@code parent___child} becomes {@code parent.child}. */
public final class NestedProperties {

    /** What separates the levels of a nested property in a column name. */
    public static final String NESTING = "___";

    private NestedProperties() {
    }

    /** Puts {@code value} into {@code properties} at the path that {@code column} names. */
    @SuppressWarnings("unchecked")
    public static void put(Map<String, Object> properties, String column, Object value) {
        String[] path = column.split(NESTING, -1);
        Map<String, Object> level = properties;
        for (int i = 0; i < path.length - 1; i++) {
            Object child = level.get(path[i]);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                level.put(path[i], child);
            }
            level = (Map<String, Object>) child;
        }
        level.put(path[path.length - 1], value);
    }
}
