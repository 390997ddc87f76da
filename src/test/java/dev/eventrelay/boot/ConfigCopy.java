package dev.eventrelay.boot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A copy of a properties file with keys set, replaced or removed in place (never a second line for one key). */
final class ConfigCopy {

    private final List<String> lines;

    private ConfigCopy(List<String> lines) {
        this.lines = new ArrayList<>(lines);
    }

    /** The shipped {@code application.properties}. */
    static ConfigCopy shipped() throws IOException {
        return of(Path.of("application.properties"));
    }

    static ConfigCopy of(Path file) throws IOException {
        return new ConfigCopy(Files.readAllLines(file));
    }

    /** Sets {@code key} on its own line: the line that sets it now, else a new line at the end. */
    ConfigCopy set(String key, String value) {
        int at = lineOf(key);
        if (at < 0) {
            lines.add(key + " = " + value);
        } else {
            lines.set(at, key + " = " + value);
        }
        return this;
    }

    ConfigCopy remove(String key) {
        int at = lineOf(key);
        if (at < 0) {
            throw new IllegalArgumentException(key + " is not set in the copy");
        }
        lines.remove(at);
        return this;
    }

    /** A line as written, even one that sets a key again. */
    ConfigCopy append(String line) {
        lines.add(line);
        return this;
    }

    Path writeTo(Path file) throws IOException {
        return Files.write(file, lines);
    }

    private int lineOf(String key) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(key) && line.substring(key.length()).stripLeading().startsWith("=")) {
                return i;
            }
        }
        return -1;
    }
}
