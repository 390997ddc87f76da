package dev.eventrelay.mapping;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event properties from column names: a column named {@code parent___child} becomes {@code parent.child}.
 * A column's {@link Path} is resolved once per file or table ({@link #path}); putting a row's value then only
 * walks the levels.
 */
public final class NestedProperties {

    /** What separates the levels of a nested property in a column name. */
    public static final String NESTING = "___";

    /** The levels a column name names, outermost first. */
    public record Path(String[] levels) {
    }

    private NestedProperties() {
    }

    /** The levels of {@code column}, split at every {@value #NESTING} (empty levels kept, as {@code split(…, -1)}). */
    public static String[] levels(String column) {
        List<String> levels = new ArrayList<>(2);
        int from = 0;
        for (int at = column.indexOf(NESTING); at >= 0; at = column.indexOf(NESTING, from)) {
            levels.add(column.substring(from, at));
            from = at + NESTING.length();
        }
        levels.add(column.substring(from));
        return levels.toArray(new String[0]);
    }

    /** The path {@code column} names, to resolve once and reuse for every row. */
    public static Path path(String column) {
        return new Path(levels(column));
    }

    /** Puts {@code value} into {@code properties} at the path that {@code column} names. */
    public static void put(Map<String, Object> properties, String column, Object value) {
        put(properties, path(column), value);
    }

    /** Puts {@code value} into {@code properties} at {@code path}. */
    @SuppressWarnings("unchecked")
    public static void put(Map<String, Object> properties, Path path, Object value) {
        String[] levels = path.levels();
        Map<String, Object> level = properties;
        for (int i = 0; i < levels.length - 1; i++) {
            Object child = level.get(levels[i]);
            if (!(child instanceof Map)) {
                child = new LinkedHashMap<String, Object>();
                level.put(levels[i], child);
            }
            level = (Map<String, Object>) child;
        }
        level.put(levels[levels.length - 1], value);
    }
}
