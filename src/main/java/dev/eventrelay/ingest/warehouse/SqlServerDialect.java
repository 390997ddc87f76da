package dev.eventrelay.ingest.warehouse;

/**
 * SQL Server (and Azure SQL / Synapse): {@code [name]} quoting, {@code SELECT TOP (n)}, {@code datetimeoffset} as
 * the timestamp with a time zone ({@code datetime2} and {@code datetime} are read as UTC), {@code bit} as boolean; it
 * has no JSON type (JSON lives in {@code nvarchar}) and no session time zone.
 */
final class SqlServerDialect extends SqlDialect {

    @Override
    public String name() {
        return "sqlserver";
    }

    @Override
    public String quote(String identifier) {
        return "[" + identifier.replace("]", "]]") + "]";
    }

    @Override
    public String select(String columns, String source, String where, String orderBy, int limit) {
        return "SELECT TOP (" + limit + ") " + columns + " FROM " + source + " WHERE " + where + " ORDER BY " + orderBy;
    }

    @Override
    public boolean hasTimeZone(SourceColumns.Column column) {
        return typeName(column).equals("datetimeoffset") || super.hasTimeZone(column);
    }

    @Override
    public boolean isJson(SourceColumns.Column column) {
        return false;
    }
}
