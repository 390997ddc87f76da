package dev.eventrelay.ops;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayProcess;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestSftpServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.Reader;
import java.io.Writer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * errors.csv of a run whose 300,000 rows were all rejected, each about 1 KB (300 MB of raw lines, more than the
 * whole heap), from the real jar in its production heap ({@code -Xmx256m}): the answer arrives whole, every row in
 * order, and the service stays up, so nothing on the way holds it in memory. The CSV used to be built in a
 * string, which failed with 500 already for 90 MB.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
@Slow
class LargeErrorsCsvIT {

    private static final int ROWS = 300_000;
    private static final String PADDING = "x".repeat(1_000);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;
    TestSftpServer sftp;
    RelayProcess relay;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        if (sftp != null) {
            sftp.close();
        }
    }

    @Test
    void errorsCsvOfMoreRejectedRowsThanTheHeapHoldsArrivesWhole() throws Exception {
        Path file = dir.resolve("all-rejected.csv");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("event,customer_id,email,timestamp,product_ids,value,value_currency\n");
            for (int i = 1; i <= ROWS; i++) {
                out.write("purchase," + i + ",r" + i + "@example.com,not a date," + PADDING + ",10,EUR\n");
            }
        }
        sftp = new TestSftpServer(dir.resolve("sftp")); // the shipped SFTP import needs a server, never used here
        Map<String, String> config = new HashMap<>(sftp.importConfig("default", "udc_1itzAa15r", "ed25519"));
        config.put("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
        config.put("relay.hook.all-events.enabled", "false");
        config.put("relay.upload.max-bytes", String.valueOf(400 * 1024 * 1024));
        relay = new RelayProcess("large-errors", dir, config).start();

        HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(
                        relay.uri("/api/imports/manual/upload?file_name=all-rejected.csv"))
                .header("Content-Type", "text/csv").timeout(Duration.ofMinutes(5))
                .POST(HttpRequest.BodyPublishers.ofFile(file)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        JsonNode run = new ObjectMapper().readTree(uploaded.body());
        assertThat(run.get("rows_errored").asLong()).isEqualTo(ROWS);

        Path errors = dir.resolve("errors.csv");
        HttpResponse<Path> answer = HTTP.send(HttpRequest.newBuilder(
                        relay.uri("/api/runs/" + run.get("id").asText() + "/errors.csv"))
                .timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofFile(errors));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Files.size(errors)).isGreaterThan((long) ROWS * PADDING.length());
        long records = 0;
        try (Reader in = Files.newBufferedReader(errors, StandardCharsets.UTF_8)) {
            for (CSVRecord record : CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(in)) {
                records++;
                assertThat(record.get("row")).isEqualTo(String.valueOf(records));
                assertThat(record.get("raw_line")).startsWith("purchase," + records + ",").endsWith(PADDING + ",10,EUR");
            }
        }
        assertThat(records).isEqualTo(ROWS);
        assertThat(relay.isAlive()).isTrue();
        assertThat(relay.get("/health").statusCode()).isEqualTo(200);
    }
}
