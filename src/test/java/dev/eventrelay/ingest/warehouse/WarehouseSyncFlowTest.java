package dev.eventrelay.ingest.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.Outbox;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Warehouse syncs end to end: the sample table {@code pos_events.sql} in a real database, the real
 * service with the shipped configuration and routes, and the events that reach the file hook.
 * Subclasses run the same tests per warehouse: PostgreSQL, MariaDB, DuckDB files, and H2 (the ANSI dialect).
 */
abstract class WarehouseSyncFlowTest extends RelayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = Path.of("src/test/resources/samples/warehouse/pos_events.sql");
    private static final List<String> GOOD_ROWS = List.of("pos-1", "pos-2", "pos-3", "sup-1", "sup-2");

    /** The JDBC URL of a fresh, empty warehouse database. */
    abstract String newWarehouseUrl() throws Exception;

    /** The JDBC URL of a warehouse database that does not exist until {@link #createWarehouse} makes it. */
    abstract String absentWarehouseUrl() throws Exception;

    /** Makes the database of {@link #absentWarehouseUrl()} exist and returns a URL to connect to it. */
    abstract String createWarehouse(String absentUrl) throws Exception;

    abstract String warehouseUser();

    abstract String warehousePassword();

    /** The sample's SQL in the warehouse's dialect. */
    abstract String dialect(String sql);

    /** Statements run first on each connection that loads the sample (e.g. the session's time zone). */
    List<String> sessionSetUp() {
        return List.of();
    }

    /** A sync of the sample table with every mapping field the table offers. */
    void posSync(String name, String url) {
        String key = "relay.sync." + name + ".";
        config.put(key + "jdbc.url", url);
        if (warehouseUser() != null) {
            config.put(key + "jdbc.user", warehouseUser());
            config.put(key + "jdbc.password", warehousePassword());
        }
        config.put(key + "table", "pos_events");
        config.put(key + "schedule", "0 0 0 1 1 ? 2099");
        config.put(key + "mapping.event-date", "event_ts");
        config.put(key + "mapping.event-type", "metric_name");
        config.put(key + "mapping.email", "email");
        config.put(key + "mapping.phone", "phone");
        config.put(key + "mapping.external-id", "external_id");
        config.put(key + "mapping.changed-at", "updated_at");
        config.put(key + "mapping.unique-id", "event_uid");
        config.put(key + "mapping.value", "order_total");
        config.put(key + "mapping.value-currency", "currency");
    }

    void load(String url) throws Exception {
        execute(url, statements(false));
    }

    private void insertLaterRow(String url) throws Exception {
        execute(url, statements(true));
    }

    private void execute(String url, List<String> sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, warehouseUser(), warehousePassword());
             Statement s = c.createStatement()) {
            for (String statement : sessionSetUp()) {
                s.execute(statement);
            }
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** The sample's statements, or (later) only the row it adds later, which it holds in a comment. */
    private List<String> statements(boolean later) throws IOException {
        StringBuilder sql = new StringBuilder();
        List<String> added = new ArrayList<>();
        for (String line : Files.readAllLines(SAMPLE)) {
            if (line.startsWith("-- INSERT")) {
                added.add(dialect(line.substring(3).replaceAll(";\\s*$", "")));
            } else if (!line.startsWith("--")) {
                int comment = line.indexOf("--");
                sql.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
            }
        }
        if (later) {
            return added;
        }
        List<String> statements = new ArrayList<>();
        for (String statement : sql.toString().split(";\\s*\\n")) {
            if (!statement.isBlank()) {
                statements.add(dialect(statement.trim()));
            }
        }
        return statements;
    }

    private List<JsonNode> outbox() throws IOException {
        return Outbox.read(dir.resolve("outbox"));
    }

    List<JsonNode> awaitOutbox(int count) throws Exception {
        return Outbox.await(dir.resolve("outbox"), count);
    }

    static List<String> ids(List<JsonNode> events) {
        return events.stream().map(e -> e.get("event_id").asText()).toList();
    }

    private static JsonNode byId(List<JsonNode> events, String id) {
        return events.stream().filter(e -> e.get("event_id").asText().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id));
    }

    private JsonNode listed(String name) throws Exception {
        for (JsonNode item : relay.getJson("/api/imports").get("imports")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("GET /api/imports does not list " + name);
    }

    @Test
    void theFirstRunImportsExactlyTheGoodRowsWithNestedPropertiesAndNullsLeftOut() throws Exception {
        String warehouse = newWarehouseUrl();
        load(warehouse);
        posSync("pos", warehouse);
        relay = new RelayUnderTest(config).start();

        JsonNode run = relay.runImport("pos");

        assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(run.get("rows_total").asLong()).isEqualTo(7);
        assertThat(run.get("rows_processed").asLong()).isEqualTo(5);
        assertThat(run.get("rows_errored").asLong()).isEqualTo(2);
        List<JsonNode> events = awaitOutbox(5);
        assertThat(ids(events)).containsExactlyInAnyOrderElementsOf(GOOD_ROWS);
        JsonNode pos1 = byId(events, "pos-1");
        assertThat(pos1.get("event_type").asText()).isEqualTo("In-Store Purchase");
        assertThat(pos1.get("event_date").asText()).isEqualTo("2026-11-20T10:00:00Z");
        assertThat(pos1.get("profile").get("email").asText()).isEqualTo("ann@example.com");
        assertThat(pos1.get("profile").get("external_id").asText()).isEqualTo("c-1001");
        assertThat(pos1.get("profile").has("phone")).isFalse();
        assertThat(pos1.get("value").decimalValue()).isEqualByComparingTo("59.90");
        assertThat(pos1.get("value_currency").asText()).isEqualTo("EUR");
        JsonNode properties = pos1.get("properties");
        assertThat(properties.get("store").get("city").asText()).isEqualTo("Berlin");
        assertThat(properties.get("store").get("country").asText()).isEqualTo("DE");
        assertThat(properties.get("tender_type").asText()).isEqualTo("card");
        assertThat(properties.get("items").isArray()).isTrue();
        assertThat(properties.get("items").get(0).get("sku").asText()).isEqualTo("A1");
        assertThat(properties.get("items").get(0).get("qty").isNumber()).isTrue();
        assertThat(properties.has("event_uid")).isFalse();
        assertThat(properties.has("updated_at")).isFalse();
        assertThat(pos1.get("origin").get("kind").asText()).isEqualTo("warehouse");
        assertThat(pos1.get("origin").get("import").asText()).isEqualTo("pos");
        JsonNode pos2 = byId(events, "pos-2");
        assertThat(pos2.get("profile").get("phone").asText()).isEqualTo("+4915112345678");
        assertThat(pos2.get("profile").has("email")).isFalse();
        assertThat(pos2.get("properties").has("tender_type")).isFalse();
        assertThat(pos2.get("properties").has("items")).isFalse();
        JsonNode sup1 = byId(events, "sup-1");
        assertThat(sup1.has("value")).isFalse();
        assertThat(sup1.has("value_currency")).isFalse();
        assertThat(sup1.has("properties")).isFalse();
        String errors = relay.get("/api/runs/" + run.get("id").asText() + "/errors.csv").body();
        assertThat(errors).contains("event_uid=bad-1", "no profile identifier", "event_uid=bad-2", "contains a period");
        JsonNode listed = listed("pos");
        assertThat(listed.get("kind").asText()).isEqualTo("warehouse");
        assertThat(listed.get("status").asText()).isEqualTo("Completed");
        assertThat(listed.get("newest_data_at").asText()).isEqualTo("2026-11-21T17:00:00Z");
    }

    @Test
    void aSecondRunImportsExactlyTheRowAddedSinceTheFirst() throws Exception {
        String warehouse = newWarehouseUrl();
        load(warehouse);
        posSync("pos", warehouse);
        relay = new RelayUnderTest(config).start();
        relay.runImport("pos");
        awaitOutbox(5);

        insertLaterRow(warehouse);
        JsonNode second = relay.runImport("pos");

        assertThat(second.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(second.get("rows_total").asLong()).isEqualTo(1);
        assertThat(second.get("rows_processed").asLong()).isEqualTo(1);
        List<JsonNode> events = awaitOutbox(6);
        assertThat(ids(events)).hasSize(6).containsOnlyOnceElementsOf(List.of("pos-1", "pos-4"));
        assertThat(byId(events, "pos-4").get("value").decimalValue()).isEqualByComparingTo("20.00");
        JsonNode third = relay.runImport("pos");
        assertThat(third.get("rows_total").asLong()).isZero();
    }

    @Test
    void rowsSharingAChangeTimestampAcrossPageBoundariesAreNeitherLostNorRepeated() throws Exception {
        String warehouse = newWarehouseUrl();
        load(warehouse);
        posSync("pos", warehouse);
        config.put("relay.sync.pos.page-size", "2");
        posSync("pos-no-key", warehouse);
        config.remove("relay.sync.pos-no-key.mapping.unique-id");
        config.put("relay.sync.pos-no-key.page-size", "2");
        relay = new RelayUnderTest(config).start();

        JsonNode keyed = relay.runImport("pos");
        JsonNode unkeyed = relay.runImport("pos-no-key");

        assertThat(keyed.get("rows_total").asLong()).isEqualTo(7);
        assertThat(unkeyed.get("rows_total").asLong()).isEqualTo(7);
        List<JsonNode> events = awaitOutbox(10);
        List<JsonNode> fromKeyed = events.stream()
                .filter(e -> e.get("origin").get("import").asText().equals("pos")).toList();
        List<JsonNode> fromUnkeyed = events.stream()
                .filter(e -> e.get("origin").get("import").asText().equals("pos-no-key")).toList();
        assertThat(ids(fromKeyed)).containsExactlyInAnyOrderElementsOf(GOOD_ROWS);
        assertThat(ids(fromUnkeyed)).hasSize(5).doesNotHaveDuplicates();
        assertThat(relay.runImport("pos").get("rows_total").asLong()).isZero();
        assertThat(relay.runImport("pos-no-key").get("rows_total").asLong()).isZero();
    }

    @Test
    void aRunResumesAfterTheLastCommittedPageEvenInsideAChangeTimestamp() throws Exception {
        String warehouse = newWarehouseUrl();
        load(warehouse);
        posSync("pos", warehouse);
        config.put("relay.sync.pos.page-size", "2");
        relay = new RelayUnderTest(config).start();
        try (Connection c = DriverManager.getConnection(config.get("relay.store.url"),
                config.getOrDefault("relay.store.user", "sa"), config.getOrDefault("relay.store.password", ""));
             PreparedStatement insert = c.prepareStatement("INSERT INTO warehouse_cursor"
                     + " (sync_name, changed_at, row_key, updated_at) VALUES ('pos', ?, 'pos-2', ?)")) {
            insert.setObject(1, OffsetDateTime.parse("2026-11-21T00:00:00Z"));
            insert.setObject(2, OffsetDateTime.now(ZoneOffset.UTC));
            insert.executeUpdate();
        }

        JsonNode run = relay.runImport("pos");

        assertThat(run.get("rows_total").asLong()).isEqualTo(5);
        assertThat(run.get("rows_processed").asLong()).isEqualTo(3);
        assertThat(ids(awaitOutbox(3))).containsExactlyInAnyOrder("pos-3", "sup-1", "sup-2");
    }

    @Test
    void aRunWhileTheWarehouseIsDownFailsWithTheReasonAndTheNextRunCatchesUp() throws Exception {
        String absent = absentWarehouseUrl();
        posSync("pos", absent);
        relay = new RelayUnderTest(config).start();

        JsonNode failed = relay.runImport("pos");

        assertThat(failed.get("processing_status").asText()).isEqualTo("Failed");
        assertThat(failed.get("reason").asText()).isNotBlank();
        assertThat(listed("pos").get("status").asText()).isEqualTo("Error");

        load(createWarehouse(absent));
        JsonNode caughtUp = relay.runImport("pos");

        assertThat(caughtUp.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(caughtUp.get("rows_processed").asLong()).isEqualTo(5);
        assertThat(ids(awaitOutbox(5))).containsExactlyInAnyOrderElementsOf(GOOD_ROWS);
        assertThat(listed("pos").get("status").asText()).isEqualTo("Completed");
    }

    @Test
    void aSyncWithAWrongMappingIsNotStartedAndTheOthersRun() throws Exception {
        String warehouse = newWarehouseUrl();
        load(warehouse);
        posSync("pos", warehouse);
        posSync("same-columns", warehouse);
        config.put("relay.sync.same-columns.mapping.changed-at", "event_ts");
        posSync("no-such-column", warehouse);
        config.put("relay.sync.no-such-column.mapping.customer-id", "customer_number");
        relay = new RelayUnderTest(config).start();

        JsonNode sameColumns = listed("same-columns");
        assertThat(sameColumns.get("status").asText()).isEqualTo("Failed");
        assertThat(sameColumns.get("reason").asText())
                .contains("relay.sync.same-columns.mapping.changed-at must differ from");
        JsonNode noSuchColumn = listed("no-such-column");
        assertThat(noSuchColumn.get("status").asText()).isEqualTo("Failed");
        assertThat(noSuchColumn.get("reason").asText())
                .contains("relay.sync.no-such-column.mapping.customer-id names column 'customer_number'");
        assertThat(relay.post("/api/imports/same-columns/run").statusCode()).isEqualTo(409);
        assertThat(relay.runImport("pos").get("rows_processed").asLong()).isEqualTo(5);
    }
}
