package dev.eventrelay.systemevents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreRows;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own events through the real service: uploads and runs through the ops API raise relay_run_processed,
 * relay_file_rejected and relay_run_failed, a dead-lettered batch raises relay_batch_dead_lettered and the hook
 * controls' call raises relay_hook_disabled; a hook that lists those types delivers them in the contract's shape, a
 * hook without an event-type list gets none, the hook a report is about never gets it, and two failing hooks that
 * capture each other's dead-letter reports stop after one round. Subclasses pick the state store.
 */
abstract class SystemEventsFlowTest extends RelayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PURCHASE = "UDE_1JIJANUWB";
    private static final Path PURCHASES = Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void systemEventsReachTheHooksThatListThemInTheContractsShapeAndNoOther() throws Exception {
        Path alertsFolder = dir.resolve("alerts");
        config.put("relay.hook.alerts.destination", "file");
        config.put("relay.hook.alerts.file.folder", alertsFolder.toString());
        config.put("relay.hook.alerts.event-types", String.join(",", SystemEvents.TYPES));
        // a hook with only an import filter: "every type" never means the system events
        config.put("relay.hook.default-only.destination", "file");
        config.put("relay.hook.default-only.file.folder", dir.resolve("default-only").toString());
        config.put("relay.hook.default-only.filter.imports", "default");
        try (TestHttpReceiver receiver = new TestHttpReceiver(RelayUnderTest.freePort()).start()) {
            receiver.answer(Answer.of(400));
            config.put("relay.hook.webhook.destination", "http");
            config.put("relay.hook.webhook.http.url", receiver.url());
            config.put("relay.hook.webhook.event-types", "Purchase, relay_batch_dead_lettered, relay_hook_disabled");
            config.put("relay.hook.webhook.retry.times", "0");
            // the run that fails: the default import's SFTP server does not answer
            config.put("relay.import.default.sftp.port", String.valueOf(RelayUnderTest.freePort()));
            relay = new RelayUnderTest(config).start();

            JsonNode imported = upload("purchases.csv", Files.readAllBytes(PURCHASES), 200);
            JsonNode rejected = upload("no-header.csv", "first,second\n1,2\n".getBytes(), 422);
            String rejectedReason = relay.getJson("/api/runs/" + rejected.get("id").asText()).at("/files/0/reason").asText();
            JsonNode failed = relay.runImport("default");
            assertThat(rejected.get("file_status").asText()).isEqualTo("Rejected");
            assertThat(failed.get("processing_status").asText()).isEqualTo("Failed");
            String batchId = await("the webhook's batch in dead letters", DEADLINE,
                    () -> relay.getJson("/api/dead-letters?hook=webhook").get("dead_letters"), l -> l.size() == 1)
                    .get(0).get("batch_id").asText();
            relay.main().getCamelContext().getRegistry().lookupByNameAndType("systemEvents", SystemEvents.class)
                    .hookDisabled("webhook", "HTTP 410 Gone");

            Map<String, List<JsonNode>> alerts = byType(Outbox.await(alertsFolder, 6));
            JsonNode processed = only(alerts, SystemEvents.RUN_PROCESSED, imported.get("id").asText());
            assertThat(processed.get("hook").asText()).isEqualTo("alerts");
            assertThat(processed.get("event_id").asText()).hasSize(36);
            assertThat(processed.has("event_date")).isTrue();
            assertThat(processed.has("received_at")).isTrue();
            assertThat(processed.has("profile")).isFalse();
            assertThat(processed.get("origin")).isEqualTo(JSON.readTree("{\"kind\": \"system\", \"import\": \"default\","
                    + " \"run_id\": \"" + imported.get("id").asText() + "\"}"));
            assertThat(processed.get("properties")).isEqualTo(JSON.readTree("{\"import\": \"default\", \"run_id\": \""
                    + imported.get("id").asText() + "\", \"run_kind\": \"upload\", \"trigger\": \"api\", \"files\": 1,"
                    + " \"rows_total\": 7, \"rows_processed\": 4, \"rows_errored\": 3, \"rows_warnings\": 1}"));
            JsonNode fileRejected = only(alerts, SystemEvents.FILE_REJECTED, rejected.get("id").asText());
            assertThat(fileRejected.at("/origin/file").asText()).isEqualTo("no-header.csv");
            assertThat(fileRejected.at("/properties/file").asText()).isEqualTo("no-header.csv");
            assertThat(fileRejected.at("/properties/reason").asText()).isEqualTo(rejectedReason);
            only(alerts, SystemEvents.RUN_PROCESSED, rejected.get("id").asText());
            JsonNode runFailed = only(alerts, SystemEvents.RUN_FAILED, failed.get("id").asText());
            assertThat(runFailed.at("/properties/run_kind").asText()).isEqualTo("sftp");
            assertThat(runFailed.at("/properties/reason").asText()).isEqualTo(failed.get("reason").asText());
            JsonNode deadLettered = alerts.get(SystemEvents.BATCH_DEAD_LETTERED).get(0);
            assertThat(deadLettered.get("origin")).isEqualTo(JSON.readTree("{\"kind\": \"system\"}"));
            assertThat(deadLettered.get("properties")).isEqualTo(JSON.readTree("{\"hook\": \"webhook\", \"batch_id\": \""
                    + batchId + "\", \"events\": 4, \"attempts\": 1, \"error_code\": \"http-400\", \"error_summary\": "
                    + JSON.writeValueAsString(deadLettered.at("/properties/error_summary").asText()) + "}"));
            assertThat(deadLettered.at("/properties/error_summary").asText()).contains("webhook");
            assertThat(alerts.get(SystemEvents.HOOK_DISABLED).get(0).get("properties"))
                    .isEqualTo(JSON.readTree("{\"hook\": \"webhook\", \"reason\": \"HTTP 410 Gone\"}"));
            assertThat(alerts.values().stream().mapToInt(List::size).sum()).isEqualTo(6);

            StoreRows store = new StoreRows(config);
            await("every hook at the end of the event log", DEADLINE, () -> store.caughtUp("all-events", "default-only",
                    "webhook", "alerts"), done -> done);
            assertThat(Outbox.read(dir.resolve("outbox"))).extracting(e -> e.get("event_type").asText())
                    .containsExactly("Purchase", "Purchase", "Purchase", "Purchase");
            assertThat(Outbox.read(dir.resolve("default-only"))).extracting(e -> e.get("event_type").asText())
                    .containsExactly("Purchase", "Purchase", "Purchase", "Purchase");
            // the webhook lists both reports, but both are about itself: its only request is the refused batch
            assertThat(receiver.requests()).hasSize(1);
            assertThat(JSON.readTree(receiver.requests().get(0).body()).get("events"))
                    .allSatisfy(e -> assertThat(e.get("event_type").asText()).isEqualTo("Purchase"));
        }
    }

    @Test
    void twoFailingHooksThatCaptureEachOthersDeadLetterReportsStopAfterOneRound() throws Exception {
        int closed = RelayUnderTest.freePort();
        for (String hook : List.of("left", "right")) {
            config.put("relay.hook." + hook + ".destination", "http");
            config.put("relay.hook." + hook + ".http.url", "http://127.0.0.1:" + closed + "/events");
            config.put("relay.hook." + hook + ".event-types", "Purchase, relay_batch_dead_lettered");
            config.put("relay.hook." + hook + ".retry.times", "0");
        }
        relay = new RelayUnderTest(config).start();

        upload("purchases.csv", Files.readAllBytes(PURCHASES), 200);

        StoreRows store = new StoreRows(config);
        // left's report goes to right, right's to left; each of those batches dies too, and raises no report
        await("both hooks at the end of the event log with two dead letters each", DEADLINE,
                () -> store.caughtUp("left", "right") && store.rows("dead_letter") == 4, done -> done);
        assertThat(store.column("SELECT hook FROM dead_letter ORDER BY hook")).containsExactly("left", "left", "right",
                "right");
        assertThat(store.column("SELECT hook FROM dead_letter WHERE event_count = 4 ORDER BY hook"))
                .containsExactly("left", "right");
        List<JsonNode> reports = new ArrayList<>();
        for (String body : store.column("SELECT body FROM event_log WHERE event_type = ? ORDER BY id",
                SystemEvents.BATCH_DEAD_LETTERED)) {
            reports.add(JSON.readTree(body));
        }
        assertThat(reports).extracting(r -> r.at("/properties/hook").asText()).containsExactlyInAnyOrder("left", "right");
        assertThat(reports).extracting(r -> r.at("/properties/events").asInt()).containsExactly(4, 4);
        for (String payload : store.column("SELECT payload FROM dead_letter WHERE event_count = 1")) {
            JsonNode report = JSON.readTree(payload).get(0);
            assertThat(report.get("event_type").asText()).isEqualTo(SystemEvents.BATCH_DEAD_LETTERED);
            assertThat(report.at("/properties/hook").asText()).isNotEqualTo(report.get("hook").asText());
        }
    }

    private JsonNode upload(String fileName, byte[] csv, int status) throws Exception {
        HttpResponse<String> response = relay.post("/api/imports/default/upload?event_code=" + PURCHASE + "&file_name="
                + fileName, HttpRequest.BodyPublishers.ofByteArray(csv), "text/csv");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return JSON.readTree(response.body());
    }

    private static Map<String, List<JsonNode>> byType(List<JsonNode> events) {
        assertThat(events).allSatisfy(e -> assertThat(e.at("/origin/kind").asText()).isEqualTo("system"));
        return events.stream().collect(Collectors.groupingBy(e -> e.get("event_type").asText()));
    }

    /** The one event of {@code type} about run {@code runId}. */
    private static JsonNode only(Map<String, List<JsonNode>> byType, String type, String runId) {
        List<JsonNode> found = byType.getOrDefault(type, List.of()).stream()
                .filter(e -> e.at("/properties/run_id").asText().equals(runId)).toList();
        assertThat(found).as("%s of run %s in %s", type, runId, byType).hasSize(1);
        return found.get(0);
    }

}
