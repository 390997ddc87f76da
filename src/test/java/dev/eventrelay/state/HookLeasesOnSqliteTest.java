package dev.eventrelay.state;

import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Hook leases on the embedded SQLite store. */
class HookLeasesOnSqliteTest extends HookLeasesFlowTest {

    @TempDir
    Path dir;

    @Override
    StateStore newStore() {
        StateStore store = new StateStore(StoreDatabases.sqlite(dir), null, null, 4);
        store.migrate();
        store.start();
        return store;
    }
}
