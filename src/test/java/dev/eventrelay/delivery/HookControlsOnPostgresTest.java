package dev.eventrelay.delivery;

import dev.eventrelay.support.PostgresStores;
import org.junit.jupiter.api.AfterEach;

import java.sql.SQLException;

/** The hook controls with PostgreSQL on 127.0.0.1:5432 as the state store. */
class HookControlsOnPostgresTest extends HookControlsFlowTest {

    private final PostgresStores stores = new PostgresStores();

    @Override
    String newStoreUrl() throws Exception {
        return stores.fresh(config);
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        stores.dropAll(relay);
    }
}
