package dev.eventrelay.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Import states through the real HTTP API: pause and resume of SFTP imports and warehouse syncs (kept in
 * the state store, so they survive a restart), a paused import skipping its schedule and refusing
 * run-now, one-time imports that end Completed, disabled syncs, and the health words and freshness of
 * syncs and hooks. Subclasses run the same tests on each state store dialect.
 */
abstract class ImportStatesFlowTest extends RelayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EVERY_SECOND = "0/1 * * * * ?";
    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private static final Path PURCHASES = Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void aPausedImportSkipsItsScheduleSaysSoAndRefusesRunNowUntilResumed() throws Exception {
        config.put("relay.import.default.schedule", EVERY_SECOND);
        relay = new RelayUnderTest(config).start();
        awaitRun("default", Instant.EPOCH);

        JsonNode paused = json(expect(relay.post("/api/imports/default/pause?reason=partner%20maintenance"), 200));

        assertThat(paused.get("status").asText()).isEqualTo("Paused");
        assertThat(paused.get("next_run").isNull()).isTrue();
        assertThat(paused.get("paused_reason").asText()).isEqualTo("partner maintenance");
        Instant pausedAt = Instant.parse(paused.get("paused_at").asText());
        List<JsonNode> skips = awaitSkips("default", pausedAt, 2);
        assertThat(skips.get(0).get("summary").asText())
                .isEqualTo("import 'default' paused by ops at " + pausedAt + " (partner maintenance), schedule skipped");
        assertThat(runs("default")).allSatisfy(run ->
                assertThat(Instant.parse(run.get("fetch_started_at").asText())).isBefore(pausedAt));
        assertThat(item("default").get("status").asText()).isEqualTo("Paused");

        JsonNode refused = json(expect(relay.post("/api/imports/default/run"), 409));
        assertThat(refused.get("error").asText()).isEqualTo("import 'default' is paused by ops at " + pausedAt
                + " (partner maintenance); POST /api/imports/default/resume resumes it");

        JsonNode pausedAgain = json(expect(relay.post("/api/imports/default/pause?reason=other"), 200));
        assertThat(pausedAgain.get("paused_at").asText()).isEqualTo(paused.get("paused_at").asText());
        assertThat(pausedAgain.get("paused_reason").asText()).isEqualTo("partner maintenance");

        Instant resumedAt = Instant.now();
        JsonNode resumed = json(expect(relay.post("/api/imports/default/resume"), 200));
        assertThat(resumed.get("status").asText()).isEqualTo("Launched");
        assertThat(resumed.get("paused_at").isNull()).isTrue();
        assertThat(resumed.get("next_run").isNull()).isFalse();
        assertThat(awaitRun("default", resumedAt).get("trigger").asText()).isEqualTo("schedule");
        json(expect(relay.post("/api/imports/default/resume"), 200));
    }

    @Test
    void aPauseSurvivesARestartOfTheService() throws Exception {
        config.put("relay.import.default.schedule", EVERY_SECOND);
        relay = new RelayUnderTest(config).start();
        JsonNode paused = json(expect(relay.post("/api/imports/default/pause"), 200));
        assertThat(paused.get("paused_reason").isNull()).isTrue();
        relay.stop();

        Instant restartedAt = Instant.now();
        relay = new RelayUnderTest(config).start();

        JsonNode item = item("default");
        assertThat(item.get("status").asText()).isEqualTo("Paused");
        assertThat(item.get("paused_at").asText()).isEqualTo(paused.get("paused_at").asText());
        assertThat(json(expect(relay.post("/api/imports/default/run"), 409)).get("error").asText())
                .contains("is paused by ops at " + paused.get("paused_at").asText());
        awaitSkips("default", restartedAt, 1);
        // a tick may have run before the pause (the schedule fires every second); none after it
        Instant pausedAt = Instant.parse(paused.get("paused_at").asText());
        assertThat(runs("default")).allSatisfy(run ->
                assertThat(Instant.parse(run.get("fetch_started_at").asText())).isBefore(pausedAt));

        json(expect(relay.post("/api/imports/default/resume"), 200));
        relay.stop();
        relay = new RelayUnderTest(config).start();
        assertThat(item("default").get("status").asText()).isEqualTo("Launched");
        awaitRun("default", restartedAt);
    }

    @Test
    void aOneTimeImportRunsOnceWhenTheServiceStartsAndIsThenCompleted() throws Exception {
        config.put("relay.import.default.schedule", "once");
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        sftp.put(CHANNEL + "-UDE_1JIJANUWB-" + yesterday + "-1.csv", Files.readAllBytes(PURCHASES));
        relay = new RelayUnderTest(config).start();
        assertThat(relay.main().getCamelContext().getRoute("sftp-import-default")).isNotNull();

        JsonNode completed = RelayUnderTest.await("the one-time import to complete", DEADLINE, () -> item("default"),
                item -> item.get("status").asText().equals("Completed"));

        assertThat(completed.get("schedule").asText()).isEqualTo("once");
        assertThat(completed.get("next_run").isNull()).isTrue();
        assertThat(completed.at("/last_run/processing_status").asText()).isEqualTo("Processed");
        assertThat(completed.at("/last_run/rows_processed").asLong()).isEqualTo(4);
        assertThat(completed.get("newest_data_at").isNull()).isFalse();

        relay.stop();
        relay = new RelayUnderTest(config).start();
        assertThat(relay.main().getCamelContext().getRoute("sftp-import-default")).isNull();
        assertThat(item("default").get("status").asText()).isEqualTo("Completed");
        assertThat(runs("default")).hasSize(1);

        JsonNode again = relay.runImport("default");
        assertThat(again.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(again.get("files")).isEmpty();
        assertThat(item("default").get("status").asText()).isEqualTo("Completed");
        assertThat(runs("default")).hasSize(2);
    }

    @Test
    void aOneTimeImportWhoseRunFailedIsNotCompletedAndRunsAgainAtTheNextStart() throws Exception {
        config.put("relay.import.default.schedule", "once");
        sftp.stop();
        relay = new RelayUnderTest(config).start();
        JsonNode failed = awaitRun("default", Instant.EPOCH);
        assertThat(failed.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(item("default").get("status").asText()).isEqualTo("Launched");

        relay.stop();
        sftp.start();
        relay = new RelayUnderTest(config).start();
        RelayUnderTest.await("the one-time import to complete", DEADLINE, () -> item("default"),
                item -> item.get("status").asText().equals("Completed"));
        assertThat(runs("default")).hasSize(2);
    }

    @Test
    void aPausedSyncSkipsItsScheduleAndADisabledSyncNeverRuns() throws Exception {
        String warehouse = shopWarehouse();
        sync("shop", warehouse, EVERY_SECOND);
        sync("archive", warehouse, EVERY_SECOND);
        config.put("relay.sync.archive.enabled", "false");
        relay = new RelayUnderTest(config).start();

        JsonNode synced = RelayUnderTest.await("the sync to publish its rows", DEADLINE, () -> item("shop"),
                item -> !item.get("newest_data_at").isNull());
        assertThat(synced.get("status").asText()).isIn("Completed", "In progress");
        assertThat(synced.get("newest_data_at").asText()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(synced.get("freshness_seconds").asLong()).isPositive();

        JsonNode paused = json(expect(relay.post("/api/imports/shop/pause?reason=warehouse%20migration"), 200));
        assertThat(paused.get("status").asText()).isEqualTo("Paused");
        assertThat(paused.get("next_run").isNull()).isTrue();
        Instant pausedAt = Instant.parse(paused.get("paused_at").asText());
        awaitSkips("shop", pausedAt, 2);
        assertThat(runs("shop")).allSatisfy(run ->
                assertThat(Instant.parse(run.get("fetch_started_at").asText())).isBefore(pausedAt));
        assertThat(json(expect(relay.post("/api/imports/shop/run"), 409)).get("error").asText())
                .startsWith("sync 'shop' is paused by ops at " + pausedAt + " (warehouse migration)");

        JsonNode archive = item("archive");
        assertThat(archive.get("status").asText()).isEqualTo("Disabled");
        assertThat(archive.get("next_run").isNull()).isTrue();
        assertThat(json(expect(relay.post("/api/imports/archive/run"), 409)).get("error").asText())
                .isEqualTo("sync 'archive' is disabled (relay.sync.archive.enabled=false)");
        assertThat(json(expect(relay.post("/api/imports/archive/pause"), 409)).get("error").asText())
                .isEqualTo("sync 'archive' is disabled (relay.sync.archive.enabled=false); there is nothing to pause");
        assertThat(runs("archive")).isEmpty();

        Instant resumedAt = Instant.now();
        JsonNode resumed = json(expect(relay.post("/api/imports/shop/resume"), 200));
        assertThat(resumed.get("status").asText()).isIn("Scheduled", "In progress", "Completed");
        awaitRun("shop", resumedAt);
        assertThat(item("shop").get("status").asText()).isIn("In progress", "Completed");
    }

    @Test
    void hooksShowTheirHealthWordsTheFreshnessOfWhatTheyDeliveredAndTheirOwner() throws Exception {
        sync("shop", shopWarehouse(), NEVER);
        config.put("relay.instance.id", "relay-test-1");
        relay = new RelayUnderTest(config).start();
        relay.runImport("shop");

        JsonNode hook = RelayUnderTest.await("the file hook to deliver", DEADLINE, () -> relay.hook("all-events"),
                h -> h.get("delivered").asLong() == 2);
        assertThat(hook.get("status").asText()).isEqualTo("Scheduled");
        assertThat(hook.get("last_delivered_at").isNull()).isFalse();
        assertThat(hook.get("freshness_seconds").asLong()).isNotNegative();
        assertThat(relay.hook("orders-webhook").get("status").asText()).isEqualTo("Disabled");
        // the instance that holds the hook's lease delivers it; a disabled hook has no owner
        assertThat(hook.get("owner").asText()).isEqualTo("relay-test-1");
        assertThat(relay.hook("orders-webhook").get("owner").isNull()).isTrue();
    }

    /** A warehouse (an H2 file) with a table of two rows, changed at 09:00 and 10:00 on 2026-11-22. */
    private String shopWarehouse() throws SQLException {
        String url = "jdbc:h2:file:" + dir.resolve("warehouse").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE shop_events (event_uid VARCHAR(20) PRIMARY KEY, event_ts TIMESTAMP WITH TIME ZONE,"
                    + " updated_at TIMESTAMP WITH TIME ZONE, metric_name VARCHAR(50), email VARCHAR(100))");
            s.execute("INSERT INTO shop_events VALUES ('s-1', TIMESTAMP WITH TIME ZONE '2026-11-22 08:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-11-22 09:00:00+00', 'Purchase', 'ann@example.com'),"
                    + " ('s-2', TIMESTAMP WITH TIME ZONE '2026-11-22 09:30:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-11-22 10:00:00+00', 'Purchase', 'bob@example.com')");
        }
        return url;
    }

    private void sync(String name, String url, String schedule) {
        String key = "relay.sync." + name + ".";
        config.put(key + "jdbc.url", url);
        config.put(key + "jdbc.user", "sa");
        config.put(key + "table", "shop_events");
        config.put(key + "schedule", schedule);
        config.put(key + "mapping.event-date", "event_ts");
        config.put(key + "mapping.event-type", "metric_name");
        config.put(key + "mapping.email", "email");
        config.put(key + "mapping.changed-at", "updated_at");
        config.put(key + "mapping.unique-id", "event_uid");
    }

    /** The import or sync as {@code GET /api/imports} shows it. */
    private JsonNode item(String name) throws Exception {
        for (JsonNode item : relay.getJson("/api/imports").get("imports")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("GET /api/imports shows no import named " + name);
    }

    private List<JsonNode> runs(String name) throws Exception {
        List<JsonNode> runs = new ArrayList<>();
        relay.getJson("/api/imports/" + name + "/runs?limit=500").get("runs").forEach(runs::add);
        return runs;
    }

    /** Waits for a run of the import that started after {@code after} to end, and returns it. */
    private JsonNode awaitRun(String name, Instant after) throws Exception {
        return RelayUnderTest.await("a run of " + name + " after " + after + " to end", DEADLINE,
                () -> runs(name).stream().filter(run -> Instant.parse(run.get("fetch_started_at").asText()).isAfter(after)
                        && !run.get("processing_status").isNull()
                        && !run.get("processing_status").asText().equals("Processing")).findFirst().orElse(null),
                run -> run != null);
    }

    /** Waits until the error log holds {@code count} skipped schedules of the import since {@code since}. */
    private List<JsonNode> awaitSkips(String name, Instant since, int count) throws Exception {
        return RelayUnderTest.await(count + " skipped schedules of " + name, DEADLINE, () -> {
            List<JsonNode> skips = new ArrayList<>();
            for (JsonNode entry : relay.getJson("/api/errors?limit=1000&since=" + since).get("errors")) {
                if (entry.get("source").asText().equals(name) && entry.get("code").asText().equals("schedule-skipped")) {
                    skips.add(entry);
                }
            }
            return skips;
        }, skips -> skips.size() >= count);
    }

    private static HttpResponse<String> expect(HttpResponse<String> response, int status) {
        assertThat(response.statusCode()).as(response.request().method() + " " + response.request().uri() + ": "
                + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                assertThat(type).startsWith("application/json"));
        return response;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }
}
