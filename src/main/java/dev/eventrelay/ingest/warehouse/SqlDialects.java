package dev.eventrelay.ingest.warehouse;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The dialects by name ({@code relay.sync.<name>.dialect}) and the one a JDBC URL implies: PostgreSQL, Redshift,
 * MySQL/MariaDB, SQL Server, Snowflake, DuckDB, and the ANSI fallback for every other URL (H2 among them).
 */
public final class SqlDialects {

    public static final SqlDialect ANSI = new SqlDialect.Ansi();

    private static final Map<String, SqlDialect> BY_NAME = new LinkedHashMap<>();
    /** URL prefixes and their dialect; the first that matches wins. */
    private static final Map<String, String> BY_URL_PREFIX = new LinkedHashMap<>();

    static {
        SqlDialect mysql = new MysqlDialect();
        for (SqlDialect dialect : new SqlDialect[] {new PostgresDialect("postgresql"), new PostgresDialect("redshift"),
                mysql, new SqlServerDialect(), new SnowflakeDialect(), new DuckDbDialect(), ANSI}) {
            BY_NAME.put(dialect.name(), dialect);
        }
        BY_NAME.put("mariadb", mysql);
        BY_URL_PREFIX.put("jdbc:postgresql:", "postgresql");
        BY_URL_PREFIX.put("jdbc:redshift:", "redshift");
        BY_URL_PREFIX.put("jdbc:mysql:", "mysql");
        BY_URL_PREFIX.put("jdbc:mariadb:", "mysql");
        BY_URL_PREFIX.put("jdbc:sqlserver:", "sqlserver");
        BY_URL_PREFIX.put("jdbc:snowflake:", "snowflake");
        BY_URL_PREFIX.put("jdbc:duckdb:", "duckdb");
    }

    private SqlDialects() {
    }

    /** The dialect named {@code name} (case-insensitive), if there is one. */
    public static Optional<SqlDialect> named(String name) {
        return Optional.ofNullable(BY_NAME.get(name.trim().toLowerCase(Locale.ROOT)));
    }

    /** The dialect a JDBC URL implies; ANSI for a URL of no known family (and for null). */
    public static SqlDialect forUrl(String url) {
        String lower = url == null ? "" : url.toLowerCase(Locale.ROOT);
        return BY_URL_PREFIX.entrySet().stream().filter(prefix -> lower.startsWith(prefix.getKey()))
                .map(prefix -> BY_NAME.get(prefix.getValue())).findFirst().orElse(ANSI);
    }

    /** The names {@code relay.sync.<name>.dialect} takes, for messages and docs. */
    public static String names() {
        return String.join(", ", BY_NAME.keySet());
    }
}
