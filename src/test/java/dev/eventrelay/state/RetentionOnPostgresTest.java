package dev.eventrelay.state;

import dev.eventrelay.support.PostgresStores;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;

/** Retention with PostgreSQL on 127.0.0.1:5432 as the state store. */
class RetentionOnPostgresTest extends RetentionFlowTest {

    private final PostgresStores stores = new PostgresStores();

    @Override
    protected String newStoreUrl() throws Exception {
        return stores.fresh(config);
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        stores.dropAll(relay);
    }
}
