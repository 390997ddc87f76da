package dev.eventrelay.ingest.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.RelayUnderTest;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Manual uploads end to end through the real HTTP API: the shipped configuration and routes, the
 * real state store, and the events that reach the file hook. Subclasses run the same tests on each
 * state store dialect.
 */
abstract class UploadFlowTest extends UploadTestSupport {

    @Test
    void theBlueshiftSampleUploadedToTheManualImportGivesExactlyTheDocumentedRows() throws Exception {
        startRelay();
        Instant before = Instant.now();

        HttpResponse<String> response = relay.post("/api/imports/manual/upload?file_name=blueshift-style-events.csv",
                HttpRequest.BodyPublishers.ofByteArray(sample(BLUESHIFT)), "text/csv");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        String runId = answer.get("id").asText();
        assertThat(answer.get("kind").asText()).isEqualTo("upload");
        assertThat(answer.get("import").asText()).isEqualTo("manual");
        assertThat(answer.get("file").asText()).isEqualTo("blueshift-style-events.csv");
        assertThat(answer.get("file_status").asText()).isEqualTo("Imported");
        assertThat(answer.get("fetch_status").asText()).isEqualTo("Fetched");
        assertThat(answer.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(answer.get("rows_total").asLong()).isEqualTo(7);
        assertThat(answer.get("rows_processed").asLong()).isEqualTo(3);
        assertThat(answer.get("rows_errored").asLong()).isEqualTo(4);
        assertThat(answer.get("run").asText()).isEqualTo("/api/runs/" + runId);
        assertThat(answer.get("errors_csv").asText()).isEqualTo("/api/runs/" + runId + "/errors.csv");

        JsonNode run = relay.getJson("/api/runs/" + runId);
        assertThat(run.get("files")).hasSize(1);
        assertThat(run.at("/files/0/name").asText()).isEqualTo("blueshift-style-events.csv");
        assertThat(run.at("/files/0/status").asText()).isEqualTo("Imported");
        assertThat(run.at("/files/0/size_bytes").asLong()).isEqualTo(sample(BLUESHIFT).length);

        List<JsonNode> events = awaitOutbox(3);
        assertThat(events).extracting(e -> e.get("event_type").asText())
                .containsExactly("add_to_cart", "purchase", "newsletter_signup");
        JsonNode cart = events.get(0);
        assertThat(cart.at("/profile/customer_id").asText()).isEqualTo("42");
        assertThat(cart.at("/profile/email").asText()).isEqualTo("ann@example.com");
        assertThat(cart.get("event_date").asText()).isEqualTo("2026-11-22T04:19:42Z");
        assertThat(cart.get("product_ids")).extracting(JsonNode::asText).containsExactly("A1", "B2");
        assertThat(cart.get("value").decimalValue()).isEqualByComparingTo("25.00");
        assertThat(cart.get("value_currency").asText()).isEqualTo("EUR");
        assertThat(cart.at("/origin/kind").asText()).isEqualTo("upload");
        assertThat(cart.at("/origin/import").asText()).isEqualTo("manual");
        assertThat(cart.at("/origin/file").asText()).isEqualTo("blueshift-style-events.csv");
        assertThat(cart.at("/origin/run_id").asText()).isEqualTo(runId);
        assertThat(cart.at("/origin/row").asInt()).isEqualTo(1);
        assertThat(cart.at("/properties").has("event")).isFalse();
        assertThat(events.get(1).get("event_date").asText()).isEqualTo("2026-11-22T04:00:00Z");
        JsonNode signup = events.get(2);
        Instant signupDate = Instant.parse(signup.get("event_date").asText());
        assertThat(signupDate).isEqualTo(Instant.parse(signup.get("received_at").asText()));
        assertThat(signupDate).isBetween(before.minusSeconds(1), Instant.now());

        List<CSVRecord> rows = errorsCsv(runId);
        assertThat(rows).extracting(r -> r.get(0) + "|" + r.get(1) + "|" + r.get(2)).containsExactly(
                "file|row|reason",
                "blueshift-style-events.csv|3|event type 'view.product' contains a period",
                "blueshift-style-events.csv|4|event type '12345' is purely numeric",
                "blueshift-style-events.csv|5|event type 'an_event_name_that_is_far_too_long_to_be_accepted_because_it"
                        + "_exceeds_64' is 71 characters long, at most 64 are allowed",
                "blueshift-style-events.csv|6|no profile identifier: externalId, email, phone and customerId are all"
                        + " empty or absent");
        assertThat(rows.get(1).get(3)).isEqualTo("view.product,44,bob@example.com,2026-11-22T06:00:00Z,,,");
        assertThat(runs("manual")).hasSize(1);
    }

    @Test
    void anSftpImportTakesAnUploadWithAnEventCodeAndItsOwnSettings() throws Exception {
        startRelay();

        HttpResponse<String> response = upload("/api/imports/default/upload?event_code=" + PURCHASE
                + "&file_name=purchases.csv", sample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv"));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json(response);
        assertThat(answer.get("kind").asText()).isEqualTo("upload");
        assertThat(answer.get("rows_processed").asLong()).isEqualTo(4);
        assertThat(answer.get("rows_errored").asLong()).isEqualTo(3);
        assertThat(answer.get("rows_warnings").asLong()).isEqualTo(1);
        List<JsonNode> events = awaitOutbox(4);
        assertThat(events).extracting(e -> e.at("/profile/external_id").asText())
                .containsExactly("c-1001", "c-1002", "c-1003", "c-1007");
        JsonNode second = events.get(1);
        assertThat(second.get("event_type").asText()).isEqualTo("Purchase");
        assertThat(second.at("/origin/kind").asText()).isEqualTo("upload");
        assertThat(second.at("/origin/import").asText()).isEqualTo("default");
        assertThat(second.at("/origin/channel").asText()).isEqualTo("udc_1itzAa15r");
        assertThat(second.at("/origin/event_code").asText()).isEqualTo(PURCHASE);
        assertThat(second.at("/origin/file").asText()).isEqualTo("purchases.csv");
        assertThat(second.at("/utm/source").asText()).isEqualTo("sftp");
        assertThat(second.at("/properties/amount").decimalValue()).isEqualByComparingTo("15");
        assertThat(errorsCsv(answer.get("id").asText())).extracting(r -> r.get(1)).containsExactly("row", "4", "5", "6");
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndNothingOfItIsDelivered() throws Exception {
        config.put("relay.upload.max-bytes", "20000");
        config.put("relay.imports.chunk.rows", "5");
        startRelay();

        byte[] big = rows(2_000);
        HttpResponse<String> declared = upload("/api/imports/manual/upload?file_name=declared.csv", big);
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(json(declared).get("error").asText()).isEqualTo("the upload is larger than the limit of 20000 bytes"
                + " (relay.upload.max-bytes); nothing of it is imported");
        assertThat(runs("manual")).isEmpty();

        HttpResponse<String> streamed = upload("/api/imports/manual/upload?file_name=streamed.csv",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(413);
        JsonNode answer = json(streamed);
        assertThat(answer.get("fetch_status").asText()).isEqualTo("Failed");
        assertThat(answer.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(answer.get("reason").asText()).contains("larger than the limit of 20000 bytes");
        assertThat(answer.get("file_status").asText()).isEqualTo("Rejected");
        JsonNode run = relay.getJson("/api/runs/" + answer.get("id").asText());
        assertThat(run.at("/files/0/status").asText()).isEqualTo("Rejected");
        assertThat(run.at("/files/0/reason").asText()).contains("relay.upload.max-bytes");
        assertThat(run.at("/files/0/size_bytes").asLong()).isBetween(20_001L, 20_000L + 65_536L);
        assertThat(errorsCsv(answer.get("id").asText())).extracting(r -> r.get(1) + "|" + r.get(2))
                .containsExactly("row|reason", "0|the upload is larger than the limit of 20000 bytes"
                        + " (relay.upload.max-bytes); nothing of it is imported");

        assertOnlyNextUploadIsDelivered();
    }

    @Test
    void anUploadThatStopsHalfWayFailsItsRunAndDeliversNothing() throws Exception {
        startRelay();
        byte[] body = rows(200);

        try (Socket socket = new Socket("127.0.0.1", relay.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/imports/manual/upload?file_name=half.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();
            RelayUnderTest.await("the upload's run to start", Duration.ofSeconds(30), () -> runs("manual"),
                    list -> list.size() == 1);
        }

        JsonNode run = RelayUnderTest.await("the half-way upload's run to fail", Duration.ofSeconds(30),
                () -> runs("manual").get(0), r -> "Failed".equals(r.get("processing_status").asText()));
        assertThat(run.get("fetch_status").asText()).isEqualTo("Failed");
        assertThat(run.get("reason").asText()).contains("the upload stopped after").contains("the connection broke");
        JsonNode files = relay.getJson("/api/runs/" + run.get("id").asText()).get("files");
        assertThat(files.get(0).get("status").asText()).isEqualTo("Failed");
        assertThat(relay.get("/health").statusCode()).isEqualTo(200);

        assertOnlyNextUploadIsDelivered();
    }
}
