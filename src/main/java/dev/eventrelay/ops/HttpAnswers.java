package dev.eventrelay.ops;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import dev.eventrelay.common.Secrets;
import dev.eventrelay.model.EventJson;

import java.time.Instant;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sets an HTTP answer on an exchange: a status, a content type, a body; errors as {@code {"error": "..."}}. */
final class HttpAnswers {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpAnswers() {
    }

    static void json(Exchange exchange, int status, Object body) {
        answer(exchange, status, "application/json", text(body));
    }

    /** {@code body} as JSON text. */
    static String text(Object body) {
        try {
            return Secrets.mask(JSON.writeValueAsString(body));
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

    /** The optional {@code reason} of a pause, stripped; {@code text} is null when none was given. */
    record Reason(String text) {
        static final int MAX = 500;
    }

    /** The {@code reason} parameter; answers 400 and returns null when it is longer than {@value Reason#MAX}. */
    static Reason reason(Exchange exchange) {
        String reason = exchange.getMessage().getHeader("reason", String.class);
        reason = reason == null || reason.isBlank() ? null : reason.strip();
        if (reason != null && reason.length() > Reason.MAX) {
            error(exchange, 400, "parameter 'reason' is longer than " + Reason.MAX + " characters");
            return null;
        }
        return new Reason(reason);
    }

    /** A page of a list: {@code limit} items from {@code offset}. */
    record Page(int limit, int offset) {

        <T> List<T> of(List<T> all) {
            return offset >= all.size() ? List.of() : all.subList(offset, Math.min(all.size(), offset + limit));
        }

        /** The answer of a paged list: the items under {@code key}, the total count, limit and offset. */
        Map<String, Object> answer(String key, List<?> items, long total) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put(key, items);
            json.put("total", total);
            json.put("limit", limit);
            json.put("offset", offset);
            return json;
        }
    }

    /** The {@code limit} (1 to max) and {@code offset} parameters; answers 400 and returns null when one is bad. */
    static Page page(Exchange exchange, int defaultLimit, int maxLimit) {
        Integer limit = intParameter(exchange, "limit", defaultLimit, 1, maxLimit);
        Integer offset = limit == null ? null : intParameter(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        return offset == null ? null : new Page(limit, offset);
    }

    static String time(Instant instant) {
        return instant == null ? null : EventJson.rfc3339(instant);
    }
}
