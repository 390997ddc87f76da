package dev.eventrelay.ingest.file;

import dev.eventrelay.support.PostgresStores;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;

/** The bad input corpus through the service with PostgreSQL on 127.0.0.1:5432 as the state store. */
class BadInputOnPostgresTest extends BadInputFlowTest {

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
