package dev.eventrelay.ingest.warehouse;

/**
 * Snowflake: {@code LIMIT n}, the session time zone UTC (so TIMESTAMP_LTZ reads as UTC), TIMESTAMP_TZ as the
 * timestamp with a time zone, and the semi-structured VARIANT, OBJECT and ARRAY columns (JSON text over JDBC) as JSON.
 */
final class SnowflakeDialect extends SqlDialect {

    @Override
    public String name() {
        return "snowflake";
    }

    @Override
    protected String limit(int rows) {
        return "LIMIT " + rows;
    }

    @Override
    public String sessionSql() {
        return "ALTER SESSION SET TIMEZONE = 'UTC'";
    }

    @Override
    public boolean hasTimeZone(SourceColumns.Column column) {
        return typeName(column).equals("timestamptz") || typeName(column).equals("timestamp_tz")
                || super.hasTimeZone(column);
    }

    @Override
    public boolean isJson(SourceColumns.Column column) {
        String type = typeName(column);
        return type.equals("variant") || type.equals("object") || type.equals("array");
    }
}
