package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.support.StoreDatabases;
import org.junit.jupiter.api.AfterEach;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The warehouse sync flow with PostgreSQL on 127.0.0.1:5432 as warehouse (its own database) and state store. */
class WarehouseSyncOnPostgresTest extends WarehouseSyncFlowTest {

    private final List<String> databases = new ArrayList<>();

    @Override
    protected String newStoreUrl() throws Exception {
        config.putIfAbsent("relay.store.user", StoreDatabases.POSTGRES_USER);
        config.putIfAbsent("relay.store.password", StoreDatabases.POSTGRES_PASSWORD);
        return fresh();
    }

    @Override
    String newWarehouseUrl() throws Exception {
        return fresh();
    }

    @Override
    String absentWarehouseUrl() {
        String url = "jdbc:postgresql://127.0.0.1:5432/relay_test_" + UUID.randomUUID().toString()
                .replace("-", "").substring(0, 12);
        databases.add(url);
        return url;
    }

    @Override
    String createWarehouse(String absentUrl) throws Exception {
        try (Connection c = DriverManager.getConnection(StoreDatabases.POSTGRES_ADMIN_URL,
                StoreDatabases.POSTGRES_USER, StoreDatabases.POSTGRES_PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + absentUrl.substring(absentUrl.lastIndexOf('/') + 1));
        }
        return absentUrl;
    }

    @Override
    String warehouseUser() {
        return StoreDatabases.POSTGRES_USER;
    }

    @Override
    String warehousePassword() {
        return StoreDatabases.POSTGRES_PASSWORD;
    }

    @Override
    String dialect(String sql) {
        return sql;
    }

    private String fresh() throws SQLException {
        String url = StoreDatabases.newPostgres();
        databases.add(url);
        return url;
    }

    @AfterEach
    void dropDatabases() throws SQLException {
        if (relay != null) {
            relay.close();
        }
        for (String url : databases) {
            StoreDatabases.dropPostgres(url);
        }
    }
}
