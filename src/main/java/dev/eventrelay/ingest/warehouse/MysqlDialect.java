package dev.eventrelay.ingest.warehouse;

import java.sql.Types;

/**
 * MySQL and MariaDB: {@code `name`} quoting, {@code LIMIT n}, the session time zone {@code +00:00} (a TIMESTAMP
 * column is stored in UTC and shown in the session's zone; DATETIME has none and is read as UTC), {@code JSON}
 * columns (MariaDB's JSON is LONGTEXT with a JSON check, which its driver reports as {@code JSON}), and
 * {@code BOOLEAN} = {@code TINYINT(1)}, which MariaDB's driver reports as BOOLEAN (MySQL's as BIT named TINYINT);
 * a {@code BIT(n)} column is bits, not a boolean.
 */
final class MysqlDialect extends SqlDialect {

    @Override
    public String name() {
        return "mysql";
    }

    @Override
    public String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    protected String limit(int rows) {
        return "LIMIT " + rows;
    }

    @Override
    public String sessionSql() {
        return "SET time_zone = '+00:00'";
    }

    @Override
    public boolean hasTimeZone(SourceColumns.Column column) {
        return false;
    }

    @Override
    public boolean isBoolean(SourceColumns.Column column) {
        return column.sqlType() == Types.BOOLEAN
                || column.sqlType() == Types.BIT && !typeName(column).equals("bit");
    }
}
