package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The JDBC one-liners every store needs. */
final class Sql {

    private Sql() {
    }

    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            return statement.executeUpdate();
        }
    }

    /**
     * Whether {@code e} is a unique constraint's refusal: SQLSTATE 23505 on PostgreSQL, result code
     * SQLITE_CONSTRAINT (19) with "UNIQUE" in its message on SQLite.
     */
    static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState())
                || e.getErrorCode() == 19 && e.getMessage() != null && e.getMessage().contains("UNIQUE");
    }

    /** The number a {@code SELECT COUNT(*) ...} answers. */
    static long count(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            bind(statement, args);
            try (java.sql.ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /**
     * Binds {@code args} in order. A timestamp ({@link OffsetDateTime}) goes to SQLite, which has no timestamp type, as
     * ISO-8601 text in UTC of a fixed width (microseconds, as PostgreSQL keeps), so that text order is time order
     * and {@code <}, {@code ORDER BY} and {@code MAX} compare times as PostgreSQL's timestamptz does.
     */
    static void bind(PreparedStatement statement, Object... args) throws SQLException {
        Boolean sqlite = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof OffsetDateTime time) {
                if (sqlite == null) {
                    sqlite = isSqlite(statement);
                }
                if (sqlite) {
                    statement.setString(i + 1, text(time));
                    continue;
                }
            }
            statement.setObject(i + 1, args[i]);
        }
    }

    /** A time as SQLite's store keeps it: "2026-12-02T16:55:30.179254Z". */
    static String text(OffsetDateTime time) {
        return SQLITE_TIME.format(time.withOffsetSameInstant(ZoneOffset.UTC));
    }

    private static final DateTimeFormatter SQLITE_TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSX");

    private static boolean isSqlite(PreparedStatement statement) throws SQLException {
        return statement.getConnection().getMetaData().getURL().startsWith("jdbc:sqlite:");
    }
}
