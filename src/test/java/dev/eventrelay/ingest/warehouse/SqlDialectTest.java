package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.settings.PropertyReader;
import org.junit.jupiter.api.Test;

import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each dialect's SQL: the page after the cursor (keyed and on whole timestamps), quoting, the limit, the session
 * set-up, which column types hold a time zone, JSON or booleans, and which dialect a URL or the key chooses.
 * PostgreSQL, MariaDB, DuckDB and H2 (ANSI) also run it live in the flow tests; Snowflake, Redshift and SQL Server
 * only here.
 */
class SqlDialectTest {

    private static final SourceColumns COLUMNS = new SourceColumns(List.of(
            new SourceColumns.Column(1, "event_uid", Types.VARCHAR, "varchar"),
            new SourceColumns.Column(2, "updated_at", Types.TIMESTAMP, "timestamp")));
    private static final PageQuery.Position AFTER =
            new PageQuery.Position(OffsetDateTime.parse("2026-11-21T00:00:00Z"), "pos-2");

    private static WarehouseSyncConfig config(String url, String dialect, boolean key) {
        Map<String, String> keys = new HashMap<>();
        keys.put("relay.sync.pos.jdbc.url", url);
        if (dialect != null) {
            keys.put("relay.sync.pos.dialect", dialect);
        }
        keys.put("relay.sync.pos.table", "sales.pos_events");
        keys.put("relay.sync.pos.page-size", "500");
        keys.put("relay.sync.pos.mapping.changed-at", "updated_at");
        if (key) {
            keys.put("relay.sync.pos.mapping.unique-id", "event_uid");
        }
        return WarehouseSyncConfig.read("pos", PropertyReader.of(keys));
    }

    private static String page(String url, boolean key) {
        PageQuery query = new PageQuery(config(url, null, key), COLUMNS);
        return query.sql(key ? AFTER : new PageQuery.Position(AFTER.changedAt(), null), null);
    }

    @Test
    void postgresqlAndRedshiftQuoteWithDoubleQuotesAndLimit() {
        String expected = "SELECT * FROM sales.pos_events WHERE \"updated_at\" >= ? AND (\"updated_at\" > ? OR"
                + " (\"updated_at\" = ? AND \"event_uid\" > ?)) ORDER BY \"updated_at\", \"event_uid\" LIMIT 500";
        assertThat(page("jdbc:postgresql://db:5432/shop", true)).isEqualTo(expected);
        assertThat(page("jdbc:redshift://cluster.example.com:5439/dev", true)).isEqualTo(expected);
        assertThat(SqlDialects.forUrl("jdbc:redshift://x/y").name()).isEqualTo("redshift");
        assertThat(SqlDialects.forUrl("jdbc:postgresql://x/y").sessionSql()).isEqualTo("SET TIME ZONE 'UTC'");
    }

    @Test
    void mysqlAndMariaDbQuoteWithBackticksLimitAndSetTheSessionToUtc() {
        String expected = "SELECT * FROM sales.pos_events WHERE `updated_at` >= ? AND (`updated_at` > ? OR"
                + " (`updated_at` = ? AND `event_uid` > ?)) ORDER BY `updated_at`, `event_uid` LIMIT 500";
        assertThat(page("jdbc:mariadb://db:3306/shop", true)).isEqualTo(expected);
        assertThat(page("jdbc:mysql://db:3306/shop", true)).isEqualTo(expected);
        assertThat(page("jdbc:mysql://db:3306/shop", false)).isEqualTo("SELECT * FROM sales.pos_events WHERE"
                + " `updated_at` > ? AND `updated_at` <= (SELECT MAX(`updated_at`) FROM (SELECT `updated_at` FROM"
                + " sales.pos_events WHERE `updated_at` > ? ORDER BY `updated_at` LIMIT 500) relay_page) ORDER BY"
                + " `updated_at`");
        SqlDialect mysql = SqlDialects.forUrl("jdbc:mariadb://db/shop");
        assertThat(mysql.sessionSql()).isEqualTo("SET time_zone = '+00:00'");
        assertThat(mysql.quote("odd`name")).isEqualTo("`odd``name`");
        assertThat(mysql.isBoolean(new SourceColumns.Column(1, "vip", Types.BOOLEAN, "BOOLEAN"))).isTrue();
        assertThat(mysql.isBoolean(new SourceColumns.Column(1, "flags", Types.BIT, "BIT"))).isFalse();
        assertThat(mysql.isJson(new SourceColumns.Column(1, "items", Types.LONGVARCHAR, "JSON"))).isTrue();
        assertThat(mysql.hasTimeZone(new SourceColumns.Column(1, "t", Types.TIMESTAMP, "TIMESTAMP"))).isFalse();
    }

