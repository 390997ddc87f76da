package dev.eventrelay.mapping;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * Parses event dates as the row rules allow: {@code yyyy-MM-dd HH:mm:ss} in the import's time zone,
 * or ISO-8601 / RFC 3339 with an offset. The first form, the one files use, is read by hand (ASCII digits
 * at fixed places, then {@link LocalDateTime#of}, which refuses a day or time that does not exist, as the strict
 * formatter does); a formatter parse allocates a dozen objects per date.
 */
public final class EventDates {

    private final ZoneId zone;

    public EventDates(ZoneId zone) {
        this.zone = zone;
    }

    /** The instant, or null when the text is in neither accepted form. */
    public Instant parse(String text) {
        if (text.length() == 19 && text.charAt(10) == ' ') {
            return local(text);
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Instant local(String text) {
        if (text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).atZone(zone).toInstant();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** The number that {@code count} ASCII digits from {@code at} write, or -1 when one is not a digit. */
    private static int digits(String text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** How a rejection names the accepted forms. */
    public static final String FORMS = "yyyy-MM-dd HH:mm:ss or ISO-8601 with an offset";
}
