package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.support.MariaDbDatabases;
import dev.eventrelay.support.StoreDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.RelayUnderTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warehouse sync flow with MariaDB on 127.0.0.1:3306 as warehouse (a database of its own, the MySQL dialect)
 * and a SQLite state store. The sample's PostgreSQL types become MariaDB's: the text key VARCHAR(64), event_ts
 * DATETIME(6) (no zone: read as UTC), updated_at TIMESTAMP(6) (UTC on disk, shown in the session's zone, which the
 * sync sets to UTC), jsonb JSON; the literals lose their "+00" and are loaded in a UTC session. A warehouse that is
 * down is a database that does not exist yet (the shared server stays up), created before the catch-up run.
 */
class WarehouseSyncOnMariaDbTest extends WarehouseSyncFlowTest {

    private final List<String> databases = new ArrayList<>();

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }

    @Override
    String newWarehouseUrl() throws Exception {
        String url = MariaDbDatabases.create();
        databases.add(url);
        return url;
    }

    @Override
    String absentWarehouseUrl() {
        String url = MariaDbDatabases.SERVER_URL + MariaDbDatabases.newName();
        databases.add(url);
        return url;
    }

    @Override
    String createWarehouse(String absentUrl) throws Exception {
        return MariaDbDatabases.create(absentUrl.substring(absentUrl.lastIndexOf('/') + 1));
    }

    @Override
    String warehouseUser() {
        return MariaDbDatabases.USER;
    }

    @Override
    String warehousePassword() {
        return MariaDbDatabases.PASSWORD;
    }

    @Override
    List<String> sessionSetUp() {
        return List.of("SET time_zone = '+00:00'");
    }

    @Override
    String dialect(String sql) {
        return sql.replace("event_uid        text PRIMARY KEY", "event_uid VARCHAR(64) PRIMARY KEY")
                .replace("event_ts         timestamptz", "event_ts DATETIME(6)")
                .replaceAll("\\btimestamptz\\b", "TIMESTAMP(6)")
                .replaceAll("\\bjsonb\\b", "JSON")
                .replaceAll("'(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)\\+00'", "'$1'");
    }

    @Test
    void aJdbcMysqlUrlIsReadThroughTheShippedMariaDbDriver() throws Exception {
        String warehouse = newWarehouseUrl();
        load(warehouse);
        posSync("pos", warehouse.replace("jdbc:mariadb:", "jdbc:mysql:"));
        relay = new RelayUnderTest(config).start();

        JsonNode run = relay.runImport("pos");

        assertThat(run.get("processing_status").asText()).isEqualTo("Processed");
        assertThat(run.get("rows_processed").asLong()).isEqualTo(5);
        assertThat(ids(awaitOutbox(5))).hasSize(5);
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        if (relay != null) {
            relay.close();
        }
        for (String url : databases) {
            MariaDbDatabases.drop(url);
        }
    }
}
