package dev.eventrelay.ingest.file;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The SFTP import flow with the embedded H2 state store. */
class SftpImportOnH2Test extends SftpImportFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
