package dev.eventrelay.settings;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.DriverPropertyInfo;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * JDBC drivers that ops add by dropping jars into the folder {@value #KEY} names (default {@value #DEFAULT}), loaded
 * at start-up the way Kafka Connect's plugin path loads connectors: every jar directly in the folder is one driver,
 * every sub-folder (a driver with the jars it needs) is one driver; each gets its own class loader whose parent is the
 * platform class loader, so a dropped driver sees only the JDK and its own jars and never clashes with the service's
 * libraries. The drivers a loader declares ({@code META-INF/services/java.sql.Driver}) are registered with
 * {@link DriverManager} through a {@link Shim} of the service's own class loader: DriverManager hands a driver only to
 * callers whose class loader can see the driver's class, and the shim is what the pool's class loader can see.
 * A folder is loaded once per JVM, however often the configuration is read.
 */
public final class JdbcDrivers {

    public static final String KEY = "relay.drivers.dir";
    public static final String DEFAULT = "drivers";

    private static final Logger LOG = LoggerFactory.getLogger(JdbcDrivers.class);
    /** The drivers loaded from each jar or sub-folder (by its real path). */
    private static final Map<Path, List<String>> LOADED = new ConcurrentHashMap<>();

    private JdbcDrivers() {
    }

    /** The folder {@value #KEY} names. */
    public static Path folder(PropertyReader p) {
        return Path.of(p.string(KEY, DEFAULT));
    }

    /**
     * Loads the drivers of the folder {@value #KEY} names; problems (a set folder that is missing, a jar with no
     * driver or that cannot be read) are recorded on {@code p} naming the key. A missing default folder is no problem.
     *
     * @return the class names of the drivers each jar or sub-folder holds
     */
    public static Map<Path, List<String>> load(PropertyReader p) {
        Path folder = folder(p);
        Map<Path, List<String>> found = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            if (p.string(KEY, null) != null) {
                p.problem(KEY, "'" + folder + "' is not a folder: name the folder that holds the JDBC driver jars"
                        + " to load, or leave the key out");
            }
            return found;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path plugin : entries.sorted().toList()) {
                List<Path> jars = jars(plugin);
                if (jars.isEmpty()) {
                    continue;
                }
                List<String> drivers = load(plugin, jars);
                if (drivers.isEmpty()) {
                    p.problem(KEY, "'" + plugin + "' holds no JDBC driver (no META-INF/services/java.sql.Driver in "
                            + jars.stream().map(jar -> jar.getFileName().toString()).toList() + "); remove it");
                }
                found.put(plugin, drivers);
            }
        } catch (IOException | ServiceConfigurationError | LinkageError e) {
            p.problem(KEY, "the drivers in '" + folder + "' could not be loaded: " + e);
        }
        return found;
    }

    /** The jars of a plugin: the jar itself, or the jars directly in a sub-folder. */
    private static List<Path> jars(Path plugin) throws IOException {
        if (Files.isRegularFile(plugin) && isJar(plugin)) {
            return List.of(plugin);
        }
        if (!Files.isDirectory(plugin)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(plugin)) {
            return files.filter(file -> Files.isRegularFile(file) && isJar(file)).sorted().toList();
        }
    }

    private static boolean isJar(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".jar");
    }

    private static synchronized List<String> load(Path plugin, List<Path> jars) throws IOException {
        Path key = plugin.toRealPath();
        List<String> loaded = LOADED.get(key);
        if (loaded != null) {
            return loaded;
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            urls.add(url(jar));
        }
        URLClassLoader loader = new URLClassLoader("jdbc-driver-" + plugin.getFileName(), urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader());
        List<String> drivers = new ArrayList<>();
        Iterator<Driver> services = ServiceLoader.load(Driver.class, loader).iterator();
        while (services.hasNext()) {
            Driver driver = services.next();
            if (driver.getClass().getClassLoader() != loader) {
                continue; // the JDK's own, seen through the parent
            }
            try {
                DriverManager.registerDriver(new Shim(driver));
            } catch (SQLException e) {
                throw new IOException("cannot register " + driver.getClass().getName(), e);
            }
            drivers.add(driver.getClass().getName());
            LOG.info("JDBC driver {} {}.{} loaded from {}", driver.getClass().getName(), driver.getMajorVersion(),
                    driver.getMinorVersion(), plugin);
        }
        LOADED.put(key, List.copyOf(drivers));
        return drivers;
    }

    private static URL url(Path jar) throws MalformedURLException {
        return jar.toAbsolutePath().toUri().toURL();
    }

    /** A driver of another class loader, as DriverManager hands it to the service's own classes. */
    static final class Shim implements Driver {

        private final Driver driver;

        Shim(Driver driver) {
            this.driver = driver;
        }

        @Override
        public Connection connect(String url, Properties info) throws SQLException {
            return driver.connect(url, info);
        }

        @Override
        public boolean acceptsURL(String url) throws SQLException {
            return driver.acceptsURL(url);
        }

        @Override
        public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) throws SQLException {
            return driver.getPropertyInfo(url, info);
        }

        @Override
        public int getMajorVersion() {
            return driver.getMajorVersion();
        }

        @Override
        public int getMinorVersion() {
            return driver.getMinorVersion();
        }

        @Override
        public boolean jdbcCompliant() {
            return driver.jdbcCompliant();
        }

        @Override
        public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
            return driver.getParentLogger();
        }

        @Override
        public String toString() {
            return "drop-in " + driver.getClass().getName();
        }
    }
}
