package dev.eventrelay.ingest.warehouse;

/**
 * DuckDB files: {@code LIMIT n}, {@code TIMESTAMP WITH TIME ZONE} as the timestamp with a time zone, {@code JSON}
 * columns. DuckDB cannot change a connection's read-only flag, so the pool leaves it alone (the sync only reads);
 * a file is opened read-write unless the URL says {@code duckdb.read_only=true}. DuckDB lets one process write a
 * file or several read it, so the pool closes idle connections soon (10 s, then Hikari's next housekeeping pass):
 * between runs the file is free for the process that writes it.
 */
final class DuckDbDialect extends SqlDialect {

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    protected String limit(int rows) {
        return "LIMIT " + rows;
    }

    @Override
    public long idleTimeoutMillis() {
        return 10_000;
    }

    @Override
    public boolean readOnlyConnections() {
        return false;
    }
}
