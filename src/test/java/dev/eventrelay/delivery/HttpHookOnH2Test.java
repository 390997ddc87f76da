package dev.eventrelay.delivery;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The http destination with the embedded H2 state store. */
class HttpHookOnH2Test extends HttpHookFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
