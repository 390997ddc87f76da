package dev.eventrelay.ingest.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.mapping.NestedProperties;
import dev.eventrelay.mapping.EventDates;
import dev.eventrelay.model.EventIds;
import dev.eventrelay.mapping.EventTypeRules;
import dev.eventrelay.mapping.RowOutcome;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.Origin;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns one warehouse row into an event, or says why the row is rejected, following the row rules.
 * Mapped columns fill the event's fields; every other column becomes a property under its own name
 * ({@code parent___child} nests), typed as the warehouse types it (numbers, booleans, timestamps,
 * JSON values), and NULL columns are left out. The event id is the unique id when one is mapped, else
 * a name-based id of the sync and the row's mapped values.
 */
public final class WarehouseRowMapper {

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private final WarehouseSyncConfig config;
    private final SqlDialect dialect;
    private final String runId;
    private final Map<String, SourceColumns.Column> roles = new LinkedHashMap<>();
    private final List<SourceColumns.Column> properties = new ArrayList<>();
    /** The nested path of each of {@link #properties}, resolved once per table. */
    private final List<NestedProperties.Path> paths = new ArrayList<>();
    private final EventDates dates = new EventDates(ZoneOffset.UTC);

    public WarehouseRowMapper(WarehouseSyncConfig config, SourceColumns columns, String runId) {
        this.config = config;
        this.dialect = config.dialect();
        this.runId = runId;
        for (SourceColumns.Column column : columns.all()) {
            String role = roleOf(column);
            if (role != null) {
                roles.put(role, column);
            } else {
                properties.add(column);
                paths.add(NestedProperties.path(column.name()));
            }
        }
    }

    private String roleOf(SourceColumns.Column column) {
        for (Map.Entry<String, String> entry : config.mapping().entrySet()) {
            if (entry.getValue().equalsIgnoreCase(column.name())) {
                return entry.getKey();
            }
        }
        return null;
    }

    /** The row's key for messages and rejected rows: {@code column=value} of the unique id, else of the change column. */
    public String rowKey(ResultSet row) throws SQLException {
        SourceColumns.Column column = roles.getOrDefault(WarehouseSyncConfig.UNIQUE_ID,
                roles.get(WarehouseSyncConfig.CHANGED_AT));
        return column.name() + "=" + text(row, column);
    }

    public RowOutcome map(ResultSet row, Instant receivedAt) throws SQLException {
        String eventType = config.eventTypeConstant();
        if (roles.containsKey(WarehouseSyncConfig.EVENT_TYPE)) {
            eventType = text(row, roles.get(WarehouseSyncConfig.EVENT_TYPE));
        }
        String typeViolation = EventTypeRules.violation(eventType == null ? null : eventType.trim());
        if (typeViolation != null) {
            return RowOutcome.rejected(typeViolation);
        }
        Map<String, String> ids = new TreeMap<>();
        for (Map.Entry<String, String> id : WarehouseSyncConfig.IDENTIFIERS.entrySet()) {
            SourceColumns.Column column = roles.get(id.getKey());
            String value = column == null ? null : text(row, column);
            if (value != null && !value.isBlank()) {
                ids.put(id.getValue(), value.trim());
            }
        }
        if (ids.isEmpty()) {
            return RowOutcome.rejected("no profile identifier: the mapped identifier columns are all empty");
        }
        SourceColumns.Column dateColumn = roles.get(WarehouseSyncConfig.EVENT_DATE);
        Object date = typed(row, dateColumn);
        Instant eventDate = date instanceof Instant instant ? instant : date == null ? null : dates.parse(date.toString());
        if (eventDate == null) {
            return RowOutcome.rejected(date == null ? dateColumn.name() + " is empty"
                    : dateColumn.name() + " '" + date + "' is not " + EventDates.FORMS);
        }
        BigDecimal value = null;
        SourceColumns.Column valueColumn = roles.get(WarehouseSyncConfig.VALUE);
        if (valueColumn != null) {
            Object raw = typed(row, valueColumn);
            if (raw instanceof BigDecimal number) {
                value = number;
            } else if (raw != null) {
                try {
                    value = new BigDecimal(raw.toString().trim());
                } catch (NumberFormatException e) {
                    return RowOutcome.rejected(valueColumn.name() + " '" + raw + "' is not a number");
                }
            }
        }
        SourceColumns.Column currencyColumn = roles.get(WarehouseSyncConfig.VALUE_CURRENCY);
        String currency = currencyColumn == null ? null : text(row, currencyColumn);
        Map<String, Object> props = new LinkedHashMap<>();
        for (int i = 0; i < properties.size(); i++) {
            Object typed = typed(row, properties.get(i));
            if (typed != null) {
                NestedProperties.put(props, paths.get(i), typed);
            }
        }
        SourceColumns.Column uniqueColumn = roles.get(WarehouseSyncConfig.UNIQUE_ID);
        String unique = uniqueColumn == null ? null : text(row, uniqueColumn);
        String eventId = unique != null && unique.length() <= 36 ? unique
                : EventIds.nameBased(config.name() + "\n" + config.source() + "\n"
                        + (unique != null ? unique : rowIdentity(row)));
        Origin origin = new Origin("warehouse", config.name(), null, null, null, 0, runId);
        Map<String, String> profile = new LinkedHashMap<>();
        for (String key : Event.PROFILE_KEYS) {
            if (ids.containsKey(key)) {
                profile.put(key, ids.get(key));
            }
        }
        Event event = new Event(eventId, eventType.trim(), eventDate, receivedAt, profile, value,
                currency == null || currency.isBlank() ? null : currency.trim(), null, null, props, origin);
        return RowOutcome.accepted(event, List.of());
    }

