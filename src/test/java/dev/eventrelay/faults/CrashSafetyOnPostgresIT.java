package dev.eventrelay.faults;

import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

import java.util.Map;

/** The crash test with PostgreSQL on 127.0.0.1:5432 as the state store, as production runs it. */
class CrashSafetyOnPostgresIT extends CrashSafety {

    private String storeUrl;

    @Override
    Map<String, String> newStore() throws Exception {
        storeUrl = StoreDatabases.newPostgres();
        return Map.of("relay.store.url", storeUrl, "relay.store.user", StoreDatabases.POSTGRES_USER,
                "relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
    }

    /** Runs before the peers stop: the service is stopped first, since it holds connections to the store. */
    @AfterEach
    void dropStore() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        if (storeUrl != null) {
            StoreDatabases.dropPostgres(storeUrl);
        }
    }
}
