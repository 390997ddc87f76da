package dev.eventrelay.ingest.file;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The SFTP import flow with the embedded SQLite state store. */
class SftpImportOnSqliteTest extends SftpImportFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
