package dev.eventrelay.mapping;

import dev.eventrelay.model.EventIds;
import dev.eventrelay.mapping.CsvLayout.Column;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.Origin;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Applies the row rules to one CSV row and builds its event, or says why the row is rejected. What depends only on
 * the header (each property column's nested path and attribute type) is resolved once, when the mapper is made for
 * a file; a row's work is then plain Java without regular expressions.
 */
public final class CsvRowMapper {

    private static final int MAX_NUMBER_CHARS = 100;

    private final MappingSettings settings;
    private final CsvLayout layout;
    private final EventDates dates;
    private final String file;
    private final String runId;
    private final String productIdDelimiter;
    /** By column index: the nested path and attribute type of each property column (null for other columns). */
    private final NestedProperties.Path[] paths;
    private final AttributeType[] types;

    public CsvRowMapper(MappingSettings settings, CsvLayout layout, String file, String runId) {
        this.settings = settings;
        this.layout = layout;
        this.dates = new EventDates(settings.zone());
        this.file = file;
        this.runId = runId;
        this.productIdDelimiter = settings.productIdDelimiter();
        int width = 0;
        for (Column column : layout.columns()) {
            width = Math.max(width, column.index() + 1);
        }
        this.paths = new NestedProperties.Path[width];
        this.types = new AttributeType[width];
        for (Column column : layout.columns()) {
            if (column.role() == CsvLayout.Role.PROPERTY) {
                paths[column.index()] = NestedProperties.path(column.name());
                types[column.index()] = settings.eventType() == null ? AttributeType.STRING
                        : settings.eventType().typeOf(column.name());
            }
        }
    }

    public RowOutcome map(long rowNumber, List<String> values, Instant receivedAt) {
        int expected = layout.columns().size();
        if (values.size() != expected) {
            return RowOutcome.rejected("the row has " + values.size() + (values.size() == 1 ? " value" : " values")
                    + ", the header has " + expected + " columns");
        }
        String eventType = settings.eventType() == null ? null : settings.eventType().name();
        Instant eventDate = null;
        Map<String, String> ids = new TreeMap<>();
        BigDecimal value = null;
        String currency = null;
        List<String> productIds = null;
        Map<String, String> rowUtm = new LinkedHashMap<>();
        Map<String, Object> properties = new LinkedHashMap<>();
        List<String> warnings = new ArrayList<>(0);
        for (Column column : layout.columns()) {
            String text = values.get(column.index()).trim();
            if (column.role() == CsvLayout.Role.EVENT_TYPE) {
                eventType = text;
            }
            if (text.isEmpty()) {
                continue;
            }
            switch (column.role()) {
                case IDENTIFIER -> ids.put(column.key(), text);
                case EVENT_DATE -> {
                    eventDate = dates.parse(text);
                    if (eventDate == null) {
                        return RowOutcome.rejected(Excerpt.name(column.name()) + " " + Excerpt.quote(text) + " is not "
                                + EventDates.FORMS);
                    }
                }
                case VALUE -> {
                    value = number(text);
                    if (value == null) {
                        return RowOutcome.rejected(Excerpt.name(column.name()) + " " + Excerpt.quote(text) + " is not a number");
                    }
                }
                case VALUE_CURRENCY -> currency = text;
                case PRODUCT_IDS -> productIds = splitProductIds(text);
                case UTM -> rowUtm.put(column.key(), text);
                case PROPERTY -> {
                    String rejection = putProperty(properties, column, text, warnings);
                    if (rejection != null) {
                        return RowOutcome.rejected(rejection);
                    }
                }
                case EVENT_TYPE -> { }
            }
        }
        String typeViolation = EventTypeRules.violation(eventType);
        if (typeViolation != null) {
            return RowOutcome.rejected(typeViolation);
        }
        if (ids.isEmpty()) {
            return RowOutcome.rejected("no profile identifier: externalId, email, phone and customerId are all empty or absent");
        }
        if (eventDate == null) {
            if (settings.eventDateRequired()) {
                return RowOutcome.rejected("the event date is empty");
            }
            eventDate = receivedAt;
        }
        Origin origin = new Origin(settings.kind(), settings.importName(), settings.channel(),
                settings.eventType() == null ? null : settings.eventType().code(), file, rowNumber, runId);
        Event event = new Event(EventIds.forFileRow(settings.importName(), file, rowNumber), eventType, eventDate,
                receivedAt, profile(ids), value, currency, productIds, utm(rowUtm), properties, origin);
        return RowOutcome.accepted(event, warnings);
    }

    private String putProperty(Map<String, Object> properties, Column property, String text, List<String> warnings) {
        String column = property.name();
        AttributeType type = types[property.index()];
        Object typed = switch (type) {
            case STRING -> text;
            case NUMBER -> number(text);
            case DATE -> dates.parse(text);
            case BOOLEAN -> {
                if (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false")) {
                    yield Boolean.valueOf(text.equalsIgnoreCase("true"));
                }
                warnings.add(Excerpt.name(column) + " " + Excerpt.quote(text) + " is not true or false; it is read as false");
                yield Boolean.FALSE;
            }
        };
        if (typed == null) {
            return Excerpt.name(column) + " " + Excerpt.quote(text) + " is not a " + (type == AttributeType.NUMBER ? "number" : "date in the form "
                    + EventDates.FORMS);
        }
        NestedProperties.put(properties, paths[property.index()], typed);
        return null;
    }


    private List<String> splitProductIds(String text) {
        List<String> ids = new ArrayList<>(4);
        if (productIdDelimiter.isEmpty()) {
            if (!text.isBlank()) {
                ids.add(text.trim());
            }
            return ids;
        }
        int from = 0;
        while (from <= text.length()) {
            int at = text.indexOf(productIdDelimiter, from);
            int end = at < 0 ? text.length() : at;
            String id = text.substring(from, end);
            if (!id.isBlank()) {
                ids.add(id.trim());
            }
            if (at < 0) {
                break;
            }
            from = at + productIdDelimiter.length();
        }
        return ids;
    }

    private Map<String, String> utm(Map<String, String> rowUtm) {
        Map<String, String> utm = new LinkedHashMap<>();
        boolean any = false;
        for (String key : Event.UTM_KEYS) {
            String value = rowUtm.getOrDefault(key, settings.utm().get(key));
            utm.put(key, value);
            any |= value != null;
        }
        return any ? utm : null;
    }

    private static Map<String, String> profile(Map<String, String> ids) {
        Map<String, String> profile = new LinkedHashMap<>();
        for (String key : Event.PROFILE_KEYS) {
            if (ids.containsKey(key)) {
                profile.put(key, ids.get(key));
            }
        }
        return profile;
    }

    /**
     * A decimal number written with ASCII digits, an optional sign, fraction and exponent of at most
     * three digits, in at most 100 characters; null otherwise. (BigDecimal alone would also take other
     * scripts' digits and exponents like 1e999999999, which receivers read as infinity.)
     */
    static BigDecimal number(String text) {
        if (text.length() > MAX_NUMBER_CHARS || !isDecimal(text)) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** {@code [+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,3})?} with ASCII digits, checked by hand. */
    static boolean isDecimal(String text) {
        int n = text.length();
        int i = 0;
        if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
            i++;
        }
        int intDigits = 0;
        while (i < n && isDigit(text.charAt(i))) {
            i++;
            intDigits++;
        }
        int fractionDigits = 0;
        if (i < n && text.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                fractionDigits++;
            }
        }
        if (intDigits == 0 && fractionDigits == 0) {
            return false;
        }
        if (i < n && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < n && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < n && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits < 1 || exponentDigits > 3) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
