package dev.eventrelay.routes;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/** A warehouse for route tests: an H2 file with a two-row {@code pos_events} table, and the keys of a sync that reads it. */
final class H2Warehouse {

    private H2Warehouse() {
    }

    /** Creates the warehouse under {@code folder} and returns the keys of sync {@code name}, whose schedule never fires. */
    static Map<String, String> sync(String name, Path folder) throws SQLException {
        String url = "jdbc:h2:file:" + folder.resolve("warehouse").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        try (Connection c = DriverManager.getConnection(url, "sa", "");
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE pos_events (event_uid VARCHAR PRIMARY KEY, metric_name VARCHAR,"
                    + " event_ts TIMESTAMP WITH TIME ZONE NOT NULL, updated_at TIMESTAMP WITH TIME ZONE NOT NULL,"
                    + " email VARCHAR, order_total NUMERIC(12,2))");
            s.execute("INSERT INTO pos_events VALUES"
                    + " ('pos-1', 'In-Store Purchase', TIMESTAMP WITH TIME ZONE '2026-11-20 10:00:00+00',"
                    + "  TIMESTAMP WITH TIME ZONE '2026-11-21 00:00:00+00', 'ann@example.com', 59.90),"
                    + " ('pos-2', 'Return', TIMESTAMP WITH TIME ZONE '2026-11-20 12:00:00+00',"
                    + "  TIMESTAMP WITH TIME ZONE '2026-11-21 00:00:00+00', 'bob@example.com', -12.00)");
        }
        String key = "relay.sync." + name + ".";
        Map<String, String> config = new LinkedHashMap<>();
        config.put(key + "jdbc.url", url);
        config.put(key + "jdbc.user", "sa");
        config.put(key + "jdbc.password", "");
        config.put(key + "table", "pos_events");
        config.put(key + "schedule", "0 0 0 1 1 ? 2099");
        config.put(key + "mapping.event-date", "event_ts");
        config.put(key + "mapping.event-type", "metric_name");
        config.put(key + "mapping.email", "email");
        config.put(key + "mapping.changed-at", "updated_at");
        config.put(key + "mapping.unique-id", "event_uid");
        config.put(key + "mapping.value", "order_total");
        return config;
    }
}
