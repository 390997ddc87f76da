package dev.eventrelay.bench;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The state store of a benchmark: the embedded store is the one the service ships as its default, read from the
 * same place the service reads it ({@code relay.store.url} in {@code application.properties}), with its folder
 * ({@code ./data/}) moved into the benchmark's work folder. So the benchmark follows the embedded default whatever
 * it is (H2 today, SQLite next), with the same URL settings and so the same durability.
 */
final class BenchStores {

    private static final String DATA = "./data/";

    private BenchStores() {
    }

    /** The shipped embedded store URL, its files under {@code dir}. */
    static String embedded(Path dir) {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read application.properties for relay.store.url", e);
        }
        String url = shipped.getProperty("relay.store.url", "").strip();
        if (!url.contains(DATA)) {
            throw new IllegalStateException("relay.store.url in application.properties (" + url + ") has no " + DATA
                    + " folder to move into the benchmark's work folder");
        }
        return url.replace(DATA, dir.toAbsolutePath() + "/");
    }

    /** A short name of the store kind for the table: the JDBC subprotocol (h2, sqlite, postgresql). */
    static String kind(String url) {
        String rest = url.substring("jdbc:".length());
        return rest.substring(0, rest.indexOf(':'));
    }

    /** The store user the service would use for {@code url} (the shipped user for the embedded store). */
    static String user(String url) {
        return url.startsWith("jdbc:postgresql:") ? dev.eventrelay.support.StoreDatabases.POSTGRES_USER : "sa";
    }

    static String password(String url) {
        return url.startsWith("jdbc:postgresql:") ? dev.eventrelay.support.StoreDatabases.POSTGRES_PASSWORD : "";
    }
}
