package dev.eventrelay.state;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** Retention with the embedded H2 state store. */
class RetentionOnH2Test extends RetentionFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
