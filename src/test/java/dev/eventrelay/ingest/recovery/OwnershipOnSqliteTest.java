package dev.eventrelay.ingest.recovery;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** Instances, ownership and take-over on the embedded SQLite store (one writer at a time: the lock decides). */
class OwnershipOnSqliteTest extends OwnershipDialectTest {

    @Override
    String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
