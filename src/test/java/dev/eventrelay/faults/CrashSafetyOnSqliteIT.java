package dev.eventrelay.faults;

import dev.eventrelay.support.StoreDatabases;

import java.util.Map;

/** The crash test with the shipped kind of state store: a SQLite file (WAL, synchronous=FULL). */
class CrashSafetyOnSqliteIT extends CrashSafety {

    @Override
    Map<String, String> newStore() {
        return Map.of("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
    }
}
