package dev.eventrelay.ingest.warehouse;

import dev.eventrelay.support.StoreDatabases;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The warehouse sync flow with the embedded SQLite state store and an H2 file (PostgreSQL mode) as the warehouse:
 * H2 plays a warehouse that is not PostgreSQL here (it is no state store any more); a {@code jdbc:h2:} URL names no
 * family of its own, so the warehouse gets the ANSI dialect and this is the ANSI SQL's live test. The sample's
 * PostgreSQL types become H2's: text → VARCHAR, timestamptz → TIMESTAMP WITH TIME ZONE, jsonb → JSON
 * (with its literals marked {@code FORMAT JSON}).
 */
class WarehouseSyncOnSqliteTest extends WarehouseSyncFlowTest {

    private static final String MODE = ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";

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
        return url(Files.createTempDirectory(dir, "warehouse")) + ";IFEXISTS=TRUE";
    }

    @Override
    String createWarehouse(String absentUrl) {
        return absentUrl.replace(";IFEXISTS=TRUE", "");
    }

    @Override
    String warehouseUser() {
        return "sa";
    }

    @Override
    String warehousePassword() {
        return "";
    }

    @Override
    String dialect(String sql) {
        return sql.replaceAll("\\btext\\b", "VARCHAR")
                .replaceAll("\\btimestamptz\\b", "TIMESTAMP WITH TIME ZONE")
                .replaceAll("\\bjsonb\\b", "JSON")
                .replaceAll("'(\\[[^']*\\]|\\{[^']*\\})'", "'$1' FORMAT JSON");
    }

    private static String url(Path folder) {
        return "jdbc:h2:file:" + folder.resolve("warehouse").toAbsolutePath() + MODE;
    }
}
