package dev.eventrelay.routes;

import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Two instances of a hook on the embedded SQLite store (one store of the process, as the file allows). */
class ClusteredHookOnSqliteTest extends ClusteredHookFlowTest {

    @TempDir
    Path dir;
    private StateStore store;

    @Override
    StateStore store(String id) {
        if (store == null) {
            store = new StateStore(StoreDatabases.sqlite(dir), null, null, 4);
            store.migrate();
            store.start();
        }
        return store;
    }

    @AfterEach
    void closeStore() {
        if (store != null) {
            store.stop();
        }
    }
}
