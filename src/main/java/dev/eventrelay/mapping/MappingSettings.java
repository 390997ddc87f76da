package dev.eventrelay.mapping;

import dev.eventrelay.model.EventType;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;

/**
 * How the rows of one file become events.
 *
 * @param kind             origin kind: sftp or upload
 * @param importName       the import's name
 * @param channel          the channel id, null for uploads
 * @param eventType        the event type of every row; null when a column names it per row
 * @param zone             the time zone of {@code yyyy-MM-dd HH:mm:ss} dates
 * @param requiredColumns  header names a file must have, else it is rejected whole
 * @param eventDateRequired whether a row without an event date is rejected (else the import time is used)
 * @param productIdDelimiter the delimiter inside the product ids column
 * @param utm              the import's UTM values, by key (source, medium, …); a row's own value wins
 * @param eventTypeColumn  the column that names the event type when {@code eventType} is null; null = any of
 *                         {@link #EVENT_TYPE_COLUMNS}
 */
public record MappingSettings(String kind, String importName, String channel, EventType eventType, ZoneId zone,
                              List<String> requiredColumns, boolean eventDateRequired, String productIdDelimiter,
                              Map<String, String> utm, String eventTypeColumn) {

    /** The column names that name the event type when no column is configured. */
    public static final List<String> EVENT_TYPE_COLUMNS = List.of("event", "eventType", "event_type");

    /** Settings whose event type column, if any, is one of {@link #EVENT_TYPE_COLUMNS}. */
    public MappingSettings(String kind, String importName, String channel, EventType eventType, ZoneId zone,
                           List<String> requiredColumns, boolean eventDateRequired, String productIdDelimiter,
                           Map<String, String> utm) {
        this(kind, importName, channel, eventType, zone, requiredColumns, eventDateRequired, productIdDelimiter, utm,
                null);
    }

    /** The header names that may name the event type. */
    public List<String> eventTypeColumns() {
        return eventTypeColumn == null ? EVENT_TYPE_COLUMNS : List.of(eventTypeColumn);
    }
}
