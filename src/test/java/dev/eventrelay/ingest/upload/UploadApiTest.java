package dev.eventrelay.ingest.upload;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upload and template API's answers to every kind of request, through the real HTTP API on SQLite:
 * hostile file names, bad parameters, templates for each sample event type, and a large upload that
 * is imported while it is still arriving.
 */
class UploadApiTest extends UploadTestSupport {

    private static final String LOGIN = "UDE_7KQ2LOGIN";
    private static final String UTM = "utm_source,utm_medium,utm_campaign,utm_term,utm_content";

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }

    private HttpResponse<String> uploadNamed(String fileName, String csv) throws Exception {
        String encoded = URLEncoder.encode(fileName, StandardCharsets.UTF_8).replace("+", "%20");
        return upload("/api/imports/manual/upload?file_name=" + encoded, csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void hostileFileNamesAreStrippedOfTheirPathOrRefusedWith400() throws Exception {
        startRelay();
        String csv = "event,customer_id\nsignup,1\n";

        assertThat(json(uploadNamed("../../etc/passwd", csv)).get("file").asText()).isEqualTo("passwd");
        assertThat(json(uploadNamed("C:\\Users\\ops\\my events (nov).csv", csv)).get("file").asText())
                .isEqualTo("my events (nov).csv");
        assertThat(json(uploadNamed("événements-日本.csv", csv)).get("file").asText()).isEqualTo("événements-日本.csv");

        HttpResponse<String> lineBreak = uploadNamed("a\nb.csv", csv);
        assertThat(lineBreak.statusCode()).isEqualTo(400);
        assertThat(json(lineBreak).get("error").asText()).startsWith("file_name has the control character U+000A");
        assertThat(lineBreak.headers().firstValue("Connection")).as("unread body: connection closed").hasValue("close");
        HttpResponse<String> bidi = uploadNamed("invoice\u202Evsc.csv", csv);
        assertThat(bidi.statusCode()).isEqualTo(400);
        assertThat(json(bidi).get("error").asText()).contains("U+202E");
        HttpResponse<String> tooLong = uploadNamed("x".repeat(300), csv);
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(json(tooLong).get("error").asText()).isEqualTo("file_name is 300 characters long; at most 255");
        HttpResponse<String> onlyPath = uploadNamed("../..", csv);
        assertThat(onlyPath.statusCode()).isEqualTo(400);

        assertThat(runs("manual")).extracting(r -> r.get("rows_processed").asInt()).containsExactly(1, 1, 1);
        assertThat(awaitOutbox(3)).extracting(e -> e.at("/origin/file").asText())
                .containsExactly("passwd", "my events (nov).csv", "événements-日本.csv");
        assertThat(relay.get("/health").statusCode()).isEqualTo(200);
    }

    @Test
    void badParametersAreAnsweredWithTheParameterAndNoRunIsRecorded() throws Exception {
        config.put("relay.import.off.source", "upload");
        config.put("relay.import.off.enabled", "false");
        startRelay();
        byte[] csv = "externalId,eventDate\nc-1,2026-11-22 10:00:00\n".getBytes(StandardCharsets.UTF_8);

        HttpResponse<String> noCode = upload("/api/imports/default/upload", csv);
        assertThat(noCode.statusCode()).isEqualTo(400);
        assertThat(json(noCode).get("error").asText()).isEqualTo("parameter 'event_code' is required: import 'default'"
                + " takes the event type from the event code (it has no relay.import.default.csv.event-type-column)");
        HttpResponse<String> unknownCode = upload("/api/imports/default/upload?event_code=UDE_NOPE", csv);
        assertThat(unknownCode.statusCode()).isEqualTo(400);
        assertThat(json(unknownCode).get("error").asText()).isEqualTo("parameter 'event_code': 'UDE_NOPE' has no event"
                + " type (relay.event-type.UDE_NOPE.name is not set); known codes: UDE_1JIJANUWB, UDE_7KQ2LOGIN");
        HttpResponse<String> unknownImport = upload("/api/imports/nope/upload?event_code=" + LOGIN, csv);
        assertThat(unknownImport.statusCode()).isEqualTo(404);
        assertThat(json(unknownImport).get("error").asText()).isEqualTo("no import is named 'nope'");
        HttpResponse<String> disabled = upload("/api/imports/off/upload?event_code=" + LOGIN, csv);
        assertThat(disabled.statusCode()).isEqualTo(409);
        assertThat(json(disabled).get("error").asText()).isEqualTo("import 'off' is disabled"
                + " (relay.import.off.enabled=false)");
        try (Socket socket = new Socket("127.0.0.1", relay.port())) {
            socket.getOutputStream().write(("POST /api/imports/manual/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: 200000000\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("larger than the limit of 104857600 bytes")
                    .doesNotContain("100 Continue");
        }
        assertThat(runs("default")).isEmpty();
        assertThat(runs("off")).isEmpty();

        HttpResponse<String> noTypeColumn = upload("/api/imports/manual/upload?file_name=no-type.csv", csv);
        assertThat(noTypeColumn.statusCode()).isEqualTo(422);
        assertThat(json(noTypeColumn).get("file_status").asText()).isEqualTo("Rejected");
        assertThat(json(noTypeColumn).get("processing_status").asText()).isEqualTo("Processed");
        assertThat(errorsCsv(json(noTypeColumn).get("id").asText()).get(1).get(2))
                .isEqualTo("no event type: give an event code, or a column named event");

        HttpResponse<String> empty = upload("/api/imports/manual/upload?file_name=empty.csv", new byte[0]);
        assertThat(empty.statusCode()).isEqualTo(422);
        assertThat(json(empty).get("file_status").asText()).isEqualTo("Rejected");
        assertThat(errorsCsv(json(empty).get("id").asText()).get(1).get(2))
                .isEqualTo("the file is empty: it has no header row");

        HttpResponse<String> runNow = relay.post("/api/imports/manual/run");
        assertThat(runNow.statusCode()).isEqualTo(409);
        assertThat(json(runNow).get("error").asText()).contains("takes uploads only");
        JsonNode manual = null;
        for (JsonNode item : relay.getJson("/api/imports").get("imports")) {
            if (item.get("name").asText().equals("manual")) {
                manual = item;
            }
        }
        assertThat(manual).isNotNull();
        assertThat(manual.get("kind").asText()).isEqualTo("upload");
        assertThat(manual.get("status").asText()).isEqualTo("Launched");
        assertThat(manual.at("/last_run/kind").asText()).isEqualTo("upload");
    }

    @Test
    void anUploadThatStallsFailsAfterTheIdleTimeoutAndAnyContentTypeIsRead() throws Exception {
        config.put("relay.upload.idle-timeout.seconds", "1");
        startRelay();
        byte[] body = rows(100);

        try (Socket socket = new Socket("127.0.0.1", relay.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/imports/manual/upload?file_name=stalled.csv HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 300);
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("the upload stopped after 300 bytes: no data for 1"
                    + " seconds (relay.upload.idle-timeout.seconds)");
        }
        JsonNode run = runs("manual").get(0);
        assertThat(run.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(run.get("reason").asText()).contains("no data for 1 seconds");

        HttpResponse<String> form = HTTP_1_1.send(HttpRequest.newBuilder(relay.uri(
                        "/api/imports/manual/upload?file_name=form.csv"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("event,customer_id\nsignup,5\n")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(form.statusCode()).as(form.body()).isEqualTo(200);
        assertThat(json(form).get("rows_processed").asInt()).isEqualTo(1);
        assertThat(awaitOutbox(1)).extracting(e -> e.at("/origin/file").asText()).containsExactly("form.csv");
    }

    @Test
    void templatesNameTheColumnsOfEachSampleEventTypeAndAnImportAcceptsThem() throws Exception {
        config.put("relay.import.semi.source", "upload");
        config.put("relay.import.semi.csv.delimiter", ";");
        config.put("relay.import.semi.csv.required-columns", "email");
        startRelay();

        HttpResponse<String> purchase = relay.get("/api/event-types/UDE_1JIJANUWB/template.csv");
        assertThat(purchase.statusCode()).isEqualTo(200);
        assertThat(purchase.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        assertThat(purchase.body()).isEqualTo("externalId,eventDate,amount,paid,visited_at,store___city,store___country,"
                + UTM + "\r\n");
        assertThat(relay.get("/api/event-types/" + LOGIN + "/template.csv").body())
                .isEqualTo("externalId,eventDate,device,first_login," + UTM + "\r\n");
        assertThat(relay.get("/api/event-types/" + LOGIN + "/template.csv?import=manual").body())
                .isEqualTo("externalId,eventDate,device,first_login," + UTM + "\r\n");
        String semi = relay.get("/api/event-types/" + LOGIN + "/template.csv?import=semi").body();
        assertThat(semi).isEqualTo("email;eventDate;device;first_login;" + UTM.replace(',', ';') + "\r\n");

        HttpResponse<String> unknown = relay.get("/api/event-types/UDE_NOPE/template.csv");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).startsWith("no event type has code 'UDE_NOPE'");
        assertThat(relay.get("/api/event-types/" + LOGIN + "/template.csv?import=nope").statusCode()).isEqualTo(404);

        String header = purchase.body().strip();
        HttpResponse<String> filled = upload("/api/imports/default/upload?event_code=UDE_1JIJANUWB&file_name=t.csv",
                (header + "\nc-9,2026-11-22 10:00:00,12.5,true,2026-11-21 09:00:00,Berlin,DE,,,,,\n")
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(filled.statusCode()).as(filled.body()).isEqualTo(200);
        assertThat(json(filled).get("rows_processed").asInt()).isEqualTo(1);
        assertThat(json(filled).get("rows_errored").asInt()).isEqualTo(0);
        HttpResponse<String> semiFilled = upload("/api/imports/semi/upload?event_code=" + LOGIN + "&file_name=s.csv",
                (semi.strip() + "\nann@example.com;;ios;true;;;;;\n").getBytes(StandardCharsets.UTF_8));
        assertThat(semiFilled.statusCode()).as(semiFilled.body()).isEqualTo(200);
        assertThat(json(semiFilled).get("rows_processed").asInt()).isEqualTo(1);
        List<JsonNode> events = awaitOutbox(2);
        assertThat(events.get(0).at("/properties/store/city").asText()).isEqualTo("Berlin");
        assertThat(events.get(1).at("/profile/email").asText()).isEqualTo("ann@example.com");
        assertThat(events.get(1).at("/properties/first_login").asBoolean()).isTrue();
    }

    @Test
    void aFiftyMegabyteUploadIsImportedWhileItIsStillArriving() throws Exception {
        startRelay();
        int rows = 52_000;
        GeneratedCsv body = new GeneratedCsv(rows, () -> RelayUnderTest.await(
                "the upload's rows to be counted while its second half is unsent", Duration.ofSeconds(60),
                () -> runs("manual"), list -> list.size() == 1 && list.get(0).get("rows_total").asLong() > 0));

        HttpResponse<String> response = upload("/api/imports/manual/upload?file_name=big.csv",
                HttpRequest.BodyPublishers.ofInputStream(() -> body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(body.size()).isGreaterThan(50_000_000L);
        assertThat(body.pausedHalfWay()).isTrue();
        JsonNode run = relay.getJson("/api/runs/" + json(response).get("id").asText());
        assertThat(run.get("rows_total").asLong()).isEqualTo(rows);
        assertThat(run.get("rows_processed").asLong()).isEqualTo(rows);
        assertThat(run.at("/files/0/size_bytes").asLong()).isEqualTo(body.size());
    }

    /**
     * A CSV of {@code rows} rows of about 1 KB, made while it is read; when half of it has been read, it
     * runs {@code halfWay} before it gives the rest.
     */
    private static final class GeneratedCsv extends InputStream {
        private final int rows;
        private final RelayUnderTest.Probe<?> halfWay;
        private final String note = "n".repeat(960);
        private byte[] line = "event,customer_id,timestamp,note\n".getBytes(StandardCharsets.UTF_8);
        private int position;
        private int row;
        private long size;
        private boolean paused;

        GeneratedCsv(int rows, RelayUnderTest.Probe<?> halfWay) {
            this.rows = rows;
            this.halfWay = halfWay;
        }

        long size() {
            return size;
        }

        boolean pausedHalfWay() {
            return paused;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (position == line.length) {
                if (row == rows) {
                    return -1;
                }
                row++;
                if (row == rows / 2 && !paused) {
                    paused = true;
                    try {
                        halfWay.get();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
                line = ("signup," + row + ",2026-11-22T10:00:00Z," + note + "\n").getBytes(StandardCharsets.UTF_8);
                position = 0;
            }
            int n = Math.min(length, line.length - position);
            System.arraycopy(line, position, buffer, offset, n);
            position += n;
            size += n;
            return n;
        }
    }
}
