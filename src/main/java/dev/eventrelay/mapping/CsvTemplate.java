package dev.eventrelay.mapping;

import dev.eventrelay.model.Event;
import dev.eventrelay.model.EventType;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The header row a file of one event type should have: the import's required columns, then
 * {@code externalId} when none of them is a profile identifier (every row needs one) and
 * {@code eventDate} when none of them is an event date, then the event type's attributes in their
 * configured order, then the five UTM columns. Each name appears once.
 */
public final class CsvTemplate {

    private CsvTemplate() {
    }

    public static List<String> header(List<String> requiredColumns, EventType type) {
        Set<String> columns = new LinkedHashSet<>(requiredColumns);
        if (columns.stream().noneMatch(CsvLayout::isIdentifier)) {
            columns.add("externalId");
        }
        if (columns.stream().noneMatch(CsvLayout::isEventDate)) {
            columns.add("eventDate");
        }
        columns.addAll(type.attributes().keySet());
        for (String key : Event.UTM_KEYS) {
            columns.add("utm_" + key);
        }
        return List.copyOf(columns);
    }
}
