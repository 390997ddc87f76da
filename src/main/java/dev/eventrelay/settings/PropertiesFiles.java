package dev.eventrelay.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@link java.util.Properties} hides about a properties file: a key written twice (the later value
 * silently wins), and the environment variables a value needs.
 */
public final class PropertiesFiles {

    private static final Pattern REQUIRED_ENV = Pattern.compile("\\{\\{env:([A-Za-z_][A-Za-z0-9_]*)}}");

    private PropertiesFiles() {
    }

    /** A problem for every key set more than once in the file of a {@code file:} location; none for others. */
    public static List<String> duplicateKeys(String location) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : null;
        if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path.strip()))) {
            return List.of();
        }
        Map<String, List<Integer>> lines = new LinkedHashMap<>();
        try {
            List<String> text = Files.readAllLines(Path.of(path.strip()), StandardCharsets.ISO_8859_1);
            boolean continued = false;
            for (int i = 0; i < text.size(); i++) {
                String line = text.get(i).stripLeading();
                boolean startsEntry = !continued && !line.isEmpty() && line.charAt(0) != '#' && line.charAt(0) != '!';
                if (startsEntry) {
                    lines.computeIfAbsent(key(line), k -> new ArrayList<>()).add(i + 1);
                }
                continued = (continued || startsEntry) && endsWithContinuation(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        List<String> problems = new ArrayList<>();
        lines.forEach((key, at) -> {
            if (at.size() > 1) {
                problems.add(key + " is set " + at.size() + " times in " + path.strip() + " (lines " + at.toString().replaceAll("[\\[\\]]", "")
                        + "); only the last one counts: keep one");
            }
        });
        return problems;
    }

    /**
     * For every key of the {@code file:} locations, the first file that sets it (the one whose value counts when
     * several locations are given, Camel's rule).
     */
    public static Map<String, String> firstFileSetting(List<String> locations) {
        Map<String, String> first = new LinkedHashMap<>();
        for (String location : locations) {
            String path = location.startsWith("file:") ? location.substring("file:".length()).strip() : null;
            if (path == null || path.isBlank() || !Files.isRegularFile(Path.of(path))) {
                continue;
            }
            Properties properties = new Properties();
            try (Reader in = Files.newBufferedReader(Path.of(path), StandardCharsets.ISO_8859_1)) {
                properties.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
            String name = Path.of(path).getFileName().toString();
            properties.stringPropertyNames().forEach(key -> first.putIfAbsent(key, "file " + name));
        }
        return first;
    }

    /** The environment variables a value reads with {@code {{env:NAME}}}, that is without a default. */
    public static Set<String> requiredEnvironment(String value) {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = REQUIRED_ENV.matcher(value == null ? "" : value);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }

    private static String key(String line) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                key.append(line.charAt(++i));
            } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
                break;
            } else {
                key.append(c);
            }
        }
        return key.toString();
    }

    private static boolean endsWithContinuation(String line) {
        int backslashes = 0;
        for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
            backslashes++;
        }
        return backslashes % 2 == 1;
    }
}
