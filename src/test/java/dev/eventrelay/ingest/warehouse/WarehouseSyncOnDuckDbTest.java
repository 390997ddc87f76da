package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The warehouse sync flow with a DuckDB file as warehouse (the DuckDB dialect) and a SQLite state store. DuckDB takes
 * the sample's SQL with jsonb as JSON. A warehouse that is down is a file in a folder that does not exist yet (DuckDB
 * cannot open it), made before the catch-up run.
 */
class WarehouseSyncOnDuckDbTest extends WarehouseSyncFlowTest {

    @Override
    protected String newStoreUrl() throws Exception {
        return StoreDatabases.sqlite(Files.createTempDirectory(dir, "store"));
    }

    @Override
    String newWarehouseUrl() throws Exception {
        return url(Files.createTempDirectory(dir, "warehouse"));
    }

    @Override
    String absentWarehouseUrl() throws Exception {
        return url(Files.createTempDirectory(dir, "warehouse").resolve("not-yet"));
    }

    @Override
    String createWarehouse(String absentUrl) throws Exception {
        Files.createDirectories(Path.of(absentUrl.substring("jdbc:duckdb:".length())).getParent());
        return absentUrl;
    }

    @Override
    String warehouseUser() {
        return null;
    }

    @Override
    String warehousePassword() {
        return null;
    }

    @Override
    String dialect(String sql) {
        return sql.replaceAll("\\bjsonb\\b", "JSON");
    }

    private static String url(Path folder) {
        return "jdbc:duckdb:" + folder.resolve("warehouse.duckdb").toAbsolutePath();
    }
}
