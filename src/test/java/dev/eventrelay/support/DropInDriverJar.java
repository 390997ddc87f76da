package dev.eventrelay.support;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * A JDBC driver that is not on the test class path, built by the test: a small driver for the URL scheme
 * {@code jdbc:<scheme>:}, compiled here and packed as {@code drop-in-driver.jar} with its
 * {@code META-INF/services/java.sql.Driver}, that opens {@code jdbc:h2:<rest>} through an H2 driver of its own class
 * loader (its sources are compiled beside the drivers folder). {@link #writeTo} puts it, with a copy of H2's jar, into a sub-folder of a drivers folder (a driver with the
 * jars it needs); the scheme is new per instance, so no driver the JVM registered before can serve it.
 */
public final class DropInDriverJar {

    private final String scheme = "relaytest" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);

    /** The URL prefix the driver takes, e.g. {@code jdbc:relaytest1a2b3c4d:}. */
    public String prefix() {
        return "jdbc:" + scheme + ":";
    }

    /** Writes {@code <driversFolder>/<scheme>/drop-in-driver.jar} and a copy of H2's jar beside it; returns the sub-folder. */
    public Path writeTo(Path driversFolder) throws IOException {
        Path plugin = Files.createDirectories(driversFolder.resolve(scheme));
        Path h2 = h2Jar();
        Path sources = Files.createDirectories(driversFolder.toAbsolutePath().getParent().resolve("drop-in-driver-src"));
        Path source = Files.createDirectories(sources.resolve(scheme)).resolve("DropInDriver.java");
        Files.writeString(source, """
                package SCHEME;

                import java.sql.*;
                import java.util.Properties;

                public final class DropInDriver implements Driver {
                    private static final String PREFIX = "jdbc:SCHEME:";
                    private final Driver h2 = new org.h2.Driver();

                    public Connection connect(String url, Properties info) throws SQLException {
                        return acceptsURL(url) ? h2.connect("jdbc:h2:" + url.substring(PREFIX.length()), info) : null;
                    }
                    public boolean acceptsURL(String url) { return url != null && url.startsWith(PREFIX); }
                    public DriverPropertyInfo[] getPropertyInfo(String url, Properties info) { return new DriverPropertyInfo[0]; }
                    public int getMajorVersion() { return 1; }
                    public int getMinorVersion() { return 0; }
                    public boolean jdbcCompliant() { return false; }
                    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
                        throw new SQLFeatureNotSupportedException();
                    }
                }
                """.replace("SCHEME", scheme));
        Path classes = Files.createDirectories(sources.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status = javac.run(null, null, null, "--release", "17", "-classpath", h2.toString(), "-d", classes.toString(),
                source.toString());
        if (status != 0) {
            throw new IOException("javac failed on the drop-in driver (" + status + ")");
        }
        Path jar = plugin.resolve("drop-in-driver.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
            out.putNextEntry(new JarEntry("META-INF/services/java.sql.Driver"));
            out.write((scheme + ".DropInDriver\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            out.putNextEntry(new JarEntry(scheme + "/DropInDriver.class"));
            out.write(Files.readAllBytes(classes.resolve(scheme).resolve("DropInDriver.class")));
        }
        Files.copy(h2, plugin.resolve(h2.getFileName()));
        return plugin;
    }

    /** Whether {@code className} is the drop-in driver's class. */
    public boolean isDriver(String className) {
        return className.equals(scheme + ".DropInDriver");
    }

    private static Path h2Jar() throws IOException {
        try {
            return Path.of(org.h2.Driver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
