package dev.eventrelay.delivery;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The hook controls with the embedded SQLite state store. */
class HookControlsOnSqliteTest extends HookControlsFlowTest {

    @Override
    String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
