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
