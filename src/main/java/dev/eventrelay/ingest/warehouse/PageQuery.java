package dev.eventrelay.ingest.warehouse;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * The SQL of one page of a sync, keyset-paginated on (change timestamp, row key) so that rows sharing a
 * timestamp across a page boundary are neither lost nor repeated:
 * {@code WHERE changed >= ? AND (changed > ? OR (changed = ? AND key > ?)) ORDER BY changed, key LIMIT n}.
 * The leading {@code changed >= ?} is redundant for the result but lets an index on (changed, key) start
 * at the cursor: without it the OR is only a filter, and every page scans the index from its first row,
 * which makes a sync of a large table quadratic (PostgreSQL 15: 1.5 s per page halfway through a million
 * rows, against 3 ms with it). Without a
 * unique id a page holds whole change timestamps instead: every row up to the n-th row's timestamp.
 * The first page starts at {@code start-at} (inclusive) or at the oldest row. Quoting, the limit and how timestamps
 * are bound come from the sync's {@link SqlDialect}; the predicate above is plain SQL every family runs (SQL
 * Server and older MySQL have no row-value comparison).
 */
public final class PageQuery {

    private final SqlDialect dialect;
    private final String source;
    private final SourceColumns.Column changedColumn;
    private final String changed;
    private final String key;
    private final int keyType;
    private final int pageSize;

    public PageQuery(WarehouseSyncConfig config, SourceColumns columns) {
        this.dialect = config.dialect();
        this.source = source(config);
        this.changedColumn = columns.find(config.column(WarehouseSyncConfig.CHANGED_AT)).orElseThrow();
        this.changed = dialect.quote(changedColumn.name());
        SourceColumns.Column unique = columns.find(config.column(WarehouseSyncConfig.UNIQUE_ID)).orElse(null);
        this.key = unique == null ? null : dialect.quote(unique.name());
        this.keyType = unique == null ? Types.VARCHAR : unique.sqlType();
        this.pageSize = config.pageSize();
    }

    /** The table, or the query wrapped as a derived table. */
    static String source(WarehouseSyncConfig config) {
        return config.table() != null ? config.table() : "(" + config.query() + ") relay_source";
    }

    public boolean hasKey() {
        return key != null;
    }

    /** The SQL of the page after {@code from}; {@code from} null means the first page. */
    public String sql(Position from, OffsetDateTime startAt) {
        String after;
        if (from != null) {
            after = key != null && from.rowKey() != null
                    ? changed + " >= ? AND (" + changed + " > ? OR (" + changed + " = ? AND " + key + " > ?))"
                    : changed + " > ?";
        } else {
            after = startAt != null ? changed + " >= ?" : changed + " IS NOT NULL";
        }
        if (key != null) {
            return dialect.select("*", source, after, changed + ", " + key, pageSize);
        }
        return "SELECT * FROM " + source + " WHERE " + after + " AND " + changed + " <= (SELECT MAX(" + changed
                + ") FROM (" + dialect.select(changed, source, after, changed, pageSize) + ") relay_page) ORDER BY "
                + changed;
    }

    /** Prepares and binds the page after {@code from} on the warehouse connection. */
    public PreparedStatement prepare(Connection c, Position from, OffsetDateTime startAt) throws SQLException {
        PreparedStatement statement = bind(c.prepareStatement(sql(from, startAt)), from, startAt);
        statement.setFetchSize(Math.min(pageSize, 1000));
        return statement;
    }

    /** Binds the parameters of {@link #sql(Position, OffsetDateTime)} on {@code statement} (it may wrap that SQL). */
    PreparedStatement bind(PreparedStatement statement, Position from, OffsetDateTime startAt) throws SQLException {
        int i = 1;
        int times = key != null ? 1 : 2;
        for (int t = 0; t < times; t++) {
            if (from != null) {
                bindTime(statement, i++, from.changedAt());
                if (key != null && from.rowKey() != null) {
                    bindTime(statement, i++, from.changedAt());
                    bindTime(statement, i++, from.changedAt());
                    bindKey(statement, i++, from.rowKey());
                }
            } else if (startAt != null) {
                bindTime(statement, i++, startAt);
            }
        }
        return statement;
    }

    /** Whether a page that returned {@code rows} rows may be followed by another. */
    public boolean mayHaveMore(int rows) {
        return rows >= pageSize;
    }

    private void bindTime(PreparedStatement statement, int index, OffsetDateTime time) throws SQLException {
        dialect.bindTimestamp(statement, index, time.toInstant(), changedColumn);
    }

    /** Where the row just read ends a page: its change timestamp (UTC) and its key. */
    Position positionOf(ResultSet row, SourceColumns.Column unique) throws SQLException {
        Instant changedAt = dialect.readTimestamp(row, changedColumn);
        return new Position(changedAt == null ? null : changedAt.atOffset(ZoneOffset.UTC),
                unique == null ? null : row.getString(unique.index()));
    }

    private void bindKey(PreparedStatement statement, int index, String rowKey) throws SQLException {
        switch (keyType) {
            case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT, Types.NUMERIC, Types.DECIMAL ->
                    statement.setBigDecimal(index, new BigDecimal(rowKey));
            default -> statement.setString(index, rowKey);
        }
    }

    /** Where a page ends: the last row's change timestamp and key (null when paging on whole timestamps). */
    public record Position(OffsetDateTime changedAt, String rowKey) {
    }
}
