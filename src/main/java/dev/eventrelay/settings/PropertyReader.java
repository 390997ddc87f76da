package dev.eventrelay.settings;

import org.apache.camel.spi.PropertiesComponent;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Typed reads of the {@code relay.*} keys of {@code application.properties}. Every read that fails
 * adds a problem that names the key, so one start-up reports all of them at once.
 */
public final class PropertyReader {

    private final Map<String, String> raw;
    private final Function<String, String> resolver;
    /** The value of a key set outside the files (environment, system property), with its source; null if none. */
    private final Function<String, ConfigSources.Origin> override;
    /** The properties file that sets a key, for {@link #origin}. */
    private final Map<String, String> fileOf;
    private final List<String> problems = new ArrayList<>();
    /** Every key a reader asked for, set or not (shared with {@link #fresh()} copies): the known keys. */
    private final Set<String> asked;

    /**
     * @param raw      every key with its value as written
     * @param resolver the value of a key with its placeholders resolved, or null when it is not set
     */
    public PropertyReader(Map<String, String> raw, Function<String, String> resolver) {
        this(raw, resolver, key -> null, Map.of(), ConcurrentHashMap.newKeySet());
    }

    private PropertyReader(Map<String, String> raw, Function<String, String> resolver,
                           Function<String, ConfigSources.Origin> override, Map<String, String> fileOf,
                           Set<String> asked) {
        this.raw = Map.copyOf(raw);
        this.resolver = resolver;
        this.override = override;
        this.fileOf = Map.copyOf(fileOf);
        this.asked = asked;
    }

    /**
     * The {@code relay.*} keys of a Camel properties component, resolved by it ({@code {{env:NAME}}},
     * {@code {{other.key}}}), with the problems of the files themselves already recorded: a key written twice
     * in one file, an environment variable that a key reads and that is not set.
     */
    public static PropertyReader load(PropertiesComponent pc) {
        return load(pc, ConfigSources.ofThisProcess());
    }

    /**
     * As {@link #load(PropertiesComponent)}, with {@code sources} (environment variables, system properties)
     * overriding the files by Camel's rule ({@link ConfigSources}); system properties may also add keys.
     */
    public static PropertyReader load(PropertiesComponent pc, ConfigSources sources) {
        Properties loaded = pc.loadProperties(key -> key.startsWith("relay."));
        Map<String, String> raw = new LinkedHashMap<>();
        loaded.stringPropertyNames().forEach(key -> raw.put(key, loaded.getProperty(key)));
        raw.putAll(sources.systemProperties());
        Function<String, String> resolver = key -> {
            ConfigSources.Origin set = sources.override(key);
            if (set == null) {
                return pc.resolveProperty(key).orElse(null);
            }
            // parseUri reads a text without placeholders as the name of a key
            return set.value().contains("{{") ? pc.parseUri(set.value()) : set.value();
        };
        PropertyReader p = new PropertyReader(raw, resolver, sources::override,
                PropertiesFiles.firstFileSetting(pc.getLocations()), ConcurrentHashMap.newKeySet());
        for (String location : pc.getLocations()) {
            PropertiesFiles.duplicateKeys(location).forEach(p.problems::add);
        }
        for (Map.Entry<String, String> entry : new TreeMap<>(raw).entrySet()) {
            for (String variable : PropertiesFiles.requiredEnvironment(entry.getValue())) {
                if (pc.resolveProperty("env:" + variable).isEmpty()) {
                    p.problem(entry.getKey(), "reads the environment variable " + variable + ", which is not set;"
                            + " set it, or write {{env:" + variable + ":default}}");
                }
            }
        }
        return p;
    }

    public static PropertyReader of(Map<String, String> values) {
        return new PropertyReader(values, values::get);
    }

    /** The same keys with no problems recorded yet: for a part whose problems are judged on their own. */
    public PropertyReader fresh() {
        return new PropertyReader(raw, resolver, override, fileOf, asked);
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
        asked.add(key);
        String value = resolver.apply(key);
        return value == null || value.isBlank() ? fallback : value.trim();
    }

    /** The value as written, placeholders untouched (for templates that use {@code {{...}}} themselves). */
    public String verbatim(String key, String fallback) {
        asked.add(key);
        ConfigSources.Origin set = override.apply(key);
        String value = set != null ? set.value() : raw.get(key);
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

    /** A problem already worded, e.g. one of {@code routes/} that names its file and line. */
    public void problem(String problem) {
        problems.add(problem);
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    /** Every key a reader has asked for so far, set or not (docs/configuration.md lists them). */
    public Set<String> asked() {
        return Set.copyOf(asked);
    }

    /**
     * Where the effective value of {@code key} comes from: an environment variable, a system property, or the
     * properties file that sets it first; null when no source sets it (its default applies).
     */
    public ConfigSources.Origin origin(String key) {
        ConfigSources.Origin set = override.apply(key);
        if (set != null) {
            return set;
        }
        String value = raw.get(key);
        return value == null ? null : new ConfigSources.Origin(value, fileOf.getOrDefault(key, "the configuration"));
    }

    /** {@link #unknownKeysOf} each block {@code prefix + <name> + "."}, e.g. every hook's keys. */
    public void unknownKeys(String prefix) {
        for (String name : names(prefix)) {
            unknownKeysOf(prefix + name + ".");
        }
    }

    /**
     * Adds a problem for every key that starts with {@code block} and that no reader asked for (a typo, or a key
     * of another destination), with the nearest key of the block that a reader asked for as a suggestion.
     */
    public void unknownKeysOf(String block) {
        for (String key : new TreeSet<>(raw.keySet())) {
            if (!key.startsWith(block) || asked.contains(key)) {
                continue;
            }
            String rest = key.substring(block.length());
            String nearest = null;
            int best = Integer.MAX_VALUE;
            for (String known : new TreeSet<>(asked)) {
                if (known.startsWith(block)) {
                    int distance = KeyDistance.between(rest, known.substring(block.length()));
                    if (distance < best) {
                        best = distance;
                        nearest = known;
                    }
                }
            }
            boolean close = nearest != null && best <= Math.max(2, rest.length() / 3);
            problem(key, "is not a known key" + (close ? "; did you mean " + nearest + "?"
                    : "; remove it, or see docs/configuration.md for the keys of " + block + "*"));
        }
    }

    /** Throws a {@link ConfigException} naming every problem found so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
