package dev.eventrelay.systemevents;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** System events with the embedded H2 state store. */
class SystemEventsOnH2Test extends SystemEventsFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
