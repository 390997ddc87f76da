package dev.eventrelay.delivery;

import dev.eventrelay.state.HookStates;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.kafka.common.errors.TimeoutException;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/**
 * What a failed delivery attempt means: transient failures (connection errors, timeouts, HTTP
 * 408/429/5xx, broker nacks) are retried; permanent ones (other HTTP 4xx, or any answer carrying
 * {@value #NO_RETRY_HEADER}{@code : true}) go to dead letters at once; {@code 410 Gone} disables the hook.
 *
 * @param status what the destination said, for the attempts list: {@code HTTP 503}, or the failure's code
 * @param answer what the destination answered (the HTTP body, or the client's message)
 * @param gone   the receiver answered {@code 410 Gone}: the hook is disabled at once
 */
public record DeliveryFailure(boolean permanent, HookStates.Failure failure, Duration retryAfter, String status,
                              String answer, boolean gone) {

    /** A receiver that answers a failure with this header set to {@code true} stops the retries of that batch. */
    public static final String NO_RETRY_HEADER = "Relay-No-Retry";

    private static final int MAX_MESSAGE = 1000;

    public static DeliveryFailure of(Throwable error, String hook, java.time.Instant now) {
        HttpOperationFailedException http = find(error, HttpOperationFailedException.class);
        if (http != null) {
            int status = http.getStatusCode();
            String retryAfter = null;
            boolean noRetry = false;
            if (http.getResponseHeaders() != null) {
                for (Map.Entry<String, String> header : http.getResponseHeaders().entrySet()) {
                    if ("Retry-After".equalsIgnoreCase(header.getKey())) {
                        retryAfter = header.getValue();
                    } else if (NO_RETRY_HEADER.equalsIgnoreCase(header.getKey())) {
                        noRetry = "true".equalsIgnoreCase(String.valueOf(header.getValue()).trim());
                    }
                }
            }
            boolean gone = status == 410;
            boolean permanent = noRetry || (status >= 400 && status < 500 && status != 408 && status != 429);
            String summary = "hook " + hook + ": the receiver answered HTTP " + status + (gone
                    ? " Gone; the hook is disabled until ops resume it" : noRetry ? "; the receiver asked (header "
                    + NO_RETRY_HEADER + ") not to retry the batch" : permanent ? "; not retried" : "");
            return new DeliveryFailure(permanent, new HookStates.Failure(summary, "http-" + status,
                    clip(http.getResponseBody())), parseRetryAfter(retryAfter, now), "HTTP " + status,
                    http.getResponseBody(), gone);
        }
        String code;
        if (find(error, ConnectException.class) != null || find(error, UnknownHostException.class) != null) {
            code = "connection-error";
        } else if (find(error, SocketTimeoutException.class) != null
                || find(error, TimeoutException.class) != null) {
            code = "timeout";
        } else {
            code = "delivery-error";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return new DeliveryFailure(false, new HookStates.Failure("hook " + hook + ": " + code + ": " + clip(message),
                code, clip(error.getMessage())), null, code, message, false);
    }

    /** {@code Retry-After} in seconds or as an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String value, java.time.Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT));
                Duration wait = Duration.between(now, at.toInstant());
                return wait.isNegative() ? Duration.ZERO : wait;
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String clip(String text) {
        return text == null || text.length() <= MAX_MESSAGE ? text : text.substring(0, MAX_MESSAGE) + "…";
    }
}
