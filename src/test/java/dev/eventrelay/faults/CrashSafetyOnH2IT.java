package dev.eventrelay.faults;

import dev.eventrelay.support.StoreDatabases;

import java.util.Map;

/** The crash test with the shipped kind of state store: an H2 file. */
class CrashSafetyOnH2IT extends CrashSafety {

    @Override
    Map<String, String> newStore() {
        return Map.of("relay.store.url", StoreDatabases.h2(dir.resolve("store")));
    }
}
