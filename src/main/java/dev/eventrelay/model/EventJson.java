package dev.eventrelay.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link Event} as the contract's JSON with a streaming generator, leaving out empty optional fields.
 * Each event is written once, into Jackson's recycled buffers; instants are formatted by hand (the same text as
 * {@link DateTimeFormatter#ISO_INSTANT}, without its per-call allocations).
 */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {
    }

    public static String write(Event event) {
        BufferRecycler buffers = FACTORY._getBufferRecycler();
        try (SegmentedStringWriter out = new SegmentedStringWriter(buffers)) {
            try (JsonGenerator json = FACTORY.createGenerator(out)) {
                write(event, json);
            }
            return out.getAndClear();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            buffers.releaseToPool();
        }
    }

    /**
     * RFC 3339 in UTC: seconds, plus as many fractional digits as the instant has (0, 3, 6 or 9, as
     * {@link DateTimeFormatter#ISO_INSTANT} writes them). Years outside 0000–9999 go to the formatter.
     */
    public static String rfc3339(Instant instant) {
        long seconds = instant.getEpochSecond();
        long days = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        // civil date from days since 1970-01-01 (H. Hinnant's algorithm)
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long dayOfEra = z - era * 146_097;
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
        long mp = (5 * dayOfYear + 2) / 153;
        int day = (int) (dayOfYear - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            return DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        int nanos = instant.getNano();
        int fraction = nanos == 0 ? 0 : nanos % 1_000_000 == 0 ? 3 : nanos % 1000 == 0 ? 6 : 9;
        char[] text = new char[20 + (fraction == 0 ? 0 : fraction + 1)];
        put(text, 0, (int) year, 4);
        text[4] = '-';
        put(text, 5, month, 2);
        text[7] = '-';
        put(text, 8, day, 2);
        text[10] = 'T';
        put(text, 11, secondOfDay / 3600, 2);
        text[13] = ':';
        put(text, 14, secondOfDay / 60 % 60, 2);
        text[16] = ':';
        put(text, 17, secondOfDay % 60, 2);
        int at = 19;
        if (fraction > 0) {
            text[at++] = '.';
            put(text, at, fraction == 3 ? nanos / 1_000_000 : fraction == 6 ? nanos / 1000 : nanos, fraction);
            at += fraction;
        }
        text[at] = 'Z';
        return new String(text);
    }

    private static void put(char[] text, int at, int value, int digits) {
        for (int i = at + digits - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }

    private static void write(Event event, JsonGenerator json) throws IOException {
        json.writeStartObject();
        json.writeStringField("event_id", event.eventId());
        json.writeStringField("event_type", event.eventType());
        json.writeStringField("event_date", rfc3339(event.eventDate()));
        json.writeStringField("received_at", rfc3339(event.receivedAt()));
        if (event.profile() != null && !event.profile().isEmpty()) {
            json.writeObjectFieldStart("profile");
            for (Map.Entry<String, String> id : event.profile().entrySet()) {
                json.writeStringField(id.getKey(), id.getValue());
            }
            json.writeEndObject();
        }
        if (event.value() != null) {
            json.writeFieldName("value");
            json.writeNumber(event.value());
        }
        if (event.valueCurrency() != null) {
            json.writeStringField("value_currency", event.valueCurrency());
        }
        if (event.productIds() != null && !event.productIds().isEmpty()) {
            json.writeArrayFieldStart("product_ids");
            for (String id : event.productIds()) {
                json.writeString(id);
            }
            json.writeEndArray();
        }
        if (event.utm() != null) {
            json.writeObjectFieldStart("utm");
            for (String key : Event.UTM_KEYS) {
                json.writeStringField(key, event.utm().get(key));
            }
            json.writeEndObject();
        }
        if (event.properties() != null && !event.properties().isEmpty()) {
            json.writeFieldName("properties");
            writeValue(event.properties(), json);
        }
        writeOrigin(event.origin(), json);
        json.writeEndObject();
    }

    private static void writeOrigin(Origin origin, JsonGenerator json) throws IOException {
        json.writeObjectFieldStart("origin");
        json.writeStringField("kind", origin.kind());
        writeIfPresent("import", origin.importName(), json); // absent only in system events about a hook
        writeIfPresent("channel", origin.channel(), json);
        writeIfPresent("event_code", origin.eventCode(), json);
        writeIfPresent("file", origin.file(), json);
        if (origin.row() > 0) {
            json.writeNumberField("row", origin.row());
        }
        writeIfPresent("run_id", origin.runId(), json);
        json.writeEndObject();
    }

    private static void writeIfPresent(String name, String value, JsonGenerator json) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    @SuppressWarnings("unchecked")
    private static void writeValue(Object value, JsonGenerator json) throws IOException {
        if (value instanceof Map<?, ?> map) {
            json.writeStartObject();
            for (Map.Entry<String, Object> entry : ((Map<String, Object>) map).entrySet()) {
                json.writeFieldName(entry.getKey());
                writeValue(entry.getValue(), json);
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object item : list) {
                writeValue(item, json);
            }
            json.writeEndArray();
        } else if (value instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if (value instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else if (value instanceof Instant instant) {
            json.writeString(rfc3339(instant));
        } else if (value == null) {
            json.writeNull();
        } else {
            json.writeString(value.toString());
        }
    }
}
