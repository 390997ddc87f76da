package dev.eventrelay.ingest.upload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What upload tests share: the real service with the shipped configuration and routes, a test SFTP
 * server for the default import, an outbox for the file hook, and an HTTP/1.1 client for uploads.
 */
abstract class UploadTestSupport extends RelayFlowTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Path SAMPLES = Path.of("src/test/resources/samples");
    static final String BLUESHIFT = "upload/blueshift-style-events.csv";
    static final String PURCHASE = "UDE_1JIJANUWB";
    static final HttpClient HTTP_1_1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    RelayUnderTest startRelay() throws Exception {
        relay = new RelayUnderTest(config).start();
        return relay;
    }

    /** POSTs a CSV over HTTP/1.1, as curl does. */
    HttpResponse<String> upload(String path, byte[] body) throws Exception {
        return upload(path, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    HttpResponse<String> upload(String path, HttpRequest.BodyPublisher body) throws Exception {
        return HTTP_1_1.send(HttpRequest.newBuilder(relay.uri(path)).header("Content-Type", "text/csv").POST(body)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    static byte[] sample(String name) throws IOException {
        return Files.readAllBytes(SAMPLES.resolve(name));
    }

    static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    List<CSVRecord> errorsCsv(String runId) throws Exception {
        HttpResponse<String> errors = relay.get("/api/runs/" + runId + "/errors.csv");
        assertThat(errors.statusCode()).isEqualTo(200);
        return CSVFormat.RFC4180.parse(new StringReader(errors.body())).getRecords();
    }

    List<JsonNode> awaitOutbox(int count) throws Exception {
        return Outbox.await(dir.resolve("outbox"), count);
    }

    JsonNode runs(String importName) throws Exception {
        return relay.getJson("/api/imports/" + importName + "/runs").get("runs");
    }

    /**
     * Uploads one good file and waits for its event: hooks read batches in publish order, so had anything
     * of an earlier upload been published, it would be in the outbox before this one.
     */
    void assertOnlyNextUploadIsDelivered() throws Exception {
        HttpResponse<String> good = upload("/api/imports/manual/upload?file_name=good.csv",
                "event,customer_id\nsignup,77\n".getBytes(StandardCharsets.UTF_8));
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);
        List<JsonNode> events = awaitOutbox(1);
        assertThat(events).extracting(e -> e.at("/origin/file").asText()).containsExactly("good.csv");
    }

    /** A CSV for the manual import: a header and {@code count} valid rows of about 100 bytes each. */
    static byte[] rows(int count) {
        StringBuilder csv = new StringBuilder("event,customer_id,email,timestamp,note\n");
        for (int i = 1; i <= count; i++) {
            csv.append("signup,").append(i).append(",user").append(i).append("@example.com,2026-11-22T10:00:00Z,")
                    .append("x".repeat(40)).append('\n');
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }
}
