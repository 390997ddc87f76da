package dev.eventrelay.ops;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** Import states with the embedded SQLite state store. */
class ImportStatesOnSqliteTest extends ImportStatesFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
