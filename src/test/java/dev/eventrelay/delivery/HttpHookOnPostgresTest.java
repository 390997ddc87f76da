package dev.eventrelay.delivery;

import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;

/** The http destination with PostgreSQL on 127.0.0.1:5432 as the state store. */
class HttpHookOnPostgresTest extends HttpHookFlowTest {

    private String database;

    @Override
    String newStoreUrl() throws Exception {
        database = StoreDatabases.newPostgres();
        config.put("relay.store.user", StoreDatabases.POSTGRES_USER);
        config.put("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
        return database;
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        if (relay != null) {
            relay.close();
        }
        StoreDatabases.dropPostgres(database);
    }
}
