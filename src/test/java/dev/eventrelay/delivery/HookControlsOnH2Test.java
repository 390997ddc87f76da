package dev.eventrelay.delivery;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The hook controls with the embedded H2 state store. */
class HookControlsOnH2Test extends HookControlsFlowTest {

    @Override
    String newStoreUrl() throws Exception {
        return StoreDatabases.h2(Files.createTempDirectory(dir, "store"));
    }
}
