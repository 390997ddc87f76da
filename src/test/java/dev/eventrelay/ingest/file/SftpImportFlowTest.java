package dev.eventrelay.ingest.file;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.TestSftpServer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SFTP imports end to end: a real SFTP server (Apache SSHD, key auth, host key checked), the real
 * service with the shipped configuration and routes, and the events that reach the file hook.
 * Subclasses run the same tests on each state store dialect.
 */
abstract class SftpImportFlowTest extends RelayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = Path.of("src/test/resources/samples");
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final String PURCHASE = "UDE_1JIJANUWB";
    private static final String LOGIN = "UDE_7KQ2LOGIN";

    private Map<String, String> sftpImport(String name, String keyType) throws Exception {
        return sftp.importConfig(name, CHANNEL, keyType);
    }

    private RelayUnderTest startRelay() throws Exception {
        relay = new RelayUnderTest(config).start();
        return relay;
    }

    private static String day(int daysAgo) {
        return LocalDate.now(ZoneOffset.UTC).minusDays(daysAgo).format(DAY);
    }

    private static String dropName(String eventCode, int daysAgo, int n) {
        return CHANNEL + "-" + eventCode + "-" + day(daysAgo) + "-" + n + ".csv";
    }

    private void putSample(String sample, String asName) throws IOException {
        sftp.put(asName, Files.readAllBytes(SAMPLES.resolve(sample)));
    }

    private List<JsonNode> outbox() throws IOException {
        return Outbox.read(dir.resolve("outbox"));
    }

    private List<JsonNode> awaitOutbox(int count) throws Exception {
        return Outbox.await(dir.resolve("outbox"), count);
    }

    private static JsonNode byExternalId(List<JsonNode> events, String type, String externalId) {
        return events.stream()
                .filter(e -> e.get("event_type").asText().equals(type)
                        && externalId.equals(e.path("profile").path("external_id").asText()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + type + " event of " + externalId));
    }

    private static JsonNode file(JsonNode run, String name) {
        for (JsonNode file : run.get("files")) {
            if (file.get("name").asText().equals(name)) {
                return file;
            }
        }
        throw new AssertionError("run has no file " + name + ": " + run);
    }

    @Test
    void aDayOfSampleDropsBecomesExactlyTheAcceptedEvents() throws Exception {
        String purchases1 = dropName(PURCHASE, 1, 1);
        String purchases2 = dropName(PURCHASE, 1, 2);
        String logins = dropName(LOGIN, 1, 1);
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv", purchases1);
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", purchases2);
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", logins);
        putSample("sftp/readme-not-an-event-file.txt", "readme-not-an-event-file.txt");
        startRelay();

        JsonNode run = relay.runImport("default");

        assertThat(run.get("fetch_status").asText()).isEqualTo("Fetched");
        assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(run.get("rows_total").asLong()).isEqualTo(11);
        assertThat(run.get("rows_processed").asLong()).isEqualTo(8);
        assertThat(run.get("rows_errored").asLong()).isEqualTo(3);
        assertThat(run.get("rows_warnings").asLong()).isEqualTo(1);
        assertThat(run.get("files")).extracting(f -> f.get("name").asText())
                .containsExactly(purchases1, logins, purchases2);
        assertThat(file(run, purchases1).get("status").asText()).isEqualTo("Imported");

        List<JsonNode> events = awaitOutbox(8);
        assertThat(events).hasSize(8);
        assertThat(events).extracting(e -> e.get("event_type").asText() + "/" + e.at("/profile/external_id").asText())
                .containsExactly("Purchase/c-1001", "Purchase/c-1002", "Purchase/c-1003", "Purchase/c-1007",
                        "Login/c-1001", "Login/c-3001", "Purchase/c-2001", "Purchase/c-2002");

        JsonNode first = byExternalId(events, "Purchase", "c-1001");
        assertThat(first.get("event_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(first.get("event_date").asText()).isEqualTo("2026-11-22T09:15:02Z");
        assertThat(first.get("received_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{1,3})?Z");
        assertThat(first.at("/utm/source").asText()).isEqualTo("newsletter");
        assertThat(first.at("/utm/campaign").asText()).isEqualTo("black-friday");
        assertThat(first.at("/properties/amount").decimalValue()).isEqualByComparingTo("129.90");
        assertThat(first.at("/properties/paid").asBoolean()).isTrue();
        assertThat(first.at("/properties/visited_at").asText()).isEqualTo("2026-11-21T18:00:00Z");
        assertThat(first.at("/properties/store/city").asText()).isEqualTo("Berlin");
        assertThat(first.at("/properties/store/country").asText()).isEqualTo("DE");
        assertThat(first.get("origin").get("kind").asText()).isEqualTo("sftp");
        assertThat(first.get("origin").get("import").asText()).isEqualTo("default");
        assertThat(first.get("origin").get("channel").asText()).isEqualTo(CHANNEL);
        assertThat(first.get("origin").get("event_code").asText()).isEqualTo(PURCHASE);
        assertThat(first.get("origin").get("file").asText()).isEqualTo(purchases1);
        assertThat(first.get("origin").get("row").asInt()).isEqualTo(1);
        assertThat(first.get("origin").get("run_id").asText()).isEqualTo(run.get("id").asText());
        assertThat(first.get("hook").asText()).isEqualTo("all-events");
        assertThat(first.get("custom_data").isObject()).isTrue();

        JsonNode second = byExternalId(events, "Purchase", "c-1002");
        assertThat(second.at("/properties/paid").asBoolean()).isFalse();
        assertThat(second.at("/properties").has("visited_at")).isFalse();
        assertThat(second.at("/utm/source").asText()).isEqualTo("sftp");
        assertThat(second.at("/utm/medium").asText()).isEqualTo("file-drop");
        assertThat(byExternalId(events, "Purchase", "c-1003").at("/properties/paid").asBoolean()).isTrue();
        JsonNode warned = byExternalId(events, "Purchase", "c-1007");
        assertThat(warned.at("/properties/paid").asBoolean()).isFalse();
        assertThat(warned.at("/properties/store/city").asText()).isEqualTo("Munich, Bavaria");

        HttpResponse<String> errors = relay.get("/api/runs/" + run.get("id").asText() + "/errors.csv");
        assertThat(errors.statusCode()).isEqualTo(200);
        assertThat(errors.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<CSVRecord> rows = CSVFormat.RFC4180.parse(new StringReader(errors.body())).getRecords();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(0).toList()).containsExactly("file", "row", "reason", "raw_line");
        assertThat(rows.get(1).toList()).containsExactly(purchases1, "4", "amount 'not-a-number' is not a number",
                "c-1004,2026-11-22 12:05:06,not-a-number,true,,Köln,DE,,,");
        assertThat(rows.get(2).toList()).containsExactly(purchases1, "5",
                "no profile identifier: externalId, email, phone and customerId are all empty or absent",
                ",2026-11-22 13:00:00,20,true,,Berlin,DE,,,");
        assertThat(rows.get(3).toList()).containsExactly(purchases1, "6",
                "eventDate '22/11/2026 14:00' is not yyyy-MM-dd HH:mm:ss or ISO-8601 with an offset",
                "c-1006,22/11/2026 14:00,20,true,,Berlin,DE,,,");
    }

    @Test
    void trickyFilesGetTheirDocumentedOutcomes() throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        String[] samples = {"udc_1itzAa15r-UDE_7KQ2LOGIN-20261121-1.csv", "semicolon-delimited.csv",
                "missing-required-column.csv", "unclosed-quote.csv", "empty.csv", "header-only.csv",
                "crlf-and-quoted-newline.csv", "invalid-utf8.csv"};
        for (int i = 0; i < samples.length; i++) {
            String name = dropName(LOGIN, 1, i + 1);
            putSample("tricky/" + samples[i], name);
            files.put(samples[i], name);
        }
        startRelay();

        JsonNode run = relay.runImport("default");

        assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(file(run, files.get("udc_1itzAa15r-UDE_7KQ2LOGIN-20261121-1.csv")).get("status").asText())
                .isEqualTo("Imported");
        assertRejected(run, files.get("semicolon-delimited.csv"), "required column 'externalId' is missing");
        assertRejected(run, files.get("missing-required-column.csv"), "required column 'externalId' is missing");
        assertRejected(run, files.get("unclosed-quote.csv"), "a quoted value opening on line 2 is never closed");
        assertRejected(run, files.get("empty.csv"), "the file is empty: it has no header row");
        assertRejected(run, files.get("invalid-utf8.csv"), "not valid UTF-8");
        JsonNode headerOnly = file(run, files.get("header-only.csv"));
        assertThat(headerOnly.get("status").asText()).isEqualTo("Imported");
        assertThat(headerOnly.get("rows_total").asLong()).isZero();
        assertThat(headerOnly.get("reason").isNull()).isTrue();

        List<JsonNode> events = awaitOutbox(3);
        assertThat(events).extracting(e -> e.at("/profile/external_id").asText())
                .containsExactly("c-9001", "c-9005", "c-9006");
        assertThat(byExternalId(events, "Login", "c-9001").at("/properties/device").asText()).isEqualTo("web");
        assertThat(byExternalId(events, "Login", "c-9006").at("/properties/device").asText())
                .isEqualTo("multi\r\nline");
        assertThat(relay.get("/api/runs/" + run.get("id").asText() + "/errors.csv").body())
                .contains("a quoted value opening on line 2 is never closed");
    }

    private static void assertRejected(JsonNode run, String name, String reason) {
        JsonNode file = file(run, name);
        assertThat(file.get("status").asText()).as(name).isEqualTo("Rejected");
        assertThat(file.get("reason").asText()).as(name).contains(reason);
        assertThat(file.get("rows_processed").asLong()).as(name).isZero();
    }

    @Test
    void anImportWithTheSemicolonDelimiterReadsTheSemicolonFile() throws Exception {
        config.putAll(sftpImport("semicolons", "ecdsa"));
        config.put("relay.import.semicolons.csv.delimiter", ";");
        putSample("tricky/semicolon-delimited.csv", dropName(LOGIN, 1, 1));
        startRelay();

        JsonNode run = relay.runImport("semicolons");

        assertThat(run.get("rows_processed").asLong()).isEqualTo(1);
        assertThat(awaitOutbox(1).get(0).at("/profile/external_id").asText()).isEqualTo("c-9002");
    }

    @Test
    void aFileImportsOnceAcrossARestart() throws Exception {
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", dropName(PURCHASE, 1, 1));
        startRelay();
        relay.runImport("default");
        List<JsonNode> before = awaitOutbox(2);
        relay.stop();

        startRelay();
        JsonNode again = relay.runImport("default");

        assertThat(again.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(again.get("files")).isEmpty();
        assertThat(again.get("rows_total").asLong()).isZero();
        JsonNode runs = relay.getJson("/api/imports/default/runs");
        assertThat(runs.get("runs")).hasSize(2);
        assertThat(outbox()).hasSize(before.size());
    }

    @Test
    void theSameFileImportedIntoAFreshStoreKeepsItsEventIds() throws Exception {
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", dropName(LOGIN, 1, 1));
        startRelay();
        relay.runImport("default");
        List<String> ids = awaitOutbox(2).stream().map(e -> e.get("event_id").asText()).toList();
        relay.stop();
        config.put("relay.store.url", newStoreUrl());
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox2").toString());
        startRelay();

        relay.runImport("default");

        List<String> again = Outbox.await(dir.resolve("outbox2"), 2).stream()
                .map(e -> e.get("event_id").asText()).toList();
        assertThat(again).containsExactlyElementsOf(ids);
    }

    @Test
    void aRunCatchesUpMissedDaysInsideTheLookBackWindowOnly() throws Exception {
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", dropName(LOGIN, 1, 1));
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", dropName(PURCHASE, 3, 10));
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", dropName(PURCHASE, 3, 2));
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", dropName(PURCHASE, 7, 1));
        putSample("sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-2.csv", dropName(PURCHASE, 8, 1));
        startRelay();

        JsonNode run = relay.runImport("default");

        assertThat(run.get("files")).extracting(f -> f.get("name").asText()).containsExactly(
                dropName(PURCHASE, 7, 1), dropName(PURCHASE, 3, 2), dropName(PURCHASE, 3, 10), dropName(LOGIN, 1, 1));
        assertThat(awaitOutbox(8)).hasSize(8);
    }

    @Test
    void todaysFileIsNeverRead() throws Exception {
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", dropName(LOGIN, 0, 1));
        startRelay();

        JsonNode run = relay.runImport("default");

        assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(run.get("files")).isEmpty();
        assertThat(Files.exists(sftp.root().resolve(dropName(LOGIN, 0, 1)))).isTrue();
    }

    @Test
    void aServerWithAnUnknownHostKeyIsRefused() throws Exception {
        Path strangers = dir.resolve("other-known-hosts");
        Path otherKey = dir.resolve("other_host_key");
        TestSftpServer.SshKeys.generate("ecdsa", otherKey);
        Files.writeString(strangers, "[127.0.0.1]:" + sftp.port() + " " + Files.readString(Path.of(otherKey + ".pub")));
        config.put("relay.import.default.sftp.known-hosts-file", strangers.toString());
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", dropName(LOGIN, 1, 1));
        startRelay();

        JsonNode run = relay.runImport("default");

        assertThat(run.get("fetch_status").asText()).isEqualTo("Failed");
        assertThat(run.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(run.get("reason").asText()).contains("host key");
        assertThat(outbox()).isEmpty();
    }

    @Test
    void aServerThatIsDownFailsTheRunAndTheNextRunCatchesUp() throws Exception {
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", dropName(LOGIN, 1, 1));
        startRelay();
        sftp.stop();

        JsonNode failed = relay.runImport("default");

        assertThat(failed.get("fetch_status").asText()).isEqualTo("Failed");
        assertThat(failed.get("reason").asText()).contains("cannot connect to " + TestSftpServer.USER + "@127.0.0.1:"
                + sftp.port());
        assertThat(relay.get("/health").statusCode()).isEqualTo(200);
        assertThat(relay.getJson("/health").at("/checks/import:default/last_run").asText()).isEqualTo("Failed");

        sftp.start();
        JsonNode next = relay.runImport("default");

        assertThat(next.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(next.get("rows_processed").asLong()).isEqualTo(2);
        assertThat(awaitOutbox(2)).hasSize(2);
    }

    @Test
    void everyKeyTypeLogsInAndEachImportRunsOnItsOwn() throws Exception {
        config.putAll(sftpImport("ecdsa-partner", "ecdsa"));
        config.putAll(sftpImport("rsa-partner", "rsa"));
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", dropName(LOGIN, 1, 1));
        startRelay();

        for (String name : List.of("default", "ecdsa-partner", "rsa-partner")) {
            JsonNode run = relay.runImport(name);
            assertThat(run.get("processing_status").asText()).as(name).isEqualTo("Processed");
            assertThat(run.get("rows_processed").asLong()).as(name).isEqualTo(2);
        }
        List<JsonNode> events = awaitOutbox(6);
        assertThat(events).extracting(e -> e.at("/origin/import").asText())
                .containsExactly("default", "default", "ecdsa-partner", "ecdsa-partner", "rsa-partner", "rsa-partner");
        assertThat(relay.getJson("/api/imports").get("imports")).extracting(i -> i.get("name").asText())
                .containsExactly("default", "ecdsa-partner", "rsa-partner", "manual");
    }

    @Test
    void aFileChangedAfterItsImportIsReportedAndNotImportedAgain() throws Exception {
        String name = dropName(LOGIN, 1, 1);
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", name);
        startRelay();
        relay.runImport("default");
        awaitOutbox(2);
        Files.writeString(sftp.root().resolve(name), "externalId,eventDate,device,first_login\n"
                + "c-5555,2026-11-22 08:00:00,ios,true\n", java.nio.file.StandardOpenOption.APPEND);

        JsonNode again = relay.runImport("default");

        assertThat(again.get("files")).isEmpty();
        assertThat(outbox()).hasSize(2);
    }

    @Test
    void afterImportAFileIsMovedOrDeletedAsConfigured() throws Exception {
        config.putAll(sftpImport("archiving", "ed25519"));
        config.put("relay.import.archiving.channel", "archiving");
        config.put("relay.import.archiving.after-import", "move");
        config.put("relay.import.archiving.after-import.folder", "done");
        config.putAll(sftpImport("deleting", "ed25519"));
        config.put("relay.import.deleting.channel", "deleting");
        config.put("relay.import.deleting.after-import", "delete");
        String moved = "archiving-" + LOGIN + "-" + day(1) + "-1.csv";
        String deleted = "deleting-" + LOGIN + "-" + day(1) + "-1.csv";
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", moved);
        putSample("sftp/udc_1itzAa15r-UDE_7KQ2LOGIN-20261122-1.csv", deleted);
        startRelay();

        relay.runImport("archiving");
        relay.runImport("deleting");

        assertThat(sftp.root().resolve(moved)).doesNotExist();
        assertThat(sftp.root().resolve("done").resolve(moved)).exists();
        assertThat(sftp.root().resolve(deleted)).doesNotExist();
        assertThat(awaitOutbox(4)).hasSize(4);
    }

    @Test
    void theApiAnswersUnknownNamesWith404AndBadParametersWith400() throws Exception {
        startRelay();

        assertThat(relay.post("/api/imports/nope/run").statusCode()).isEqualTo(404);
        assertThat(relay.get("/api/imports/nope/runs").statusCode()).isEqualTo(404);
        String unknownRun = java.util.UUID.randomUUID().toString();
        assertThat(relay.get("/api/runs/" + unknownRun).statusCode()).isEqualTo(404);
        assertThat(relay.get("/api/runs/" + unknownRun + "/errors.csv").statusCode()).isEqualTo(404);
        assertThat(relay.get("/api/runs/nope").statusCode()).isEqualTo(400);
        HttpResponse<String> bad = relay.get("/api/imports/default/runs?limit=abc");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).contains("limit");
    }
}
