package dev.eventrelay.settings;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;

/** Checks a JDBC URL without connecting: one of the JDBC drivers on the class path must accept it. */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    /** Adds a problem naming {@code key} when no driver accepts {@code url}; a null url is left to "required". */
    public static void check(PropertyReader p, String key, String url) {
        if (url == null) {
            return;
        }
        try {
            DriverManager.getDriver(url);
        } catch (SQLException e) {
            p.problem(key, "'" + url + "' is not a JDBC URL that a driver here accepts; write"
                    + " jdbc:postgresql://host:5432/database or jdbc:h2:file:./path");
        }
    }

    /**
     * Adds a problem naming {@code key} when no driver accepts the warehouse URL {@code url} (see {@link #forDriver}):
     * the message lists the drivers that ship with the service and names the drivers folder
     * ({@value JdbcDrivers#KEY}) to drop another database's driver into, and {@code dialectKey}.
     */
    public static void checkWarehouse(PropertyReader p, String key, String url, String dialectKey) {
        if (url == null || forDriver(url) != null) {
            return;
        }
        p.problem(key, "'" + url + "' is not a JDBC URL that a driver here accepts. The service ships drivers for"
                + " jdbc:postgresql://host:5432/db, jdbc:mariadb://host:3306/db (also jdbc:mysql:),"
                + " jdbc:duckdb:/path/file.duckdb and jdbc:h2:; for another database drop its JDBC driver's jar into"
                + " the folder " + JdbcDrivers.KEY + " names (now '" + JdbcDrivers.folder(p).toAbsolutePath()
                + "') and restart, and set " + dialectKey + " when the URL does not say the database family");
    }

    /**
     * The URL to hand the pool for {@code url}: itself when a driver here accepts it; for a {@code jdbc:mysql:} URL
     * that no MySQL driver takes, the same URL with MariaDB's {@code permitMysqlScheme} (MariaDB's driver takes
     * {@code jdbc:mysql:} only with it); null when no driver accepts it.
     */
    public static String forDriver(String url) {
        if (accepted(url)) {
            return url;
        }
        if (url.toLowerCase(Locale.ROOT).startsWith("jdbc:mysql:") && !url.contains("permitMysqlScheme")) {
            String mariadb = url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme";
            return accepted(mariadb) ? mariadb : null;
        }
        return null;
    }

    private static boolean accepted(String url) {
        try {
            DriverManager.getDriver(url);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }
}
