package dev.eventrelay.delivery;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The http destination with the embedded SQLite state store. */
class HttpHookOnSqliteTest extends HttpHookFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
