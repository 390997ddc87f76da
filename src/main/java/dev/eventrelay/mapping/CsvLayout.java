package dev.eventrelay.mapping;

import dev.eventrelay.model.Event;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What each header column of a file means: a profile identifier, the event date, the event type,
 * value, currency, product ids, a UTM value, or (any other column) a property.
 */
public final class CsvLayout {

    /** The role of a column. {@code key} is the contract name (profile or UTM key) where one applies. */
    public record Column(int index, String name, Role role, String key) {
    }

    public enum Role { IDENTIFIER, EVENT_DATE, EVENT_TYPE, VALUE, VALUE_CURRENCY, PRODUCT_IDS, UTM, PROPERTY }

    private static final Map<String, String> IDENTIFIERS = Map.of(
            "externalId", "external_id", "external_id", "external_id",
            "email", "email", "phone", "phone",
            "customerId", "customer_id", "customer_id", "customer_id");
    private static final List<String> EVENT_DATE = List.of("eventDate", "event_date", "timestamp");
    private static final List<String> VALUE_CURRENCY = List.of("valueCurrency", "value_currency");
    private static final List<String> PRODUCT_IDS = List.of("productIds", "product_ids");

    private final List<Column> columns;

    private CsvLayout(List<Column> columns) {
        this.columns = columns;
    }

    public List<Column> columns() {
        return columns;
    }

    /** Whether a column of this name holds a profile identifier. */
    public static boolean isIdentifier(String name) {
        return IDENTIFIERS.containsKey(name);
    }

    /** Whether a column of this name holds the event date. */
    public static boolean isEventDate(String name) {
        return EVENT_DATE.contains(name);
    }

    /** Lays out {@code header}; rejects the file when a required column or the event type column is missing. */
    public static CsvLayout of(List<String> header, MappingSettings settings) throws HeaderRejectedException {
        for (String required : settings.requiredColumns()) {
            if (!header.contains(required)) {
                throw new HeaderRejectedException("required column '" + required + "' is missing; the header has "
                        + header.size() + (header.size() == 1 ? " column: " : " columns: ") + listed(header)
                        + delimiterHint(header));
            }
        }
        List<Column> columns = new ArrayList<>();
        boolean typeColumn = false;
        for (int i = 0; i < header.size(); i++) {
            String name = header.get(i);
            Column column;
            if (IDENTIFIERS.containsKey(name)) {
                column = new Column(i, name, Role.IDENTIFIER, IDENTIFIERS.get(name));
            } else if (EVENT_DATE.contains(name)) {
                column = new Column(i, name, Role.EVENT_DATE, null);
            } else if (settings.eventType() == null && settings.eventTypeColumns().contains(name)) {
                column = new Column(i, name, Role.EVENT_TYPE, null);
                typeColumn = true;
            } else if (name.equals("value")) {
                column = new Column(i, name, Role.VALUE, null);
            } else if (VALUE_CURRENCY.contains(name)) {
                column = new Column(i, name, Role.VALUE_CURRENCY, null);
            } else if (PRODUCT_IDS.contains(name)) {
                column = new Column(i, name, Role.PRODUCT_IDS, null);
            } else if (name.startsWith("utm_") && Event.UTM_KEYS.contains(name.substring(4))) {
                column = new Column(i, name, Role.UTM, name.substring(4));
            } else {
                column = new Column(i, name, Role.PROPERTY, null);
            }
            columns.add(column);
        }
        if (settings.eventType() == null && !typeColumn) {
            throw new HeaderRejectedException("no event type: give an event code, or a column named "
                    + String.join(" or ", settings.eventTypeColumns()));
        }
        checkOneColumnPerField(columns);
        checkPropertyPaths(columns);
        return new CsvLayout(List.copyOf(columns));
    }

    /** Two columns for one field (externalId and external_id, eventDate and timestamp) would lose one value. */
    private static void checkOneColumnPerField(List<Column> columns) throws HeaderRejectedException {
        Map<String, Column> fields = new HashMap<>();
        for (Column column : columns) {
            if (column.role() == Role.PROPERTY) {
                continue;
            }
            String field = column.key() != null ? column.key() : column.role().name().toLowerCase().replace('_', ' ');
            Column other = fields.putIfAbsent(field, column);
            if (other != null) {
                throw new HeaderRejectedException("columns '" + other.name() + "' and '" + column.name()
                        + "' both give the " + field + "; keep one of them");
            }
        }
    }

    /**
     * Property columns must name distinct places: {@code store} and {@code store___city} would make
     * {@code store} both a value and an object, and an empty level ({@code a______b}, {@code ___a}) names none.
     */
    private static void checkPropertyPaths(List<Column> columns) throws HeaderRejectedException {
        Map<String, String> values = new HashMap<>();  // path (levels joined by NUL, which no text holds) -> column
        Map<String, String> parents = new HashMap<>();
        for (Column column : columns) {
            if (column.role() != Role.PROPERTY) {
                continue;
            }
            String name = column.name();
            String[] levels = NestedProperties.levels(name);
            if (Arrays.asList(levels).contains("")) {
                throw new HeaderRejectedException("column '" + Excerpt.name(name) + "' names a nested property with an"
                        + " empty level (levels are separated by " + NestedProperties.NESTING + ")");
            }
            StringBuilder path = new StringBuilder();
            for (int level = 0; level < levels.length - 1; level++) {
                path.append(level == 0 ? "" : "\u0000").append(levels[level]);
                clash(values.get(path.toString()), name);
                parents.putIfAbsent(path.toString(), name);
            }
            String full = String.join("\u0000", levels);
            clash(name, parents.get(full));
            values.put(full, name);
        }
    }

    private static void clash(String valueColumn, String nestedColumn) throws HeaderRejectedException {
        if (valueColumn != null && nestedColumn != null) {
            throw new HeaderRejectedException("columns '" + Excerpt.name(valueColumn) + "' and '"
                    + Excerpt.name(nestedColumn) + "' clash: a property cannot be a value and hold nested"
                    + " properties; rename one of them");
        }
    }

    private static final int LISTED_COLUMNS = 20;

    /** The first names of {@code header}, each cut short when long, so a reason stays short. */
    private static String listed(List<String> header) {
        List<String> names = header.stream().limit(LISTED_COLUMNS).map(Excerpt::name).toList();
        return String.join(", ", names) + (header.size() > LISTED_COLUMNS
                ? " and " + (header.size() - LISTED_COLUMNS) + " more" : "");
    }

    /** A guess at the delimiter when the whole header landed in one column. */
    private static String delimiterHint(List<String> header) {
        if (header.size() != 1) {
            return "";
        }
        for (char candidate : new char[] {';', '\t', '|', ','}) {
            if (header.get(0).indexOf(candidate) >= 0) {
                return " (is the delimiter " + (candidate == '\t' ? "tab" : "'" + candidate + "'") + "?)";
            }
        }
        return "";
    }
}
