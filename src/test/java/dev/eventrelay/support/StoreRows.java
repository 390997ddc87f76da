package dev.eventrelay.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the state store of a running service from a test, over its own JDBC connection (H2 shares one database
 * between the connections of a JVM; PostgreSQL is a server): row counts, a column's values, and whether every hook
 * has read to the end of the event log.
 */
public final class StoreRows {

    private final String url;
    private final String user;
    private final String password;

    /** The store of {@code config} ({@code relay.store.url}, {@code .user}, {@code .password}). */
    public StoreRows(Map<String, String> config) {
        this.url = config.get("relay.store.url");
        this.user = config.getOrDefault("relay.store.user", "sa");
        this.password = config.getOrDefault("relay.store.password", "");
    }

    /** The first column of every row {@code sql} answers, as text. */
    public List<String> column(String sql, Object... args) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
             PreparedStatement query = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                query.setObject(i + 1, args[i]);
            }
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    /** The number a {@code SELECT COUNT(*) …} answers. */
    public long count(String sql, Object... args) throws SQLException {
        return Long.parseLong(column(sql, args).get(0));
    }

    /** Rows in {@code table}. */
    public long rows(String table) throws SQLException {
        return count("SELECT COUNT(*) FROM " + table);
    }

    /**
     * Whether each of {@code hooks} has read the whole event log and retries nothing: its cursor is at the last event
     * of the last published segment and no batch is pending. Then nothing more can come from those hooks
     * until a new segment is published.
     */
    public boolean caughtUp(String... hooks) throws SQLException {
        long last = count("SELECT COALESCE(MAX(publish_seq), 0) FROM event_segment");
        long lastEvent = count("SELECT COALESCE(MAX(l.id), 0) FROM event_log l JOIN event_segment s ON s.id = l.segment_id"
                + " WHERE s.publish_seq = ?", last);
        for (String hook : hooks) {
            if (count("SELECT COUNT(*) FROM hook_state WHERE hook = ? AND segment_seq = ? AND event_log_id >= ?"
                    + " AND pending_segment_seq IS NULL", hook, last, lastEvent) != 1) {
                return false;
            }
        }
        return true;
    }
}
