package dev.eventrelay.systemevents;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** System events with the embedded SQLite state store. */
class SystemEventsOnSqliteTest extends SystemEventsFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
