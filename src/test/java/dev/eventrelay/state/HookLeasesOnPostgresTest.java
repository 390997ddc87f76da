package dev.eventrelay.state;

import dev.eventrelay.support.StoreDatabases;

/** Hook leases with PostgreSQL on 127.0.0.1:5432 as the state store. */
class HookLeasesOnPostgresTest extends HookLeasesFlowTest {

    private String url;

    @Override
    StateStore newStore() throws Exception {
        url = StoreDatabases.newPostgres();
        StateStore store = new StateStore(url, StoreDatabases.POSTGRES_USER, StoreDatabases.POSTGRES_PASSWORD, 4);
        store.migrate();
        store.start();
        return store;
    }

    @Override
    void dropStore() throws Exception {
        StoreDatabases.dropPostgres(url);
    }
}
