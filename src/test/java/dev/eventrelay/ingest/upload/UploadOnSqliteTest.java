package dev.eventrelay.ingest.upload;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The upload flow with the embedded SQLite state store. */
class UploadOnSqliteTest extends UploadFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
