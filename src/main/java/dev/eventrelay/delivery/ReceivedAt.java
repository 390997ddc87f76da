package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** The {@code received_at} of an event or hook message, read without parsing the rest of it. */
public final class ReceivedAt {

    private static final JsonFactory JSON = new JsonFactory();

    private ReceivedAt() {
    }

    /** The top-level {@code received_at} of {@code json}, or null when it has none that parses. */
    public static Instant of(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("received_at".equals(field)) {
                    return value == JsonToken.VALUE_STRING ? Instant.parse(parser.getText()) : null;
                }
                parser.skipChildren();
            }
            return null;
        } catch (IOException | DateTimeParseException e) {
            return null;
        }
    }
}
