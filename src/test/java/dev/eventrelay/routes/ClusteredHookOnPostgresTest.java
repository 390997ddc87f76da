package dev.eventrelay.routes;

import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

import java.util.LinkedHashMap;
import java.util.Map;

/** Two instances of a hook on one PostgreSQL database (127.0.0.1:5432), each with its own connection pool. */
class ClusteredHookOnPostgresTest extends ClusteredHookFlowTest {

    private String url;
    private final Map<String, StateStore> stores = new LinkedHashMap<>();

    @Override
    StateStore store(String id) throws Exception {
        if (url == null) {
            url = StoreDatabases.newPostgres();
        }
        StateStore existing = stores.get(id);
        if (existing != null) {
            return existing;
        }
        StateStore store = new StateStore(url, StoreDatabases.POSTGRES_USER, StoreDatabases.POSTGRES_PASSWORD, 4);
        store.migrate();
        store.start();
        stores.put(id, store);
        return store;
    }

    @AfterEach
    void dropDatabase() throws Exception {
        stores.values().forEach(StateStore::stop);
        if (url != null) {
            StoreDatabases.dropPostgres(url);
        }
    }
}