    @Test
    void sqlServerQuotesWithBracketsAndTakesTheTopRows() {
        assertThat(page("jdbc:sqlserver://db:1433;databaseName=shop", true)).isEqualTo("SELECT TOP (500) * FROM"
                + " sales.pos_events WHERE [updated_at] >= ? AND ([updated_at] > ? OR ([updated_at] = ? AND"
                + " [event_uid] > ?)) ORDER BY [updated_at], [event_uid]");
        assertThat(page("jdbc:sqlserver://db:1433;databaseName=shop", false)).isEqualTo("SELECT * FROM"
                + " sales.pos_events WHERE [updated_at] > ? AND [updated_at] <= (SELECT MAX([updated_at]) FROM (SELECT"
                + " TOP (500) [updated_at] FROM sales.pos_events WHERE [updated_at] > ? ORDER BY [updated_at])"
                + " relay_page) ORDER BY [updated_at]");
        SqlDialect sqlServer = SqlDialects.forUrl("jdbc:sqlserver://db:1433");
        assertThat(sqlServer.quote("odd]name")).isEqualTo("[odd]]name]");
        assertThat(sqlServer.sessionSql()).isNull();
        assertThat(sqlServer.hasTimeZone(new SourceColumns.Column(1, "t", -155, "datetimeoffset"))).isTrue();
        assertThat(sqlServer.hasTimeZone(new SourceColumns.Column(1, "t", Types.TIMESTAMP, "datetime2"))).isFalse();
        assertThat(sqlServer.isBoolean(new SourceColumns.Column(1, "vip", Types.BIT, "bit"))).isTrue();
    }

    @Test
    void snowflakeLimitsSetsTheSessionToUtcAndReadsVariantsAsJson() {
        assertThat(page("jdbc:snowflake://acme.snowflakecomputing.com/?db=SHOP", true)).isEqualTo("SELECT * FROM"
                + " sales.pos_events WHERE \"updated_at\" >= ? AND (\"updated_at\" > ? OR (\"updated_at\" = ? AND"
                + " \"event_uid\" > ?)) ORDER BY \"updated_at\", \"event_uid\" LIMIT 500");
        SqlDialect snowflake = SqlDialects.forUrl("jdbc:snowflake://acme.snowflakecomputing.com/");
        assertThat(snowflake.sessionSql()).isEqualTo("ALTER SESSION SET TIMEZONE = 'UTC'");
        assertThat(snowflake.isJson(new SourceColumns.Column(1, "items", Types.VARCHAR, "VARIANT"))).isTrue();
        assertThat(snowflake.isJson(new SourceColumns.Column(1, "tags", Types.VARCHAR, "ARRAY"))).isTrue();
        assertThat(snowflake.hasTimeZone(new SourceColumns.Column(1, "t", Types.TIMESTAMP_WITH_TIMEZONE,
                "TIMESTAMPTZ"))).isTrue();
        assertThat(snowflake.hasTimeZone(new SourceColumns.Column(1, "t", Types.TIMESTAMP, "TIMESTAMPNTZ"))).isFalse();
    }

    @Test
    void duckDbLimitsLeavesTheConnectionsReadOnlyFlagAloneAndFreesTheFileSoon() {
        assertThat(page("jdbc:duckdb:/data/shop.duckdb", true)).endsWith("ORDER BY \"updated_at\", \"event_uid\""
                + " LIMIT 500");
        SqlDialect duckdb = SqlDialects.forUrl("jdbc:duckdb:/data/shop.duckdb");
        assertThat(duckdb.readOnlyConnections()).isFalse();
        assertThat(duckdb.idleTimeoutMillis()).isLessThan(SqlDialects.ANSI.idleTimeoutMillis());
        assertThat(duckdb.isJson(new SourceColumns.Column(1, "items", Types.OTHER, "JSON"))).isTrue();
    }

    @Test
    void anyOtherUrlGetsAnsiSqlWithFetchFirst() {
        assertThat(page("jdbc:h2:file:./warehouse", true)).isEqualTo("SELECT * FROM sales.pos_events WHERE"
                + " \"updated_at\" >= ? AND (\"updated_at\" > ? OR (\"updated_at\" = ? AND \"event_uid\" > ?))"
                + " ORDER BY \"updated_at\", \"event_uid\" FETCH FIRST 500 ROWS ONLY");
        assertThat(SqlDialects.forUrl("jdbc:trino://db:8080/hive").name()).isEqualTo("ansi");
        assertThat(SqlDialects.ANSI.readOnlyConnections()).isTrue();
        assertThat(SqlDialects.ANSI.sessionSql()).isNull();
    }

    @Test
    void theDialectKeyOverridesTheUrlAndAnUnknownNameIsAProblemNamingTheKey() {
        assertThat(config("jdbc:trino://db:8080/hive", "MariaDB", true).dialect().name()).isEqualTo("mysql");
        assertThat(config("jdbc:databricks://host:443", "ansi", true).dialect().name()).isEqualTo("ansi");

        Map<String, String> keys = new HashMap<>();
        keys.put("relay.sync.pos.jdbc.url", "jdbc:postgresql://db/shop");
        keys.put("relay.sync.pos.dialect", "oracle");
        PropertyReader p = PropertyReader.of(keys);
        WarehouseSyncConfig config = WarehouseSyncConfig.read("pos", p);

        assertThat(config.dialect().name()).isEqualTo("postgresql");
        assertThat(p.problems()).anySatisfy(problem -> assertThat(problem)
                .contains("relay.sync.pos.dialect", "'oracle' is not a dialect", "sqlserver", "snowflake"));
    }
}
