package dev.eventrelay.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/** Writes an {@link Event} as the contract's JSON with a streaming generator, leaving out empty optional fields. */
public final class EventJson {

    private static final JsonFactory FACTORY = new JsonFactory();

    private EventJson() {
    }

    public static String write(Event event) {
        StringWriter out = new StringWriter(512);
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            write(event, json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** RFC 3339 in UTC: seconds, plus as many fractional digits as the instant has. */
    public static String rfc3339(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant);
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
