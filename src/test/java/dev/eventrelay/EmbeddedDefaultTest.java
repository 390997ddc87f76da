package dev.eventrelay;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The embedded default as a newcomer meets it: the shipped configuration with its embedded SFTP
 * server (keys made on first start), a file dropped into the served folder, a run through the
 * API, and the events in the outbox. Only the folders and ports move into the test's own place.
 */
@Slow
class EmbeddedDefaultTest {

    @TempDir
    Path dir;

    @Test
    void aFileDroppedIntoTheEmbeddedServerArrivesInTheOutbox() throws Exception {
        Path keys = dir.resolve("embedded-sftp");
        Path served = dir.resolve("sftp");
        int sftpPort = RelayUnderTest.freePort();
        Map<String, String> overrides = Map.of(
                "relay.embedded-sftp.enabled", "true",
                "relay.embedded-sftp.port", String.valueOf(sftpPort),
                "relay.embedded-sftp.folder", served.toString(),
                "relay.embedded-sftp.keys-folder", keys.toString(),
                "relay.import.default.sftp.private-key-file", keys.resolve("client_key").toString(),
                "relay.import.default.sftp.known-hosts-file", keys.resolve("known_hosts").toString(),
                "relay.store.url", StoreDatabases.sqlite(dir),
                "relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        try (RelayUnderTest relay = new RelayUnderTest(overrides).start()) {
            String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
            Files.copy(Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv"),
                    served.resolve("udc_1itzAa15r-UDE_7KQ2LOGIN-" + yesterday + "-1.csv"));

            JsonNode run = relay.runImport("default");

            assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
            assertThat(run.get("rows_processed").asLong()).isEqualTo(2);
            List<JsonNode> events = Outbox.await(dir.resolve("outbox"), 2);
            assertThat(events).hasSize(2);
            assertThat(events.get(0).at("/profile/external_id").asText()).isEqualTo("c-1001");
            assertThat(events.get(0).get("hook").asText()).isEqualTo("all-events");
            assertThat(Files.readString(keys.resolve("known_hosts"))).startsWith("[127.0.0.1]:" + sftpPort + " ecdsa-sha2-nistp256 ");
        }
    }

    @Test
    void theShippedDefaultImportUsesTheKeysTheEmbeddedServerMakes() throws IOException {
        Properties shipped = new Properties();
        try (FileInputStream in = new FileInputStream("application.properties")) {
            shipped.load(in);
        }
        String keys = shipped.getProperty("relay.embedded-sftp.keys-folder");
        assertThat(shipped.getProperty("relay.embedded-sftp.enabled")).isEqualTo("true");
        assertThat(shipped.getProperty("relay.import.default.sftp.private-key-file")).isEqualTo(keys + "/client_key");
        assertThat(shipped.getProperty("relay.import.default.sftp.known-hosts-file")).isEqualTo(keys + "/known_hosts");
        assertThat(shipped.getProperty("relay.import.default.sftp.port")).isEqualTo("{{relay.embedded-sftp.port}}");
        assertThat(shipped.getProperty("relay.hook.all-events.file.folder")).isEqualTo("data/outbox");
        assertThat(shipped.getProperty("relay.store.url")).as("the shipped store: the embedded default")
                .isEqualTo(dev.eventrelay.settings.StoreUrls.DEFAULT);
        assertThat(shipped.getProperty("camel.server.host")).isEqualTo("127.0.0.1");
    }
}
