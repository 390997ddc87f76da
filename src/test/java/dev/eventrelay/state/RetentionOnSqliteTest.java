package dev.eventrelay.state;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** Retention with the embedded SQLite state store. */
class RetentionOnSqliteTest extends RetentionFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
