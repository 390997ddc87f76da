package dev.eventrelay.ingest.file;

import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** The bad input corpus through the service with PostgreSQL on 127.0.0.1:5432 as the state store. */
class BadInputOnPostgresTest extends BadInputFlowTest {

    private final List<String> databases = new ArrayList<>();

    @Override
    String newStoreUrl() throws Exception {
        String url = StoreDatabases.newPostgres();
        databases.add(url);
        config.putIfAbsent("relay.store.user", StoreDatabases.POSTGRES_USER);
        config.putIfAbsent("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
        return url;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        if (relay != null) {
            relay.close();
        }
        for (String url : databases) {
            StoreDatabases.dropPostgres(url);
        }
    }
}
