package dev.eventrelay.ingest.recovery;

import dev.eventrelay.support.Slow;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

/**
 * Instances, ownership and take-over on PostgreSQL on 127.0.0.1:5432 (a fresh database per test), where concurrent
 * recoverers and run starts really overlap and the row locks and the unique index decide.
 */
@Slow
class OwnershipOnPostgresTest extends OwnershipDialectTest {

    private String url;

    @Override
    String newStoreUrl() throws Exception {
        url = StoreDatabases.newPostgres();
        return url;
    }

    @Override
    String user() {
        return StoreDatabases.POSTGRES_USER;
    }

    @Override
    String password() {
        return StoreDatabases.POSTGRES_PASSWORD;
    }

    @AfterEach
    void dropDatabase() throws Exception {
        closeStore();
        StoreDatabases.dropPostgres(url);
    }
}
