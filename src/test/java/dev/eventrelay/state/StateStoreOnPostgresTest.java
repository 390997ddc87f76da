package dev.eventrelay.state;

import dev.eventrelay.support.Slow;
import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.PreparedStatement;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/** The state-store classes on PostgreSQL on 127.0.0.1:5432, a fresh database per test. */
@Slow
class StateStoreOnPostgresTest extends StateStoreDialectTest {

    private String url;

    @Override
    String newStoreUrl() throws Exception {
        url = StoreDatabases.newPostgres();
        return url;
    }

    @Override
    String user() {
        return StoreDatabases.POSTGRES_USER;
    }

    @Override
    String password() {
        return StoreDatabases.POSTGRES_PASSWORD;
    }

    @AfterEach
    void dropDatabase() throws Exception {
        store.stop();
        StoreDatabases.dropPostgres(url);
    }

    @Test
    void batchesOfInsertsAreRewrittenIntoMultiRowInserts() {
        int[] counts = store.inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TEMPORARY TABLE rewritten (n INT)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO rewritten (n) VALUES (?)")) {
                for (int i = 0; i < 8; i++) { // PgJDBC rewrites in blocks of powers of two: 8 is one block
                    insert.setInt(1, i);
                    insert.addBatch();
                }
                return insert.executeBatch();
            }
        });
        // PgJDBC answers SUCCESS_NO_INFO for each row of a batch it sent as one multi-row INSERT
        assertThat(counts).containsOnly(Statement.SUCCESS_NO_INFO);
    }
}
