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
 */
public record MappingSettings(String kind, String importName, String channel, EventType eventType, ZoneId zone,
                              List<String> requiredColumns, boolean eventDateRequired, String productIdDelimiter,
                              Map<String, String> utm) {
}
