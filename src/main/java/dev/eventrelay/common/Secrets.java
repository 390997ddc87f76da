package dev.eventrelay.common;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The secret values of the configuration — every {@code relay.*} key whose last part names a
 * password, passphrase, secret or token, and {@code password=} parameters inside JDBC URLs — and
 * {@link #mask}, which hides them in any text. Log lines (see {@code logback.xml}), error records and
 * API answers pass through it, so a secret that slips into an exception message or a URL still never
 * shows. Values shorter than {@value #MIN_LENGTH} characters are not masked (they would hide ordinary
 * words); such passwords are too short anyway.
 */
public final class Secrets {

    public static final String MASK = "******";
    static final int MIN_LENGTH = 6;
    private static final Pattern SECRET_KEY = Pattern.compile(".*\\.[a-z-]*(password|passphrase|secret|token)$");
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)password=([^&;\\s]+)");

    /** Known in the whole JVM: logging is set up before any configuration is read. */
    private static final Set<String> VALUES = new CopyOnWriteArraySet<>();
    private static volatile List<String> longestFirst = List.of();

    private Secrets() {
    }

    /** Remembers the secret values among {@code keys}, resolving each with {@code value} (null when unset). */
    public static void remember(Collection<String> keys, Function<String, String> value) {
        for (String key : keys) {
            String resolved = value.apply(key);
            if (resolved == null || resolved.isBlank()) {
                continue;
            }
            if (SECRET_KEY.matcher(key).matches()) {
                add(resolved.trim());
            }
            Matcher inUrl = URL_PASSWORD.matcher(resolved);
            while (inUrl.find()) {
                add(inUrl.group(1));
            }
        }
    }

    static void add(String secret) {
        if (secret.length() >= MIN_LENGTH && VALUES.add(secret)) {
            longestFirst = VALUES.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
    }

    /** {@code text} with every known secret replaced by {@value #MASK}; null stays null. */
    public static String mask(String text) {
        if (text == null) {
            return null;
        }
        String masked = text;
        for (String secret : longestFirst) {
            if (masked.contains(secret)) {
                masked = masked.replace(secret, MASK);
            }
        }
        return masked;
    }
}
