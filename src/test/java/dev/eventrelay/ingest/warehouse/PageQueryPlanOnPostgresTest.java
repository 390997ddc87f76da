package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.support.Slow;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The page query against PostgreSQL's planner: with an index on (change column, unique id), a page after
 * the cursor must start its index scan at the cursor (an index condition), not read the index from its
 * first row and filter (which makes a sync of a large table quadratic).
 */
@Slow
class PageQueryPlanOnPostgresTest {

    private String url;
    private Connection c;

    @BeforeEach
    void createTable() throws Exception {
        url = StoreDatabases.newPostgres();
        c = DriverManager.getConnection(url, StoreDatabases.POSTGRES_USER, StoreDatabases.POSTGRES_PASSWORD);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pos_events (event_uid text PRIMARY KEY, updated_at timestamptz NOT NULL,"
                    + " email text)");
            s.execute("INSERT INTO pos_events SELECT 'pos-' || i, timestamptz '2026-01-01 00:00:00+00'"
                    + " + (i / 4) * interval '1 second', 'a@example.com' FROM generate_series(1, 20000) AS i");
            s.execute("CREATE INDEX pos_events_changed ON pos_events (updated_at, event_uid)");
            s.execute("ANALYZE pos_events");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (c != null) {
            c.close();
        }
        StoreDatabases.dropPostgres(url);
    }

    @Test
    void aPageAfterTheCursorStartsTheIndexScanAtTheCursor() throws Exception {
        WarehouseSyncConfig config = WarehouseSyncConfig.read("pos", PropertyReader.of(Map.of(
                "relay.sync.pos.jdbc.url", url,
                "relay.sync.pos.table", "pos_events",
                "relay.sync.pos.mapping.event-date", "updated_at",
                "relay.sync.pos.event-type", "Purchase",
                "relay.sync.pos.mapping.email", "email",
                "relay.sync.pos.mapping.changed-at", "updated_at",
                "relay.sync.pos.mapping.unique-id", "event_uid")));
        PageQuery pages = new PageQuery(config, SourceColumns.read(c, config));
        PageQuery.Position cursor = new PageQuery.Position(OffsetDateTime.parse("2026-01-01T01:00:00Z"), "pos-14400");

        StringBuilder plan = new StringBuilder();
        String sql = "EXPLAIN " + pages.sql(cursor, null);
        try (PreparedStatement explain = pages.bind(c.prepareStatement(sql), cursor, null);
             ResultSet rows = explain.executeQuery()) {
            while (rows.next()) {
                plan.append(rows.getString(1)).append('\n');
            }
        }

        assertThat(plan).contains("Index Scan using pos_events_changed").contains("Index Cond: (updated_at >=");
    }
}
