package dev.eventrelay.ingest.warehouse;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;

/**
 * What a sync says differently per database family: identifier quoting, how a page is limited, the session set-up
 * (the session time zone, UTC), which columns hold a time zone, JSON or booleans, and how change timestamps are read
 * and bound. This base class is the ANSI SQL fallback ({@code "name"}, {@code FETCH FIRST n ROWS ONLY}); each family
 * overrides what it says otherwise. Timestamps without a time zone are read and bound as UTC.
 */
public abstract class SqlDialect {

    /** The dialect's name, as {@code relay.sync.<name>.dialect} takes it. */
    public abstract String name();

    /** A quoted identifier (a column name as the database's metadata spells it). */
    public String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code SELECT columns FROM source WHERE where ORDER BY orderBy}, limited to the first {@code limit} rows. */
    public String select(String columns, String source, String where, String orderBy, int limit) {
        return "SELECT " + columns + " FROM " + source + " WHERE " + where + " ORDER BY " + orderBy + " "
                + limit(limit);
    }

    /** The clause after ORDER BY that keeps the first {@code rows} rows. */
    protected String limit(int rows) {
        return "FETCH FIRST " + rows + " ROWS ONLY";
    }

    /** SQL run on every new warehouse connection (the session time zone), or null. */
    public String sessionSql() {
        return null;
    }

    /** Whether the pool marks its connections read-only (JDBC {@code setReadOnly}). */
    public boolean readOnlyConnections() {
        return true;
    }

    /** How long the pool keeps an idle connection open (Hikari's idle timeout, at least 10 s). */
    public long idleTimeoutMillis() {
        return 600_000;
    }

    /** Whether the column is a timestamp with a time zone (an instant); other timestamps are read as UTC. */
    public boolean hasTimeZone(SourceColumns.Column column) {
        String type = typeName(column);
        return column.sqlType() == Types.TIMESTAMP_WITH_TIMEZONE || type.equals("timestamptz")
                || type.contains("with time zone");
    }

    /** Whether the column holds JSON text that becomes a JSON value of the event's properties. */
    public boolean isJson(SourceColumns.Column column) {
        String type = typeName(column);
        return type.equals("json") || type.equals("jsonb");
    }

    /** Whether the column is a boolean. */
    public boolean isBoolean(SourceColumns.Column column) {
        return column.sqlType() == Types.BOOLEAN || column.sqlType() == Types.BIT;
    }

    /** The column's timestamp as an instant (a timestamp without a zone is taken as UTC); null when NULL. */
    public Instant readTimestamp(ResultSet row, SourceColumns.Column column) throws SQLException {
        if (hasTimeZone(column)) {
            OffsetDateTime time = row.getObject(column.index(), OffsetDateTime.class);
            return time == null ? null : time.toInstant();
        }
        LocalDateTime time = row.getObject(column.index(), LocalDateTime.class);
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }

    /** Binds {@code time} as a value of the column's type: with an offset (UTC) or as a UTC local date-time. */
    public void bindTimestamp(PreparedStatement statement, int index, Instant time, SourceColumns.Column column)
            throws SQLException {
        if (hasTimeZone(column)) {
            statement.setObject(index, time.atOffset(ZoneOffset.UTC));
        } else {
            statement.setObject(index, LocalDateTime.ofInstant(time, ZoneOffset.UTC));
        }
    }

    @Override
    public String toString() {
        return name();
    }

    protected static String typeName(SourceColumns.Column column) {
        return column.typeName() == null ? "" : column.typeName().toLowerCase(Locale.ROOT);
    }

    /** The ANSI SQL fallback, for databases no family here knows (and H2). */
    static final class Ansi extends SqlDialect {
        @Override
        public String name() {
            return "ansi";
        }
    }
}
