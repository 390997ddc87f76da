package dev.eventrelay.boot;

import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.settings.JdbcDrivers;
import dev.eventrelay.settings.JdbcUrls;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.support.DropInDriverJar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * JDBC drivers dropped into the folder relay.drivers.dir names: a driver jar built by the test (not on the class
 * path, for a URL scheme no driver here serves) with the H2 jar it needs in a sub-folder is loaded by the
 * configuration check, in a class loader of its own, and then serves connections and a sync's URL; before, the same
 * URL is refused with a message that names the folder and the keys.
 */
class DropInDriversTest {

    @TempDir
    Path dir;

    private static Map<String, String> sync(String url) {
        Map<String, String> keys = new HashMap<>();
        keys.put("relay.sync.crm.jdbc.url", url);
        keys.put("relay.sync.crm.table", "crm_events");
        keys.put("relay.sync.crm.event-type", "Signed Up");
        keys.put("relay.sync.crm.mapping.event-date", "happened");
        keys.put("relay.sync.crm.mapping.email", "email");
        keys.put("relay.sync.crm.mapping.changed-at", "changed");
        return keys;
    }

    @Test
    void aDriverDroppedIntoTheFolderIsLoadedInItsOwnClassLoaderAndServesASyncsUrl() throws Exception {
        DropInDriverJar driver = new DropInDriverJar();
        Path drivers = Files.createDirectories(dir.resolve("drivers"));
        String url = driver.prefix() + "mem:drop_in;DB_CLOSE_DELAY=-1";
        Map<String, String> keys = sync(url);
        keys.put(JdbcDrivers.KEY, drivers.toString());

        ValidatedConfig before = ValidatedConfig.read(PropertyReader.of(keys));
        assertThat(before.syncsNotStarted().get("crm"))
                .contains("relay.sync.crm.jdbc.url", "is not a JDBC URL that a driver here accepts",
                        "drop its JDBC driver's jar into the folder relay.drivers.dir names", drivers.toString(),
                        "relay.sync.crm.dialect");

        Path plugin = driver.writeTo(drivers);
        PropertyReader p = PropertyReader.of(keys);
        Map<Path, List<String>> loaded = JdbcDrivers.load(p);
        ValidatedConfig after = ValidatedConfig.read(p);

        assertThat(p.problems()).isEmpty();
        assertThat(loaded.get(plugin)).anyMatch(driver::isDriver);
        assertThat(after.syncsNotStarted()).isEmpty();
        WarehouseSyncConfig crm = after.syncs().get("crm");
        assertThat(crm.dialect().name()).isEqualTo("ansi");
        assertThat(JdbcUrls.forDriver(url)).isEqualTo(url);
        try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
            assertThat(c.getClass().getClassLoader()).isNotSameAs(JdbcDrivers.class.getClassLoader());
            assertThat(c.getClass().getClassLoader().getName()).isEqualTo("jdbc-driver-" + plugin.getFileName());
            s.execute("CREATE TABLE crm_events (email VARCHAR(80))");
            s.execute("INSERT INTO crm_events VALUES ('ann@example.com')");
            try (ResultSet rows = s.executeQuery("SELECT email FROM crm_events")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("ann@example.com");
            }
        }
        assertThat(JdbcDrivers.load(PropertyReader.of(keys))).containsEntry(plugin, loaded.get(plugin));
    }

    @Test
    void aJarWithoutADriverAndAFolderThatIsSetButMissingAreProblemsNamingTheKey() throws Exception {
        Path drivers = Files.createDirectories(dir.resolve("drivers"));
        Files.write(drivers.resolve("notes.jar"), emptyJar());
        PropertyReader p = PropertyReader.of(Map.of(JdbcDrivers.KEY, drivers.toString()));

        JdbcDrivers.load(p);

        assertThat(p.problems()).singleElement().asString()
                .contains(JdbcDrivers.KEY, "notes.jar", "holds no JDBC driver");

        PropertyReader missing = PropertyReader.of(Map.of(JdbcDrivers.KEY, dir.resolve("nowhere").toString()));
        JdbcDrivers.load(missing);
        assertThat(missing.problems()).singleElement().asString().contains(JdbcDrivers.KEY, "is not a folder");

        PropertyReader unset = PropertyReader.of(Map.of());
        JdbcDrivers.load(unset);
        assertThat(unset.problems()).isEmpty();
    }

    @Test
    void aMysqlUrlIsServedByTheShippedMariaDbDriver() {
        String url = "jdbc:mysql://127.0.0.1:3306/shop";

        assertThat(JdbcUrls.forDriver(url)).isEqualTo(url + "?permitMysqlScheme");
        assertThat(JdbcUrls.forDriver(url + "?useSSL=false")).isEqualTo(url + "?useSSL=false&permitMysqlScheme");
        assertThat(JdbcUrls.forDriver("jdbc:mariadb://127.0.0.1:3306/shop")).isEqualTo("jdbc:mariadb://127.0.0.1:3306/shop");
        assertThat(JdbcUrls.forDriver("jdbc:nosuchdb://x/y")).isNull();
        assertThat(ValidatedConfig.read(PropertyReader.of(sync(url))).syncs().get("crm").dialect().name())
                .isEqualTo("mysql");
    }

    private static byte[] emptyJar() throws java.io.IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(bytes)) {
            jar.putNextEntry(new java.util.jar.JarEntry("README.txt"));
            jar.write("no driver here".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }
}
