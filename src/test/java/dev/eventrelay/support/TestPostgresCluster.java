package dev.eventrelay.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own, so a test may stop and start it without touching the machine's shared
 * server on 5432: Debian's {@code initdb} and {@code pg_ctl} make a cluster in a temporary folder, listening on
 * 127.0.0.1 and a free port, trust auth, user {@code postgres}. {@link #close()} stops it and deletes the folder.
 * Run as root, the commands run as the {@code postgres} user (PostgreSQL refuses to run as root).
 */
public final class TestPostgresCluster implements AutoCloseable {

    private final Path dir;
    private final Path data;
    private final int port;
    private final String bin;

    private TestPostgresCluster(Path dir, int port, String bin) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
        this.bin = bin;
    }

    /** Makes the cluster and starts it (a few seconds). */
    public static TestPostgresCluster start() throws Exception {
        FastRun.refuse("a PostgreSQL cluster (TestPostgresCluster)");
        Path dir = Files.createTempDirectory("relay-pg-");
        TestPostgresCluster pg = new TestPostgresCluster(dir, RelayUnderTest.freePort(), binaries());
        try {
            ServerCommands.handOver("postgres", dir.toFile());
            pg.as("initdb", "-D", pg.data.toString(), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync");
            pg.startServer();
        } catch (Exception e) {
            pg.close();
            throw e;
        }
        return pg;
    }

    /** The JDBC URL of the database {@code postgres}. */
    public String url() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** Stops the server (fast mode: open sessions are cut, as a crash or a restart by ops cuts them). */
    public void stopServer() throws Exception {
        as("pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "stop");
    }

    /** Starts the server and waits until it accepts connections. */
    public void startServer() throws Exception {
        as("pg_ctl", "-D", data.toString(), "-w", "-t", "60", "-l", dir.resolve("server.log").toString(),
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -k " + dir + " -c fsync=off", "start");
    }

    @Override
    public void close() throws Exception {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                stopServer();
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private void as(String program, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(bin + "/" + program));
        command.addAll(List.of(args));
        ServerCommands.runAs("postgres", java.util.Map.of(), command);
    }

    /** The newest PostgreSQL's binaries under /usr/lib/postgresql. */
    private static String binaries() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.filter(v -> Files.isExecutable(v.resolve("bin/pg_ctl")))
                    .max(Comparator.comparing(v -> Integer.parseInt(v.getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IOException("no PostgreSQL binaries under /usr/lib/postgresql"))
                    .resolve("bin").toString();
        }
    }
}
