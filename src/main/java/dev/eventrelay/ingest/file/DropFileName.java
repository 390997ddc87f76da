package dev.eventrelay.ingest.file;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The name of a dropped event file: {@code {channel}-{event_code}-{yyyyMMdd}-{n}.csv}. */
public record DropFileName(String name, String channel, String eventCode, LocalDate date, int sequence) {

    private static final Pattern FORM = Pattern.compile("([^-/\\\\]+)-([^-/\\\\]+)-(\\d{8})-([1-9]\\d{0,8})\\.csv");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("uuuuMMdd")
            .withResolverStyle(ResolverStyle.STRICT);

    /** One day's files in numeric order of n (2 before 10), days in calendar order. */
    public static final Comparator<DropFileName> ORDER = Comparator.comparing(DropFileName::date)
            .thenComparingInt(DropFileName::sequence)
            .thenComparing(DropFileName::name);

    public static final String FORM_TEXT = "{channel}-{event_code}-{yyyyMMdd}-{n}.csv";

    /**
     * {@code name} safe to print in a log line or a report: control and invisible formatting characters
     * (line breaks, right-to-left overrides, zero-width spaces) are written as {@code \\uXXXX}, so a file
     * name cannot forge log lines or disguise itself.
     */
    public static String printable(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            int type = Character.getType(c);
            if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The parts of {@code name}, or empty when it is not of the form. */
    public static Optional<DropFileName> parse(String name) {
        Matcher m = FORM.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalDate date = LocalDate.parse(m.group(3), DATE);
            return Optional.of(new DropFileName(name, m.group(1), m.group(2), date, Integer.parseInt(m.group(4))));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
