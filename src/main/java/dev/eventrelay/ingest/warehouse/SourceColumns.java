package dev.eventrelay.ingest.warehouse;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The columns a sync's table, view or query yields, as the warehouse describes them (name, JDBC type,
 * database type name), read from the metadata of a query that returns no row. Names are matched
 * case-insensitively, as unquoted SQL names are.
 */
public final class SourceColumns {

    /** One column: its 1-based position, its name as the database spells it, its JDBC and database types. */
    public record Column(int index, String name, int sqlType, String typeName) {
    }

    private final List<Column> columns;

    public SourceColumns(List<Column> columns) {
        this.columns = List.copyOf(columns);
    }

    /** Describes the columns of {@code config}'s source on the warehouse connection {@code c}. */
    public static SourceColumns read(Connection c, WarehouseSyncConfig config) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT * FROM " + PageQuery.source(config) + " WHERE 1 = 0");
             ResultSet rows = query.executeQuery()) {
            return of(rows.getMetaData());
        }
    }

    public static SourceColumns of(ResultSetMetaData meta) throws SQLException {
        List<Column> columns = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(new Column(i, meta.getColumnLabel(i), meta.getColumnType(i), meta.getColumnTypeName(i)));
        }
        return new SourceColumns(columns);
    }

    public List<Column> all() {
        return columns;
    }

    public Optional<Column> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        for (Column column : columns) {
            if (column.name().equals(name)) {
                return Optional.of(column);
            }
        }
        return columns.stream().filter(column -> column.name().equalsIgnoreCase(name)).findFirst();
    }

    public List<String> names() {
        return columns.stream().map(Column::name).toList();
    }
}
