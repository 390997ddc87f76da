package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.UUID;

/**
 * Render time of a {@link CustomDataTemplate}: the parts a template is cut into (literal JSON text, placeholders
 * whose values are escaped as they are appended), the readers of the placeholders, and what one rendering reads at
 * most once (the event date, the uuid).
 */
final class CustomDataRendering {

    private static final JsonStringEncoder ENCODER = JsonStringEncoder.getInstance();
    private static final BigInteger NANOS_PER_SECOND = BigInteger.valueOf(1_000_000_000L);

    private static final DateTimeFormatter MICROS = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 6, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter SECONDS = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter YMD = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    private final JsonNode event;
    private boolean dateRead;
    private Instant eventDate;
    private String uuid;

    private CustomDataRendering(JsonNode event) {
        this.event = event;
    }

    /** The parts rendered for {@code event}, as compact JSON text. */
    static String render(Part[] parts, JsonNode event) {
        CustomDataRendering rendering = new CustomDataRendering(event);
        StringBuilder out = new StringBuilder(128);
        for (Part part : parts) {
            part.appendTo(out, rendering);
        }
        return out.toString();
    }

    /** A date placeholder: the event date in {@code format}, empty when the event has none. */
    static Value date(DateFormat format) {
        return rendering -> {
            Instant date = rendering.eventDate();
            return date == null ? "" : format.format(date);
        };
    }

    /** A field placeholder: the text of the event's value at {@code path}. */
    static Value field(String... path) {
        return rendering -> textAt(rendering.event, path);
    }

    static String micros(Instant instant) {
        return MICROS.format(instant);
    }

    static String seconds(Instant instant) {
        return SECONDS.format(instant);
    }

    static String ymd(Instant instant) {
        return YMD.format(instant);
    }

    static String unixSeconds(Instant instant) {
        return Long.toString(instant.getEpochSecond());
    }

    static String unixNanos(Instant instant) {
        long seconds = instant.getEpochSecond();
        if (Math.abs(seconds) < Long.MAX_VALUE / 1_000_000_000L - 1) {
            return Long.toString(seconds * 1_000_000_000L + instant.getNano());
        }
        return BigInteger.valueOf(seconds).multiply(NANOS_PER_SECOND).add(BigInteger.valueOf(instant.getNano()))
                .toString();
    }

    /** The text of the value at {@code path}: a string as is, other values as JSON, absent or null as "". */
    private static String textAt(JsonNode event, String[] path) {
        JsonNode node = event;
        for (String step : path) {
            if (node.isArray() && isIndex(step)) {
                node = node.path(Integer.parseInt(step));
            } else {
                node = node.path(step);
            }
            if (node.isMissingNode()) {
                return "";
            }
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        return node.isNull() ? "" : node.toString();
    }

    private static boolean isIndex(String step) {
        if (step.isEmpty() || step.length() > 9) {
            return false;
        }
        for (int i = 0; i < step.length(); i++) {
            if (step.charAt(i) < '0' || step.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The event date, read at most once per rendering; null when absent or not RFC 3339. */
    private Instant eventDate() {
        if (!dateRead) {
            dateRead = true;
            JsonNode date = event.path("event_date");
            if (date.isTextual()) {
                try {
                    eventDate = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(date.textValue(), Instant::from);
                } catch (DateTimeException e) {
                    eventDate = null;
                }
            }
        }
        return eventDate;
    }

    /** The uuid of this rendering: every {@code {{uuid}}} of one rendering gets the same one. */
    String uuid() {
        if (uuid == null) {
            uuid = UUID.randomUUID().toString();
        }
        return uuid;
    }

    /** How a date placeholder writes the event date. */
    interface DateFormat {
        String format(Instant date);
    }

    /** A placeholder's value in one rendering. */
    interface Value {
        String read(CustomDataRendering rendering);
    }

    /** A piece of the rendered text. */
    interface Part {
        void appendTo(StringBuilder out, CustomDataRendering rendering);
    }

    /** Compact JSON text of the template, already escaped. */
    record Literal(String json) implements Part {
        @Override
        public void appendTo(StringBuilder out, CustomDataRendering rendering) {
            out.append(json);
        }
    }

    /** A placeholder inside a JSON string: its value is escaped as it is appended. */
    record Placeholder(Value value) implements Part {
        @Override
        public void appendTo(StringBuilder out, CustomDataRendering rendering) {
            ENCODER.quoteAsString(value.read(rendering), out);
        }
    }
}
