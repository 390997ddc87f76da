package dev.eventrelay.boot;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayProcess;
import dev.eventrelay.support.Slow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration the way containers give it, to the real jar: an environment variable named after a key
 * ({@code RELAY_HOOK_ALL_EVENTS_FILE_FOLDER}) wins over the file, a system property ({@code -Drelay.api.token})
 * sets a key the files leave empty, and the secret it holds never shows in the log.
 */
@Slow
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ConfigFromEnvironmentIT {

    private static final String TOKEN = "token-given-as-a-system-property";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void anEnvironmentVariableAndASystemPropertyOverrideTheFilesOfTheRunningService() throws Exception {
        Path fileOutbox = dir.resolve("outbox-of-the-file");
        Path environmentOutbox = dir.resolve("outbox-of-the-environment");
        Map<String, String> config = RelayProcess.embeddedDefault(dir);
        config.put("relay.hook.all-events.file.folder", fileOutbox.toString());
        try (RelayProcess relay = new RelayProcess("config-from-environment", dir, config)
                .withEnvironment("RELAY_HOOK_ALL_EVENTS_FILE_FOLDER", environmentOutbox.toString())
                .withSystemProperty("relay.api.token", TOKEN)
                .start()) {
            String csv = "externalId,eventDate,device,first_login\nc-1,2026-11-30 10:00:00,ios,true\n";

            assertThat(upload(relay, csv, null).statusCode()).as("without the token").isEqualTo(401);
            HttpResponse<String> run = upload(relay, csv, TOKEN);

            assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
            List<JsonNode> events = Outbox.await(environmentOutbox, 1);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).at("/profile/external_id").asText()).isEqualTo("c-1");
            assertThat(fileOutbox).doesNotExist();
            relay.stop();
            assertThat(Files.readString(relay.log())).doesNotContain(TOKEN);
        }
    }

    private static HttpResponse<String> upload(RelayProcess relay, String csv, String token) throws Exception {
        URI uri = relay.uri("/api/imports/manual/upload?event_code=UDE_7KQ2LOGIN&file_name=env.csv");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "text/csv").POST(HttpRequest.BodyPublishers.ofString(csv));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
