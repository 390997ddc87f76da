package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.mapping.EventTypeRules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.eventrelay.ingest.warehouse.WarehouseSyncConfig.CHANGED_AT;
import static dev.eventrelay.ingest.warehouse.WarehouseSyncConfig.EVENT_DATE;
import static dev.eventrelay.ingest.warehouse.WarehouseSyncConfig.EVENT_TYPE;

/**
 * Checks a sync's mapping: the rules that need no warehouse (required fields, one column mapped to
 * two fields, change column = event column, the event type constant), and, given the source's
 * columns, that every mapped column exists. Each problem names the property to fix and how.
 */
public final class MappingCheck {

    private MappingCheck() {
    }

    /** The problems of the mapping as configured; empty when there are none. */
    public static List<String> rules(WarehouseSyncConfig config) {
        String key = WarehouseSyncConfig.PREFIX + config.name() + ".";
        List<String> problems = new ArrayList<>();
        if (config.column(EVENT_DATE) == null) {
            problems.add(key + "mapping.event-date is required: name the column of the event timestamp");
        }
        String typeColumn = config.column(EVENT_TYPE);
        if (typeColumn == null && config.eventTypeConstant() == null) {
            problems.add(key + "event-type is required: set the event type of every row, or set " + key
                    + "mapping.event-type to the column that holds it");
        } else if (typeColumn != null && config.eventTypeConstant() != null) {
            problems.add(key + "event-type is set together with " + key + "mapping.event-type; keep only one");
        } else if (typeColumn == null) {
            String violation = EventTypeRules.violation(config.eventTypeConstant());
            if (violation != null) {
                problems.add(key + "event-type is not a valid event type: " + violation);
            }
        }
        if (WarehouseSyncConfig.IDENTIFIERS.keySet().stream().noneMatch(role -> config.column(role) != null)) {
            problems.add(key + "mapping.email, .phone, .external-id or .customer-id: at least one profile identifier"
                    + " column is required; map the column that identifies the customer");
        }
        String changed = config.column(CHANGED_AT);
        if (changed == null) {
            problems.add(key + "mapping.changed-at is required: name the column that says when a row was added or"
                    + " last changed");
        } else if (changed.equalsIgnoreCase(config.column(EVENT_DATE) == null ? "" : config.column(EVENT_DATE))) {
            problems.add(key + "mapping.changed-at must differ from " + key + "mapping.event-date (both are '"
                    + changed + "'): name the column that says when the row was added or changed");
        }
        Map<String, String> roleOfColumn = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : config.mapping().entrySet()) {
            String column = entry.getValue().toLowerCase(Locale.ROOT);
            String other = roleOfColumn.putIfAbsent(column, entry.getKey());
            if (other != null && !(other.equals(EVENT_DATE) && entry.getKey().equals(CHANGED_AT))) {
                problems.add(key + "mapping." + entry.getKey() + " maps column '" + entry.getValue() + "', which "
                        + key + "mapping." + other + " maps already; map each column to one field");
            }
        }
        return problems;
    }

    /** The mapped columns the source lacks; empty when every one exists. */
    public static List<String> columns(WarehouseSyncConfig config, SourceColumns columns) {
        String key = WarehouseSyncConfig.PREFIX + config.name() + ".";
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> entry : config.mapping().entrySet()) {
            if (columns.find(entry.getValue()).isEmpty()) {
                problems.add(key + "mapping." + entry.getKey() + " names column '" + entry.getValue() + "', which "
                        + config.source() + " does not have; use one of " + String.join(", ", columns.names()));
            }
        }
        return problems;
    }
}
