package dev.eventrelay.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh databases on the MariaDB server on 127.0.0.1:3306 for tests, each named {@code relay_test_<random>} and
 * dropped after. The user and password come from RELAY_TEST_MARIADB_USER and RELAY_TEST_MARIADB_PASSWORD (defaults
 * as bin/test creates them: a user that may create and drop the databases {@code relay_test_%}, never root, whose
 * socket login the JDBC driver cannot use).
 */
public final class MariaDbDatabases {

    public static final String SERVER_URL = "jdbc:mariadb://127.0.0.1:3306/";
    public static final String USER = env("RELAY_TEST_MARIADB_USER", "relay_test");
    public static final String PASSWORD = env("RELAY_TEST_MARIADB_PASSWORD", "wh-Maria-5172");

    private MariaDbDatabases() {
    }

    /** A database name no other test uses; the database does not exist yet. */
    public static String newName() {
        return "relay_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Creates a new, empty database and returns its JDBC URL. */
    public static String create() throws SQLException {
        return create(newName());
    }

    /** Creates the database {@code name} and returns its JDBC URL. */
    public static String create(String name) throws SQLException {
        FastRun.refuse("a MariaDB database (MariaDbDatabases.create)");
        execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4");
        return SERVER_URL + name;
    }

    public static void drop(String url) throws SQLException {
        String name = url.substring(url.lastIndexOf('/') + 1).replaceAll("\\?.*", "");
        execute("DROP DATABASE IF EXISTS " + name);
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(SERVER_URL, USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
