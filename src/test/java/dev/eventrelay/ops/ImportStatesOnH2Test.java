package dev.eventrelay.ops;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** Import states with the embedded H2 state store. */
class ImportStatesOnH2Test extends ImportStatesFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
