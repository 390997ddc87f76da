package dev.eventrelay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The folder of a file hook in a test: its hook messages, file by file, in the order they were written. */
public final class Outbox {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Outbox() {
    }

    /** Every hook message in {@code folder}; none when the folder does not exist yet. */
    public static List<JsonNode> read(Path folder) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return events;
        }
        try (Stream<Path> files = Files.list(folder).sorted()) {
            for (Path file : files.toList()) {
                for (String line : Files.readAllLines(file)) {
                    events.add(JSON.readTree(line));
                }
            }
        }
        return events;
    }

    /** Waits until {@code folder} holds at least {@code count} hook messages, and returns them. */
    public static List<JsonNode> await(Path folder, int count) throws Exception {
        return RelayUnderTest.await(count + " events in " + folder.getFileName(), Duration.ofSeconds(30),
                () -> read(folder), events -> events.size() >= count);
    }
}
