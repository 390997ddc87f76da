package dev.eventrelay.ingest.warehouse;

/**
 * PostgreSQL, and Redshift (PostgreSQL's SQL; its JSON is the {@code super} type): {@code LIMIT n}, the session in
 * UTC, {@code json}/{@code jsonb} (and {@code super}) as JSON.
 */
final class PostgresDialect extends SqlDialect {

    private final String name;

    PostgresDialect(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected String limit(int rows) {
        return "LIMIT " + rows;
    }

    @Override
    public String sessionSql() {
        return "SET TIME ZONE 'UTC'";
    }

    @Override
    public boolean isJson(SourceColumns.Column column) {
        return super.isJson(column) || typeName(column).equals("super");
    }
}
