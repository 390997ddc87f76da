package dev.eventrelay.faults;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.Set;

/**
 * Yesterday's SFTP drops of logins for the fault tests, and the test's own key of each row. Row {@code i} is the
 * profile {@code c-<i>}; rows whose number is a multiple of {@code invalidEvery} carry a date that does not parse
 * (rejected on purpose), and every {@value #SAMPLE_EVERY}th row has the property {@code sample = rabbit}.
 */
public final class LoginDrops {

    public static final String CHANNEL = "udc_1itzAa15r";
    public static final String LOGIN = "UDE_7KQ2LOGIN";
    public static final int SAMPLE_EVERY = 10;

    private LoginDrops() {
    }

    /** The name of yesterday's {@code n}th drop of logins. */
    public static String name(int n) {
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        return CHANNEL + "-" + LOGIN + "-" + yesterday + "-" + n + ".csv";
    }

    /**
     * Writes rows {@code from} to {@code to} (inclusive) as {@code file}; returns the keys of the valid rows.
     * {@code invalidEvery} 0 makes every row valid.
     */
    public static Set<String> write(Path file, int from, int to, int invalidEvery) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("externalId,email,eventDate,device,first_login,sample,note\n");
            return rows(out, from, to, invalidEvery);
        }
    }

    /** Adds rows {@code from} to {@code to}, all valid, at the end of {@code file}; returns their keys. */
    public static Set<String> append(Path file, int from, int to) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            return rows(out, from, to, 0);
        }
    }

    private static Set<String> rows(BufferedWriter out, int from, int to, int invalidEvery) throws IOException {
        Set<String> valid = new HashSet<>();
        for (int i = from; i <= to; i++) {
            boolean invalid = invalidEvery > 0 && i % invalidEvery == 0;
            out.write("c-" + i + ",user" + i + "@example.com," + (invalid ? "not a date" : "2026-11-20 10:00:00")
                    + ",device-" + (i % 7) + "," + (i % 2 == 0) + "," + (sampled(i) ? "rabbit" : "other")
                    + ",\"row " + i + ", quoted, with commas\"\n");
            if (!invalid) {
                valid.add("c-" + i);
            }
        }
        return valid;
    }

    public static boolean sampled(int i) {
        return i % SAMPLE_EVERY == 0;
    }

    /** The key of the row an event came from: a file row's external id, else (a table row) its email. */
    public static String rowKey(JsonNode message) {
        JsonNode profile = message.path("profile");
        return profile.has("external_id") ? profile.get("external_id").asText() : profile.path("email").asText();
    }
}
