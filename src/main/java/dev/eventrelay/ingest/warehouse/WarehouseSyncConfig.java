package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.settings.CronSchedules;
import dev.eventrelay.settings.JdbcUrls;
import dev.eventrelay.settings.PropertyReader;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One warehouse sync as {@code relay.sync.<name>.*} configures it: where to read (JDBC data source and
 * a table, view or read-only query), when (Quartz cron, default hourly), from when ({@code start-at}),
 * in pages of how many rows, the column mapping, and whether it runs at all ({@code enabled}). Problems are reported on the given
 * {@link PropertyReader}, each naming its key.
 *
 * @param mapping the mapped columns by role key ({@link #ROLES}), only those that are set
 * @param dialect the SQL of the warehouse's family: {@code relay.sync.<name>.dialect}, else what the URL implies
 */
public record WarehouseSyncConfig(String name, String jdbcUrl, String jdbcUser, String jdbcPassword, int poolSize,
                                  String table, String query, String schedule, OffsetDateTime startAt, int pageSize,
                                  String eventTypeConstant, Map<String, String> mapping, boolean enabled,
                                  SqlDialect dialect) {

    public static final String PREFIX = "relay.sync.";

    /** Leaves the login and the URL (which may hold a password) out. */
    @Override
    public String toString() {
        return "WarehouseSyncConfig[" + name + ", " + source() + "]";
    }

    public static final String DEFAULT_SCHEDULE = "0 0 * * * ?";

    public static final String EVENT_DATE = "event-date";
    public static final String EVENT_TYPE = "event-type";
    public static final String EMAIL = "email";
    public static final String PHONE = "phone";
    public static final String EXTERNAL_ID = "external-id";
    public static final String CUSTOMER_ID = "customer-id";
    public static final String CHANGED_AT = "changed-at";
    public static final String UNIQUE_ID = "unique-id";
    public static final String VALUE = "value";
    public static final String VALUE_CURRENCY = "value-currency";

    /** Every mapping role, in the order problems are reported. */
    public static final List<String> ROLES = List.of(EVENT_DATE, EVENT_TYPE, EMAIL, PHONE,
            EXTERNAL_ID, CUSTOMER_ID, CHANGED_AT, UNIQUE_ID, VALUE, VALUE_CURRENCY);

    /** The profile identifier roles with their contract names. */
    public static final Map<String, String> IDENTIFIERS = Map.of(EMAIL, "email", PHONE, "phone",
            EXTERNAL_ID, "external_id", CUSTOMER_ID, "customer_id");

    public static WarehouseSyncConfig read(String name, PropertyReader p) {
        String key = PREFIX + name + ".";
        String url = p.required(key + "jdbc.url", "the JDBC URL of the warehouse, e.g. jdbc:postgresql://host:5432/db");
        JdbcUrls.checkWarehouse(p, key + "jdbc.url", url, key + "dialect");
        SqlDialect dialect = SqlDialects.forUrl(url);
        String dialectName = p.string(key + "dialect", null);
        if (dialectName != null) {
            dialect = SqlDialects.named(dialectName).orElse(dialect);
            if (SqlDialects.named(dialectName).isEmpty()) {
                p.problem(key + "dialect", "'" + dialectName + "' is not a dialect; use one of " + SqlDialects.names()
                        + " (or leave it out: the URL chooses, here " + SqlDialects.forUrl(url) + ")");
            }
        }
        String user = p.string(key + "jdbc.user", null);
        String password = p.string(key + "jdbc.password", null);
        int pool = p.integer(key + "jdbc.pool-size", 2, 1, 50);
        String table = p.string(key + "table", null);
        String query = p.string(key + "query", null);
        if (table == null && query == null) {
            p.problem(key + "table", "is required (or " + key + "query): the table or view the sync reads");
        } else if (table != null && query != null) {
            p.problem(key + "query", "is set together with " + key + "table; set only one of them");
        } else if (table != null && !table.matches("[A-Za-z_][A-Za-z0-9_$]*(\\.[A-Za-z_][A-Za-z0-9_$]*){0,2}")) {
            p.problem(key + "table", "'" + table + "' is not a table name ([database.]schema.table, letters, digits,"
                    + " _)");
        }
        String schedule = p.string(key + "schedule", DEFAULT_SCHEDULE);
        CronSchedules.check(p, key + "schedule", schedule, DEFAULT_SCHEDULE);
        OffsetDateTime startAt = null;
        String start = p.string(key + "start-at", null);
        if (start != null) {
            try {
                startAt = OffsetDateTime.parse(start);
            } catch (DateTimeParseException e) {
                p.problem(key + "start-at", "'" + start + "' is not an RFC 3339 timestamp (e.g. 2026-01-01T00:00:00Z)");
            }
        }
        int pageSize = p.integer(key + "page-size", 1000, 1, 100_000);
        Map<String, String> mapping = new LinkedHashMap<>();
        for (String role : ROLES) {
            String column = p.string(key + "mapping." + role, null);
            if (column != null) {
                mapping.put(role, column);
            }
        }
        String constant = p.string(key + "event-type", null);
        return new WarehouseSyncConfig(name, url, user, password, pool, table, query, schedule, startAt, pageSize,
                constant, Collections.unmodifiableMap(mapping), p.bool(key + "enabled", true), dialect);
    }

    public String column(String role) {
        return mapping.get(role);
    }

    /** The table, or the query, as the run's record and messages name it. */
    public String source() {
        return table != null ? table : "query";
    }
}
