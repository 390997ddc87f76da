package dev.eventrelay.state;

import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The state-store classes on the embedded SQLite store, and the settings every connection of it runs with. */
class StateStoreOnSqliteTest extends StateStoreDialectTest {

    @TempDir
    Path dir;

    @Override
    String newStoreUrl() {
        return StoreDatabases.sqlite(dir);
    }

    @Test
    void everyConnectionForcesItsCommitsToDisk() {
        store.read(c -> {
            try (Statement s = c.createStatement()) {
                assertThat(pragma(s, "journal_mode")).isEqualTo("wal");
                assertThat(pragma(s, "synchronous")).as("2 is FULL: the WAL is synced at every commit").isEqualTo("2");
                assertThat(pragma(s, "busy_timeout")).isEqualTo("60000");
                assertThat(pragma(s, "foreign_keys")).isEqualTo("1");
            }
            return null;
        });
    }

    @Test
    void aBareFileUrlInAFolderNotYetMadeGetsTheSameSettings() {
        StateStore bare = new StateStore("jdbc:sqlite:" + dir.resolve("not/yet/made/state.db"), null, null, 2);
        try {
            bare.migrate();
            String settings = bare.read(c -> {
                try (Statement s = c.createStatement()) {
                    return pragma(s, "journal_mode") + " " + pragma(s, "synchronous");
                }
            });
            assertThat(settings).isEqualTo("wal 2");
        } finally {
            bare.stop();
        }
    }

    private static String pragma(Statement s, String name) throws java.sql.SQLException {
        try (ResultSet rows = s.executeQuery("PRAGMA " + name)) {
            rows.next();
            return rows.getString(1);
        }
    }
}
