package dev.eventrelay.backbone;

import dev.eventrelay.support.Slow;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

/** The take-over of a run stopped between the Kafka commit and the store's, on PostgreSQL on 127.0.0.1:5432. */
@Slow
class SealedTakeOverOnPostgresTest extends SealedTakeOverTest {

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
        close();
        StoreDatabases.dropPostgres(url);
    }
}
