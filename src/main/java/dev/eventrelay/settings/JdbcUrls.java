package dev.eventrelay.settings;

import java.sql.DriverManager;
import java.sql.SQLException;

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
}
