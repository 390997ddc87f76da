package dev.eventrelay.mapping;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * Parses event dates as the row rules allow: {@code yyyy-MM-dd HH:mm:ss} in the import's time zone,
 * or ISO-8601 / RFC 3339 with an offset.
 */
public final class EventDates {

    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    private final ZoneId zone;

    public EventDates(ZoneId zone) {
        this.zone = zone;
    }

    /** The instant, or null when the text is in neither accepted form. */
    public Instant parse(String text) {
        if (text.length() == 19 && text.charAt(10) == ' ') {
            try {
                return LocalDateTime.parse(text, LOCAL).atZone(zone).toInstant();
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** How a rejection names the accepted forms. */
    public static final String FORMS = "yyyy-MM-dd HH:mm:ss or ISO-8601 with an offset";
}
