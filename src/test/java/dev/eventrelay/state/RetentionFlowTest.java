package dev.eventrelay.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreRows;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention through the real service and its sweep route, on a real store: a soak of many uploads while the sweep
 * runs every second shows the store's rows stay under a bound while every event is still delivered; events a hook
 * has not passed and undelivered dead letters are kept while the rest goes by its own key; ledger entries go by
 * their key, which start-up holds above the look-back window. Subclasses pick the state store.
 */
public abstract class RetentionFlowTest extends RelayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PURCHASE = "UDE_1JIJANUWB";
    private static final String HEADER = "externalId,eventDate,amount,paid,visited_at,store___city,store___country,"
            + "utm_source,utm_medium,utm_campaign\n";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int ROWS = 100;
    private static final int REJECTED = 10;

    @BeforeEach
    void sweepEverySecondWithEverythingDueAtOnce() {
        config.put("relay.retention.period.seconds", "1");
        for (String kind : List.of("events", "runs", "rejected-rows", "errors", "dead-letters")) {
            config.put("relay.retention." + kind + ".days", "0");
        }
        config.put("relay.retention.batch.rows", "50");
        config.put("relay.retention.batch.max-per-sweep", "1000");
    }

    /** Soak: bounded rounds of uploads; after each, the store holds at most a few rounds' rows, and every event arrives. */
    @Test
    void theStoreStaysBoundedWhileEventsFlowAndEveryEventIsStillDelivered() throws Exception {
        int rounds = 30;
        int bound = 8; // rounds' worth of rows; without retention the last rounds would hold all 30
        relay = new RelayUnderTest(config).start();
        Retention retention = relay.main().getCamelContext().getRegistry().lookupByNameAndType("retention",
                Retention.class);
        StoreRows store = new StoreRows(config);
        Map<String, Long> highest = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            upload(round);
            int expected = round * (ROWS - REJECTED);
            await(expected + " events delivered", DEADLINE, this::deliveredIds, ids -> ids.size() >= expected);
            // the flow goes at the sweep's pace: a whole sweep runs after each round's delivery, however fast the
            // machine imports, so the bound measures retention and not the machine's speed
            long sweeps = retention.sweeps();
            await("a whole sweep after round " + round, DEADLINE, retention::sweeps, done -> done >= sweeps + 2);
            for (String table : List.of("event_log", "event_segment", "import_run", "run_file", "rejected_row")) {
                highest.merge(table, store.rows(table), Math::max);
            }
        }

        assertThat(highest.get("event_log")).as("highest event_log rows, %s", highest).isLessThanOrEqualTo(bound * ROWS);
        // each round: a segment of events and one of its relay_run_processed event
        assertThat(highest.get("event_segment")).as("highest segments, %s", highest).isLessThanOrEqualTo(bound * 2);
        assertThat(highest.get("import_run")).as("highest runs, %s", highest).isLessThanOrEqualTo(bound + 1);
        assertThat(highest.get("run_file")).as("highest run files, %s", highest).isLessThanOrEqualTo(bound);
        assertThat(highest.get("rejected_row")).as("highest rejected rows, %s", highest)
                .isLessThanOrEqualTo(bound * REJECTED);
        assertThat(deliveredIds()).hasSize(rounds * (ROWS - REJECTED));
        // once the flow stops, what is left is the hook's current segment and the runs that must stay
        await("the sweep to leave only what must stay", DEADLINE, () -> List.of(store.rows("import_run"),
                store.rows("rejected_row"), store.rows("event_log")), left -> left.get(0) <= 3 && left.get(1) == 0
                && left.get(2) <= ROWS);
    }

    @Test
    void eventsAHookHasNotPassedAndUndeliveredDeadLettersAreKeptWhileTheRestGoesByItsOwnKey() throws Exception {
        // a hook that cannot deliver and keeps retrying its first batch: it has passed nothing, so it holds every event
        config.put("relay.hook.stuck.destination", "http");
        config.put("relay.hook.stuck.http.url", "http://127.0.0.1:" + RelayUnderTest.freePort() + "/events");
        config.put("relay.hook.stuck.retry.times", "1000");
        config.put("relay.hook.stuck.retry.period.seconds", "600");
        relay = new RelayUnderTest(config).start();
        StoreRows store = new StoreRows(config);
        Instant old = Instant.now().minus(Duration.ofDays(1));
        insert("INSERT INTO dead_letter (hook, batch_id, payload, event_count, attempts, error_summary, error_code,"
                + " failed_at, status, replayed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", "all-events", "b-replayed",
                "[]", 0, 1, "failed", "http-500", old.atOffset(ZoneOffset.UTC), "Replayed", old.atOffset(ZoneOffset.UTC));
        insert("INSERT INTO dead_letter (hook, batch_id, payload, event_count, attempts, error_summary, error_code,"
                + " failed_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", "all-events", "b-dead", "[]", 0, 1, "failed",
                "http-500", old.atOffset(ZoneOffset.UTC), "Dead");
        String runId = upload(1);
        Outbox.await(dir.resolve("outbox"), ROWS - REJECTED);
        StoreRows hooks = new StoreRows(config);
        await("hook stuck to retry its first batch", DEADLINE, () -> hooks.count("SELECT COUNT(*) FROM hook_state"
                + " WHERE hook = 'stuck' AND pending_segment_seq IS NOT NULL"), n -> n == 1);

        awaitASweep();

        assertThat(store.count("SELECT COUNT(*) FROM event_log WHERE event_type = 'Purchase'")).isEqualTo(ROWS - REJECTED);
        assertThat(store.column("SELECT id FROM import_run WHERE id = ?", runId)).hasSize(1);
        assertThat(store.rows("rejected_row")).isZero();
        assertThat(store.column("SELECT batch_id FROM dead_letter")).containsExactly("b-dead");
        assertThat(relay.getJson("/api/runs/" + runId).get("rows_errored").asLong()).isEqualTo(REJECTED);
    }

    @Test
    void ledgerEntriesGoByTheirKeyWhichStaysAboveTheLookBackWindow() throws Exception {
        config.put("relay.import.default.look-back.days", "7");
        config.put("relay.retention.ledger.days", "9");
        relay = new RelayUnderTest(config).start();
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        byte[] sample = Files.readAllBytes(Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv"));
        sftp.put(CHANNEL + "-" + PURCHASE + "-" + yesterday + "-1.csv", sample);
        sftp.put(CHANNEL + "-" + PURCHASE + "-" + yesterday + "-2.csv", sample);
        JsonNode run = relay.runImport("default");
        assertThat(run.get("files")).hasSize(2);
        StoreRows store = new StoreRows(config);
        Instant now = Instant.now();
        insert("UPDATE run_file SET started_at = ? WHERE file_name LIKE '%-1.csv'",
                now.minus(Duration.ofDays(10)).atOffset(ZoneOffset.UTC));
        insert("UPDATE run_file SET started_at = ? WHERE file_name LIKE '%-2.csv'",
                now.minus(Duration.ofDays(8)).atOffset(ZoneOffset.UTC));

        awaitASweep();

        assertThat(store.column("SELECT file_name FROM file_ledger")).containsExactly(CHANNEL + "-" + PURCHASE + "-"
                + yesterday + "-2.csv");
        // its file still holds a ledger entry: the run stays
        assertThat(store.column("SELECT id FROM import_run WHERE id = ?", run.get("id").asText())).hasSize(1);
    }

    /** The event ids of the complete lines the file hook has written (the file may be half-way through a line). */
    private Set<String> deliveredIds() throws Exception {
        Set<String> ids = new HashSet<>();
        Path outbox = dir.resolve("outbox");
        if (!Files.isDirectory(outbox)) {
            return ids;
        }
        try (var files = Files.list(outbox)) {
            for (Path file : files.toList()) {
                String text = Files.readString(file);
                for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
                    if (!line.isBlank()) {
                        ids.add(JSON.readTree(line).get("event_id").asText());
                    }
                }
            }
        }
        return ids;
    }

    /** Waits until a sweep has begun after now: it deletes an error log entry written now (errors.days = 0). */
    private void awaitASweep() throws Exception {
        insert("INSERT INTO error_log (occurred_at, source, summary, code) VALUES (?, ?, ?, ?)",
                Instant.now().minusSeconds(1).atOffset(ZoneOffset.UTC), "test", "the sweep's marker", "marker");
        StoreRows store = new StoreRows(config);
        await("a sweep", DEADLINE, () -> store.count("SELECT COUNT(*) FROM error_log WHERE code = 'marker'"),
                left -> left == 0);
    }

    private void insert(String sql, Object... args) throws Exception {
        try (Connection c = DriverManager.getConnection(config.get("relay.store.url"),
                config.getOrDefault("relay.store.user", "sa"), config.getOrDefault("relay.store.password", ""));
             PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        }
    }

    /** Uploads round {@code round}: ROWS rows, REJECTED of them without a profile identifier; returns the run id. */
    private String upload(int round) throws Exception {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int row = 1; row <= ROWS; row++) {
            String id = row <= REJECTED ? "" : "c-" + round + "-" + row;
            csv.append(id).append(",2026-11-22 09:15:02,12.50,true,,Berlin,DE,,,\n");
        }
        HttpResponse<String> response = relay.post("/api/imports/default/upload?event_code=" + PURCHASE
                + "&file_name=round-" + round + ".csv", HttpRequest.BodyPublishers.ofString(csv.toString(),
                StandardCharsets.UTF_8), "text/csv");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body()).get("id").asText();
    }
}
