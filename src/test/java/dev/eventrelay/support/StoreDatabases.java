package dev.eventrelay.support;

import dev.eventrelay.settings.StoreUrls;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * The two dialects of the state store for tests: a SQLite file in a temporary folder (with the shipped
 * durability settings: WAL, synchronous=FULL, a busy timeout), and a fresh
 * database on the PostgreSQL server on 127.0.0.1:5432, dropped after. The user and password come from
 * RELAY_TEST_PG_USER (default postgres) and RELAY_TEST_PG_PASSWORD (default empty), as bin/test sets them.
 */
public final class StoreDatabases {

    public static final String POSTGRES_ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    public static final String POSTGRES_USER = env("RELAY_TEST_PG_USER", "postgres");
    public static final String POSTGRES_PASSWORD = env("RELAY_TEST_PG_PASSWORD", "");

    private StoreDatabases() {
    }

    public static String sqlite(Path dir) {
        return StoreUrls.DEFAULT.replace("./data/state/relay.db", dir.resolve("state.db").toAbsolutePath().toString());
    }

    /** Creates a new, empty PostgreSQL database and returns its JDBC URL. */
    public static String newPostgres() throws SQLException {
        FastRun.refuse("a PostgreSQL database (StoreDatabases.newPostgres)");
        String name = "relay_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, POSTGRES_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return "jdbc:postgresql://127.0.0.1:5432/" + name;
    }

    public static void dropPostgres(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1);
        try (Connection c = DriverManager.getConnection(POSTGRES_ADMIN_URL, POSTGRES_USER, POSTGRES_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
