package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.support.MariaDbDatabases;
import dev.eventrelay.support.Slow;
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
 * The page query of the MySQL dialect against MariaDB's optimizer: with an index on (change column, unique id), a
 * page after the cursor is a range read of that index from the cursor on, in the index's order (no filesort), not a
 * scan of the table.
 */
@Slow
class PageQueryPlanOnMariaDbTest {

    private String url;
    private Connection c;

    @BeforeEach
    void createTable() throws Exception {
        url = MariaDbDatabases.create();
        c = DriverManager.getConnection(url, MariaDbDatabases.USER, MariaDbDatabases.PASSWORD);
        try (Statement s = c.createStatement()) {
            s.execute("SET time_zone = '+00:00', max_recursive_iterations = 100000");
            s.execute("CREATE TABLE pos_events (event_uid VARCHAR(64) PRIMARY KEY, updated_at TIMESTAMP(6) NOT NULL,"
                    + " email VARCHAR(80))");
            s.execute("INSERT INTO pos_events WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq"
                    + " WHERE i < 20000) SELECT CONCAT('pos-', i), TIMESTAMP '2026-01-01 00:00:00'"
                    + " + INTERVAL (i DIV 4) SECOND, 'a@example.com' FROM seq");
            s.execute("CREATE INDEX pos_events_changed ON pos_events (updated_at, event_uid)");
            s.execute("ANALYZE TABLE pos_events");
        }
    }

    @AfterEach
    void dropDatabase() throws Exception {
        if (c != null) {
            c.close();
        }
        MariaDbDatabases.drop(url);
    }

    @Test
    void aPageAfterTheCursorIsARangeReadOfTheIndexInItsOrder() throws Exception {
        WarehouseSyncConfig config = WarehouseSyncConfig.read("pos", PropertyReader.of(Map.of(
                "relay.sync.pos.jdbc.url", url,
                "relay.sync.pos.table", "pos_events",
                "relay.sync.pos.mapping.event-date", "updated_at",
                "relay.sync.pos.event-type", "Purchase",
                "relay.sync.pos.mapping.email", "email",
                "relay.sync.pos.mapping.changed-at", "updated_at",
                "relay.sync.pos.mapping.unique-id", "event_uid")));
        assertThat(config.dialect().name()).isEqualTo("mysql");
        PageQuery pages = new PageQuery(config, SourceColumns.read(c, config));
        PageQuery.Position cursor = new PageQuery.Position(OffsetDateTime.parse("2026-01-01T01:00:00Z"), "pos-14400");

        String sql = "EXPLAIN " + pages.sql(cursor, null);
        try (PreparedStatement explain = pages.bind(c.prepareStatement(sql), cursor, null);
             ResultSet plan = explain.executeQuery()) {
            assertThat(plan.next()).isTrue();
            String row = "type=" + plan.getString("type") + " key=" + plan.getString("key") + " rows="
                    + plan.getString("rows") + " Extra=" + plan.getString("Extra");
            assertThat(plan.getString("key")).as(row).isEqualTo("pos_events_changed");
            assertThat(plan.getString("type")).as(row).isEqualTo("range");
            assertThat(plan.getString("Extra")).as(row).doesNotContain("filesort");
            assertThat(plan.next()).isFalse();
        }
    }
}
