package dev.eventrelay.backbone;

import dev.eventrelay.support.Slow;
import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;

/** The take-over of a run stopped between the Kafka commit and the store's, on the embedded SQLite store. */
@Slow
class SealedTakeOverOnSqliteTest extends SealedTakeOverTest {

    @Override
    String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }
}
