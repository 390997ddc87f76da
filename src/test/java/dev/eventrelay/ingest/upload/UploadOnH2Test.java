package dev.eventrelay.ingest.upload;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The upload flow with the embedded H2 state store. */
class UploadOnH2Test extends UploadFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
