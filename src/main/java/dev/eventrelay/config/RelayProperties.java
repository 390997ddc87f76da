package dev.eventrelay.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Typed reads of the {@code relay.*} keys of {@code application.properties}. Every read that fails
 * adds a problem that names the key, so one start-up reports all of them at once.
 */
public final class RelayProperties {

    private final Map<String, String> raw;
    private final Function<String, String> resolver;
    private final List<String> problems = new ArrayList<>();

    /**
     * @param raw      every key with its value as written
     * @param resolver the value of a key with its placeholders resolved, or null when it is not set
     */
    public RelayProperties(Map<String, String> raw, Function<String, String> resolver) {
        this.raw = Map.copyOf(raw);
        this.resolver = resolver;
    }

    public static RelayProperties of(Map<String, String> values) {
        return new RelayProperties(values, values::get);
    }

    /** The same keys with no problems recorded yet: for a part whose problems are judged on their own. */
    public RelayProperties fresh() {
        return new RelayProperties(raw, resolver);
    }

    /** The names {@code x} of keys {@code prefix + x + "." + ...}, sorted. */
    public Set<String> names(String prefix) {
        Set<String> names = new TreeSet<>();
        for (String key : raw.keySet()) {
            if (key.startsWith(prefix)) {
                int dot = key.indexOf('.', prefix.length());
                if (dot > prefix.length()) {
                    names.add(key.substring(prefix.length(), dot));
                }
            }
        }
        return names;
    }

    /** The parts {@code x} of keys {@code prefix + x + suffix} (x may hold dots), sorted. */
    public Set<String> middles(String prefix, String suffix) {
        Set<String> middles = new TreeSet<>();
        for (String key : raw.keySet()) {
            if (key.startsWith(prefix) && key.endsWith(suffix) && key.length() > prefix.length() + suffix.length()) {
                middles.add(key.substring(prefix.length(), key.length() - suffix.length()));
            }
        }
        return middles;
    }

    /** The trimmed value, or {@code fallback} when the key is not set or blank. */
    public String string(String key, String fallback) {
        String value = resolver.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The value as written, placeholders untouched (for templates that use {@code {{...}}} themselves). */
    public String verbatim(String key, String fallback) {
        String value = raw.get(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    public String required(String key, String hint) {
        String value = string(key, null);
        if (value == null) {
            problem(key, "is required: " + hint);
        }
        return value;
    }

    public int integer(String key, int fallback, int min, int max) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < min || number > max) {
                problem(key, "is " + number + "; it must be between " + min + " and " + max);
            }
            return number;
        } catch (NumberFormatException e) {
            problem(key, "'" + value + "' is not a whole number");
            return fallback;
        }
    }

    /** A duration in seconds (decimals allowed, e.g. 0.2), at least {@code min}. */
    public Duration seconds(String key, Duration fallback, Duration min) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            Duration duration = Duration.ofMillis(new BigDecimal(value).movePointRight(3).longValueExact());
            if (duration.compareTo(min) < 0) {
                problem(key, "is " + value + "; it must be at least " + min.toMillis() / 1000.0 + " seconds");
            }
            return duration;
        } catch (NumberFormatException | ArithmeticException e) {
            problem(key, "'" + value + "' is not a number of seconds (decimals allowed, e.g. 0.5)");
            return fallback;
        }
    }

    public boolean bool(String key, boolean fallback) {
        String value = string(key, null);
        if (value == null) {
            return fallback;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> {
                problem(key, "'" + value + "' is not true or false");
                yield fallback;
            }
        };
    }

    /** A comma-separated list, trimmed, without empty items. */
    public List<String> list(String key) {
        String value = string(key, "");
        List<String> items = new ArrayList<>();
        for (String item : value.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    public void problem(String key, String what) {
        problems.add(key + " " + what);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Throws a {@link ConfigException} naming every problem found so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
