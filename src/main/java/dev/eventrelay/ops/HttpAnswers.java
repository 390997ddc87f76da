package dev.eventrelay.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import dev.eventrelay.config.Secrets;
import dev.eventrelay.model.EventJson;

import java.time.Instant;

import java.util.Map;

/** Sets an HTTP answer on an exchange: a status, a content type, a body; errors as {@code {"error": "..."}}. */
final class HttpAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAnswers() {
    }

    static void json(Exchange exchange, int status, Object body) {
        try {
            answer(exchange, status, "application/json", Secrets.mask(JSON.writeValueAsString(body)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON answer", e);
        }
    }

    static void error(Exchange exchange, int status, String message) {
        json(exchange, status, Map.of("error", message));
    }

    static void answer(Exchange exchange, int status, String contentType, Object body) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        message.setBody(body);
    }

    /** A whole-number query parameter in [min, max]; answers 400 and returns null when it is not. */
    static Integer intParameter(Exchange exchange, String name, int fallback, int min, int max) {
        String text = exchange.getMessage().getHeader(name, String.class);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        HttpAnswers.error(exchange, 400, "parameter '" + name + "' must be a whole number from " + min + " to " + max
                + ", not '" + text + "'");
        return null;
    }

    static String time(Instant instant) {
        return instant == null ? null : EventJson.rfc3339(instant);
    }
}