    /** The values of every mapped column, in role order: the row's identity when there is no unique id. */
    private String rowIdentity(ResultSet row) throws SQLException {
        StringBuilder identity = new StringBuilder();
        for (String role : WarehouseSyncConfig.ROLES) {
            SourceColumns.Column column = roles.get(role);
            if (column != null && !role.equals(WarehouseSyncConfig.CHANGED_AT)) {
                identity.append(role).append('=').append(text(row, column)).append('\n');
            }
        }
        return identity.toString();
    }

    private String text(ResultSet row, SourceColumns.Column column) throws SQLException {
        Object typed = typed(row, column);
        if (typed instanceof Instant instant) {
            return instant.toString();
        }
        return typed == null ? null : typed.toString();
    }

    /**
     * The column's value as the event model holds it: BigDecimal, Boolean, Instant, String, or JSON maps and lists;
     * which columns are timestamps with a zone, booleans and JSON is the dialect's call.
     */
    Object typed(ResultSet row, SourceColumns.Column column) throws SQLException {
        int i = column.index();
        if (dialect.hasTimeZone(column)) {
            return dialect.readTimestamp(row, column);
        }
        if (dialect.isBoolean(column)) {
            boolean bool = row.getBoolean(i);
            return row.wasNull() ? null : bool;
        }
        Object value = switch (column.sqlType()) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.NUMERIC, Types.DECIMAL ->
                    row.getBigDecimal(i);
            case Types.REAL, Types.FLOAT, Types.DOUBLE -> {
                double number = row.getDouble(i);
                yield row.wasNull() ? null : Double.isFinite(number) ? BigDecimal.valueOf(number) : Double.toString(number);
            }
            case Types.TIMESTAMP -> dialect.readTimestamp(row, column);
            case Types.DATE -> {
                LocalDate day = row.getObject(i, LocalDate.class);
                yield day == null ? null : day.toString();
            }
            default -> row.getString(i);
        };
        if (value instanceof String text && (dialect.isJson(column) || column.sqlType() == Types.OTHER && looksJson(text))) {
            return json(text, column);
        }
        return value;
    }

    private static boolean looksJson(String text) {
        String t = text.trim();
        return t.startsWith("{") || t.startsWith("[");
    }

    private static Object json(String text, SourceColumns.Column column) {
        try {
            return plain(JSON.readTree(text));
        } catch (JsonProcessingException e) {
            return text;
        }
    }

    /** A JSON tree as maps, lists, BigDecimal, Boolean, String and null, the way the event writer takes them. */
    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                map.put(field.getKey(), plain(field.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(item -> list.add(plain(item)));
            return list;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.asText();
    }

}
