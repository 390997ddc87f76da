package dev.eventrelay.backbone;

import dev.eventrelay.support.StoreDatabases;

/** The kafka backbone end to end with the embedded SQLite state store. */
class KafkaBackboneFlowOnSqliteTest extends KafkaBackboneFlowTest {

    @Override
    protected String newStoreUrl() {
        return StoreDatabases.sqlite(dir);
    }
}
