package dev.eventrelay.faults;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestPostgresCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sources and the state store going away under the running service: an SFTP server that refuses the login or
 * drops the connection in the middle of a file, a warehouse database that disappears between runs while rows keep
 * arriving, the state store's PostgreSQL server restarted (a server of the test's own). Each time the run fails
 * with the reason, the service stays up and says what is down, and the next run catches up with nothing skipped
 * and nothing twice.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class SourceOutageTest extends RelayFlowTest {

    private static final String HOOK_WAITS = "Hook all-events waits for the state store";
    private static final String HOOK_STILL_WAITS = "Hook all-events still waits for the state store";
    private static final String HOOK_IS_BACK = "Hook all-events: the state store answers again";

    @Override
    protected String newStoreUrl() {
        return StoreDatabases.sqlite(dir.resolve("store"));
    }

    private Set<String> drop(int n, int from, int to) throws Exception {
        return LoginDrops.write(sftp.root().resolve(LoginDrops.name(n)), from, to, 0);
    }

    /** Waits until the file hook holds exactly {@code keys}, each row once. */
    private void assertOutboxHoldsExactly(Set<String> keys) throws Exception {
        Path outbox = dir.resolve("outbox");
        RelayUnderTest.await(keys.size() + " lines in the outbox", Duration.ofSeconds(120), () -> lines(outbox),
                lines -> lines >= keys.size());
        List<JsonNode> events = Outbox.read(outbox);
        assertThat(events).hasSize(keys.size());
        assertThat(events.stream().map(LoginDrops::rowKey).toList()).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(keys);
    }

    @Test
    void anSftpServerThatRefusesTheLoginFailsTheRunWithTheReasonAndTheNextRunCatchesUp() throws Exception {
        Set<String> accepted = new HashSet<>(drop(1, 1, 50));
        relay = new RelayUnderTest(config).start();
        Path authorized = dir.resolve("sftp/authorized_keys");
        String keys = Files.readString(authorized);
        Files.writeString(authorized, "");

        JsonNode refused = relay.runImport("default");
        assertThat(refused.get("fetch_status").asText()).isEqualTo("Failed");
        assertThat(refused.get("reason").asText()).containsIgnoringCase("auth");
        JsonNode health = relay.getJson("/health");
        assertThat(health.get("down")).extracting(JsonNode::asText).containsExactly("import:default");
        assertThat(health.at("/checks/import:default/status").asText()).isEqualTo("DOWN");
        assertThat(health.at("/checks/import:default/reason").asText()).containsIgnoringCase("auth");

        Files.writeString(authorized, keys);
        accepted.addAll(drop(2, 51, 80));
        JsonNode next = relay.runImport("default");
        assertThat(next.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(next.get("rows_processed").asInt()).isEqualTo(80);
        assertOutboxHoldsExactly(accepted);
    }

    @Test
    void anSftpServerThatGoesDownInTheMiddleOfAFileFailsTheFileAndTheNextRunImportsItWhole() throws Exception {
        config.put("relay.imports.chunk.rows", "100");
        Set<String> accepted = drop(1, 1, 20_000);
        relay = new RelayUnderTest(config).start();
        JsonNode started = relay.getJson("/api/runs/" + relay.post("/api/imports/default/run").body()
                .replaceAll(".*\"run_id\":\"([^\"]+)\".*", "$1"));
        String runId = started.get("id").asText();
        RelayUnderTest.await("the run to be reading the file", Duration.ofSeconds(90),
                () -> relay.getJson("/api/runs/" + runId), r -> r.get("rows_total").asLong() > 0);
        sftp.stop();

        JsonNode failed = RelayUnderTest.await("the run to end", Duration.ofSeconds(90),
                () -> relay.getJson("/api/runs/" + runId), r -> "Failed".equals(r.path("processing_status").asText()));
        assertThat(failed.get("reason").asText()).isNotBlank();
        assertThat(failed.get("files").get(0).get("status").asText()).isEqualTo("Failed");
        assertThat(Outbox.read(dir.resolve("outbox"))).isEmpty();

        sftp.start();
        JsonNode next = relay.runImport("default");
        assertThat(next.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(next.get("rows_processed").asInt()).isEqualTo(20_000);
        assertOutboxHoldsExactly(accepted);
    }

    @Test
    void aFileThatGrowsWhileItsRunReadsItFailsAndTheNextRunImportsItWhole() throws Exception {
        config.put("relay.imports.chunk.rows", "100");
        Path file = sftp.root().resolve(LoginDrops.name(1));
        Set<String> accepted = LoginDrops.write(file, 1, 20_000, 0);
        relay = new RelayUnderTest(config).start();
        String runId = relay.post("/api/imports/default/run").body().replaceAll(".*\"run_id\":\"([^\"]+)\".*", "$1");
        RelayUnderTest.await("the run to be reading the file", Duration.ofSeconds(90),
                () -> relay.getJson("/api/runs/" + runId), r -> r.get("rows_total").asLong() > 0);
        accepted.addAll(LoginDrops.append(file, 20_001, 20_100)); // the partner's upload was not finished

        JsonNode failed = RelayUnderTest.await("the run to end", Duration.ofSeconds(90),
                () -> relay.getJson("/api/runs/" + runId),
                r -> r.path("processing_status").asText().matches("Processed|Failed"));
        assertThat(failed.get("processing_status").asText()).as(failed.toString()).isEqualTo("Failed");
        assertThat(failed.get("files").get(0).get("status").asText()).isEqualTo("Failed");
        assertThat(failed.get("files").get(0).get("reason").asText()).contains("the file changed while it was read");
        assertThat(Outbox.read(dir.resolve("outbox"))).isEmpty();

        JsonNode next = relay.runImport("default");
        assertThat(next.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(next.get("rows_processed").asInt()).isEqualTo(20_100);
        assertOutboxHoldsExactly(accepted);
    }

    @Test
    void aWarehouseDatabaseThatGoesAwayFailsTheSyncRunAndTheNextRunCatchesUpWithTheRowsThatArrivedMeanwhile()
            throws Exception {
        String url = StoreDatabases.newPostgres();
        String name = url.substring(url.lastIndexOf('/') + 1);
        try {
            execute(url, "CREATE TABLE visits (event_uid VARCHAR(36) PRIMARY KEY, email VARCHAR(100) NOT NULL,"
                    + " event_ts TIMESTAMPTZ NOT NULL, updated_at TIMESTAMPTZ NOT NULL)");
            Set<String> accepted = insertVisits(url, 1, 100);
            String sync = "relay.sync.visits.";
            config.put(sync + "jdbc.url", url);
            config.put(sync + "jdbc.user", StoreDatabases.POSTGRES_USER);
            config.put(sync + "jdbc.password", StoreDatabases.POSTGRES_PASSWORD);
            config.put(sync + "table", "visits");
            config.put(sync + "schedule", "0 0 0 1 1 ? 2099");
            config.put(sync + "mapping.event-date", "event_ts");
            config.put(sync + "event-type", "Visit");
            config.put(sync + "mapping.email", "email");
            config.put(sync + "mapping.changed-at", "updated_at");
            config.put(sync + "mapping.unique-id", "event_uid");
            relay = new RelayUnderTest(config).start();
            assertThat(relay.runImport("visits").get("rows_processed").asInt()).isEqualTo(100);

            rename(name, name + "_away");
            accepted.addAll(insertVisits(url.replace(name, name + "_away"), 101, 150));
            JsonNode failed = relay.runImport("visits");
            assertThat(failed.get("processing_status").asText()).isEqualTo("Failed");
            assertThat(failed.get("reason").asText()).isNotBlank();
            JsonNode health = relay.getJson("/health");
            assertThat(health.get("down")).extracting(JsonNode::asText).containsExactly("sync:visits");
            assertThat(health.at("/checks/sync:visits/reason").asText()).isEqualTo(failed.get("reason").asText());

            rename(name + "_away", name);
            accepted.addAll(insertVisits(url, 151, 160));
            JsonNode next = relay.runImport("visits");
            assertThat(next.get("processing_status").asText()).isEqualTo("Processed");
            assertThat(next.get("rows_processed").asInt()).isEqualTo(60);
            assertOutboxHoldsExactly(accepted);
        } finally {
            StoreDatabases.dropPostgres(url);
            StoreDatabases.dropPostgres(url + "_away");
        }
    }

    @Test
    void aStateStoreRestartedUnderTheServiceIsReportedDownAndNothingIsLostOnceItIsBack() throws Exception {
        try (TestPostgresCluster store = TestPostgresCluster.start()) {
            config.put("relay.store.url", store.url());
            config.put("relay.store.user", "postgres");
            config.put("relay.store.password", "");
            config.put("relay.imports.chunk.rows", "100");
            Set<String> accepted = new HashSet<>(drop(1, 1, 100));
            relay = new RelayUnderTest(config).start();
            assertThat(relay.runImport("default").get("rows_processed").asInt()).isEqualTo(100);

            accepted.addAll(drop(2, 101, 20_000));
            String runId = relay.post("/api/imports/default/run").body()
                    .replaceAll(".*\"run_id\":\"([^\"]+)\".*", "$1");
            RelayUnderTest.await("the run to be reading the file", Duration.ofSeconds(90),
                    () -> relay.getJson("/api/runs/" + runId), r -> r.get("rows_total").asLong() > 0);
            ListAppender<ILoggingEvent> logged = new ListAppender<>();
            Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            Logger hooks = (Logger) LoggerFactory.getLogger(HookDelivery.class);
            logged.start();
            root.addAppender(logged);
            hooks.setLevel(Level.DEBUG); // to see each poll that finds the store down
            try {
                store.stopServer();
                try {
                    HttpResponse<String> health = RelayUnderTest.await("health to say the store is down",
                            Duration.ofSeconds(60), () -> relay.get("/health"), h -> h.statusCode() == 503);
                    assertThat(health.body()).contains("state_store").contains("DOWN");
                    HttpResponse<String> refused = relay.post("/api/imports/default/run");
                    assertThat(refused.statusCode()).isGreaterThanOrEqualTo(500);
                    assertThat(refused.body()).contains("error");
                    // the first poll that finds the store down warns; two more polls only say so at debug level
                    List<ILoggingEvent> whileDown = RelayUnderTest.await("two more polls of the hook after its warning",
                            Duration.ofSeconds(60), () -> events(logged),
                            e -> e.stream().filter(event -> event.getFormattedMessage().startsWith(HOOK_STILL_WAITS))
                                    .count() >= 2);
                    // one line for the outage, and no stack trace on each poll (Hikari's own line per broken
                    // connection aside)
                    assertThat(whileDown).filteredOn(SourceOutageTest::hookWaits).hasSize(1);
                    assertThat(whileDown).filteredOn(e -> e.getThreadName().contains("hook-all-events")
                                    && !e.getLoggerName().startsWith("com.zaxxer.hikari"))
                            .allSatisfy(e -> assertThat(e.getThrowableProxy()).as(e.getFormattedMessage()).isNull());
                } finally {
                    store.startServer();
                }
                RelayUnderTest.await("health to say the store is up", Duration.ofSeconds(60),
                        () -> relay.get("/health").statusCode(), status -> status == 200);
                RelayUnderTest.await("the hook to say the store answers again", Duration.ofSeconds(30),
                        () -> events(logged), e -> e.stream().anyMatch(
                                event -> event.getFormattedMessage().equals(HOOK_IS_BACK)));
            } finally {
                root.detachAppender(logged);
                hooks.setLevel(null);
            }

            // the next run records the cut run's failure first (it could not be written while the store was
            // down), so the cut run no longer blocks the import, then imports the cut file whole
            // (the cut run's own thread may still be giving up on its connections: 409 until it has)
            accepted.addAll(drop(3, 20_001, 20_050));
            String nextId = RelayUnderTest.await("a new run to be accepted", Duration.ofSeconds(90),
                    () -> relay.post("/api/imports/default/run"), r -> r.statusCode() == 202).body()
                    .replaceAll(".*\"run_id\":\"([^\"]+)\".*", "$1");
            JsonNode next = RelayUnderTest.await("the new run to end", Duration.ofSeconds(90),
                    () -> relay.getJson("/api/runs/" + nextId), r -> r.path("processing_status").asText()
                            .matches("Processed|Failed"));
            assertThat(next.get("processing_status").asText()).as(next.toString()).isEqualTo("Processed");
            JsonNode cut = relay.getJson("/api/runs/" + runId);
            assertThat(cut.get("processing_status").asText()).as(cut.toString()).isEqualTo("Failed");
            assertThat(cut.get("reason").asText()).contains("state store");
            assertOutboxHoldsExactly(accepted);
        }
    }

    private static boolean hookWaits(ILoggingEvent event) {
        return event.getLevel() == Level.WARN && event.getFormattedMessage().startsWith(HOOK_WAITS);
    }

    /** What the appender holds now (it appends under its own lock). */
    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> logged) {
        synchronized (logged) {
            return List.copyOf(logged.list);
        }
    }

    /** The lines in the outbox's files (cheap to count while a hook writes). */
    private static long lines(Path outbox) throws Exception {
        if (!Files.isDirectory(outbox)) {
            return 0;
        }
        long lines = 0;
        try (var files = Files.list(outbox)) {
            for (Path file : files.toList()) {
                try (var content = Files.lines(file)) {
                    lines += content.count();
                }
            }
        }
        return lines;
    }

    private static Set<String> insertVisits(String url, int from, int to) throws Exception {
        execute(url, "INSERT INTO visits SELECT md5('v' || i)::uuid::text, 'v-' || i || '@example.com',"
                + " TIMESTAMPTZ '2026-11-20 00:00:00+00' + i * INTERVAL '1 second', now()"
                + " FROM generate_series(" + from + ", " + to + ") AS i");
        Set<String> keys = new HashSet<>();
        for (int i = from; i <= to; i++) {
            keys.add("v-" + i + "@example.com");
        }
        return keys;
    }

    private static void execute(String url, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(url, StoreDatabases.POSTGRES_USER,
                StoreDatabases.POSTGRES_PASSWORD); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Renames a database of the shared server, cutting the sessions the service holds on it. */
    private static void rename(String from, String to) throws Exception {
        RelayUnderTest.await("database " + from + " renamed", Duration.ofSeconds(30), () -> {
            try (Connection c = DriverManager.getConnection(StoreDatabases.POSTGRES_ADMIN_URL,
                    StoreDatabases.POSTGRES_USER, StoreDatabases.POSTGRES_PASSWORD); Statement s = c.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + from + "'");
                s.execute("ALTER DATABASE " + from + " RENAME TO " + to);
                return true;
            } catch (java.sql.SQLException inUse) {
                return false;
            }
        }, done -> done);
    }
}
