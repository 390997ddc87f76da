package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.mapping.RowOutcome;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.EventJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Warehouse rows to events, on an in-memory H2 table with the column types a warehouse has. */
class WarehouseRowMapperTest {

    private static final String KEY = "relay.sync.crm.";
    private static final Instant RECEIVED = Instant.parse("2026-11-23T02:00:00Z");

    private Connection c;

    @BeforeEach
    void createTable() throws Exception {
        c = DriverManager.getConnection("jdbc:h2:mem:mapper;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE crm_events (id BIGINT, kind VARCHAR(80), happened TIMESTAMP WITH TIME ZONE,
                      changed TIMESTAMP, email VARCHAR(80), customer BIGINT, amount NUMERIC(10,2), qty INTEGER,
                      vip BOOLEAN, birthday DATE, seen_at TIMESTAMP WITH TIME ZONE, address___city VARCHAR(40),
                      address___geo___lat DOUBLE PRECISION, extra JSON)""");
            s.execute("""
                    INSERT INTO crm_events VALUES
                     (1, 'Signed Up', '2026-11-20 10:00:00+02', '2026-11-21 00:00:00', 'ann@example.com', 42, 9.50, 3,
                      TRUE, '1990-05-01', '2026-11-20 09:00:00+00', 'Berlin', 52.5, '{"tags":["a","b"],"n":1.5}' FORMAT JSON),
                     (2, 'Signed Up', '2026-11-20 11:00:00+00', '2026-11-21 00:00:00', NULL, 7, NULL, NULL,
                      NULL, NULL, NULL, NULL, NULL, NULL),
                     (3, '12345', '2026-11-20 11:00:00+00', '2026-11-21 00:00:00', 'bob@example.com', NULL, NULL, NULL,
                      NULL, NULL, NULL, NULL, NULL, NULL)""");
        }
    }

    @AfterEach
    void dropTable() throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE crm_events");
        }
        c.close();
    }

    private List<RowOutcome> mapAll(Map<String, String> extra) throws Exception {
        Map<String, String> keys = new HashMap<>();
        keys.put(KEY + "jdbc.url", "jdbc:h2:mem:mapper");
        keys.put(KEY + "table", "crm_events");
        keys.put(KEY + "mapping.event-date", "happened");
        keys.put(KEY + "mapping.event-type", "kind");
        keys.put(KEY + "mapping.email", "email");
        keys.put(KEY + "mapping.customer-id", "customer");
        keys.put(KEY + "mapping.changed-at", "changed");
        keys.put(KEY + "mapping.value", "amount");
        keys.putAll(extra);
        WarehouseSyncConfig config = WarehouseSyncConfig.read("crm", PropertyReader.of(keys));
        SourceColumns columns = SourceColumns.read(c, config);
        WarehouseRowMapper mapper = new WarehouseRowMapper(config, columns, "run-1");
        List<RowOutcome> outcomes = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("SELECT * FROM crm_events ORDER BY id");
             ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                outcomes.add(mapper.map(rows, RECEIVED));
            }
        }
        return outcomes;
    }

    @Test
    void unmappedColumnsBecomeTypedNestedPropertiesAndNullsAreLeftOut() throws Exception {
        Event event = mapAll(Map.of()).get(0).event();

        assertThat(event.eventType()).isEqualTo("Signed Up");
        assertThat(event.eventDate()).isEqualTo(Instant.parse("2026-11-20T08:00:00Z"));
        assertThat(event.profile()).containsExactly(Map.entry("email", "ann@example.com"), Map.entry("customer_id", "42"));
        assertThat(event.value()).isEqualByComparingTo("9.50");
        assertThat(event.origin().kind()).isEqualTo("warehouse");
        String json = EventJson.write(event);
        assertThat(json).contains("\"properties\":{\"id\":1,\"qty\":3,\"vip\":true,\"birthday\":\"1990-05-01\","
                + "\"seen_at\":\"2026-11-20T09:00:00Z\",\"address\":{\"city\":\"Berlin\",\"geo\":{\"lat\":52.5}},"
                + "\"extra\":{\"tags\":[\"a\",\"b\"],\"n\":1.5}}");
    }

    @Test
    void aRowOfNullsKeepsOnlyItsPresentValues() throws Exception {
        Event event = mapAll(Map.of()).get(1).event();

        assertThat(event.properties()).containsOnlyKeys("id");
        assertThat(event.value()).isNull();
        assertThat(event.profile()).containsExactly(Map.entry("customer_id", "7"));
    }

    @Test
    void theEventIdIsTheUniqueIdWhenMappedElseStableAndNameBased() throws Exception {
        List<RowOutcome> keyed = mapAll(Map.of(KEY + "mapping.unique-id", "id"));
        List<RowOutcome> first = mapAll(Map.of());
        List<RowOutcome> again = mapAll(Map.of());

        assertThat(keyed.get(0).event().eventId()).isEqualTo("1");
        assertThat(keyed.get(0).event().properties()).doesNotContainKey("id");
        assertThat(first.get(0).event().eventId()).hasSize(36).isEqualTo(again.get(0).event().eventId())
                .isNotEqualTo(first.get(1).event().eventId());
    }

    @Test
    void rowRulesRejectAPurelyNumericEventType() throws Exception {
        RowOutcome third = mapAll(Map.of()).get(2);

        assertThat(third.isAccepted()).isFalse();
        assertThat(third.rejection()).isEqualTo("event type '12345' is purely numeric");
    }

    @Test
    void aConstantEventTypeAppliesToEveryRow() throws Exception {
        Map<String, String> constant = new HashMap<>();
        constant.put(KEY + "mapping.event-type", "");
        constant.put(KEY + "event-type", "Lead");

        List<RowOutcome> outcomes = mapAll(constant);

        assertThat(outcomes).allSatisfy(o -> assertThat(o.event().eventType()).isEqualTo("Lead"));
        assertThat(outcomes.get(0).event().properties()).containsEntry("kind", "Signed Up");
        assertThat(outcomes.get(0).event().value()).isInstanceOf(BigDecimal.class);
    }
}
