package dev.eventrelay.support;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The PostgreSQL state stores of one test: fresh databases made on demand, all dropped after the test. */
public final class PostgresStores {

    private final List<String> urls = new ArrayList<>();

    /** A new, empty database's URL; the test user and password go into {@code config} unless it sets them. */
    public String fresh(Map<String, String> config) throws SQLException {
        String url = StoreDatabases.newPostgres();
        urls.add(url);
        config.putIfAbsent("relay.store.user", StoreDatabases.POSTGRES_USER);
        config.putIfAbsent("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
        return url;
    }

    /** Stops {@code relay} (it holds connections to them), then drops every database made. */
    public void dropAll(RelayUnderTest relay) throws SQLException {
        if (relay != null) {
            relay.close();
        }
        for (String url : urls) {
            StoreDatabases.dropPostgres(url);
        }
        urls.clear();
    }
}
