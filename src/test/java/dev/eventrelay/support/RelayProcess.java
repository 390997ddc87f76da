package dev.eventrelay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real service as production runs it: {@code java -Xmx256m -jar target/event-relay.jar} in a process of
 * its own, started from the project root with the test's overrides in a profile read before the shipped
 * {@code application.properties}. A test can kill it as a crash does ({@link #kill()}: SIGKILL, no shutdown hook runs)
 * and start it again on the same state store. Each start's output goes to {@code target/fault-tests/}.
 */
public final class RelayProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/event-relay.jar");
    private static final Path LOGS = Path.of("target/fault-tests");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Path config;
    private final int port;
    private final List<Path> logs = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> systemProperties = new ArrayList<>();
    private Process process;

    /** Writes the configuration file into {@code dir}; nothing runs until {@link #start()}. */
    public RelayProcess(String name, Path dir, Map<String, String> overrides) throws IOException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run mvn package (mvn verify runs this test after it)");
        }
        this.name = name;
        this.port = RelayUnderTest.freePort();
        Map<String, String> all = new LinkedHashMap<>(overrides);
        all.put("camel.server.port", String.valueOf(port));
        all.putIfAbsent("relay.embedded-sftp.enabled", "false");
        all.putIfAbsent("relay.delivery.poll-interval.seconds", "0.1");
        // a profile read before the shipped file, as production does it: the first location that sets a key wins
        StringBuilder text = new StringBuilder("## Overrides of the test ").append(name).append('\n');
        all.forEach((key, value) -> text.append(key).append(" = ").append(value.replace("\\", "\\\\")).append('\n'));
        this.config = dir.resolve(name + ".properties");
        Files.writeString(config, text);
    }

    /**
     * The shipped embedded default moved into {@code dir}: its SFTP server on a free port, with the keys it makes on
     * first start, and a SQLite store file of its own; add or replace keys for the test.
     */
    public static Map<String, String> embeddedDefault(Path dir) throws IOException {
        Path keys = dir.resolve("embedded-sftp");
        Map<String, String> keysOf = new LinkedHashMap<>();
        keysOf.put("relay.store.url", StoreDatabases.sqlite(dir));
        keysOf.put("relay.embedded-sftp.enabled", "true");
        keysOf.put("relay.embedded-sftp.port", String.valueOf(RelayUnderTest.freePort()));
        keysOf.put("relay.embedded-sftp.folder", dir.resolve("sftp").toString());
        keysOf.put("relay.embedded-sftp.keys-folder", keys.toString());
        keysOf.put("relay.import.default.sftp.private-key-file", keys.resolve("client_key").toString());
        keysOf.put("relay.import.default.sftp.known-hosts-file", keys.resolve("known_hosts").toString());
        return keysOf;
    }

    /** Sets an environment variable of the process (from its next start on), e.g. {@code RELAY_STORE_URL}. */
    public RelayProcess withEnvironment(String variable, String value) {
        environment.put(variable, value);
        return this;
    }

    /** Passes {@code -Dkey=value} to the process (from its next start on). */
    public RelayProcess withSystemProperty(String key, String value) {
        systemProperties.add("-D" + key + "=" + value);
        return this;
    }

    /** Starts the process and waits until its ops API answers. */
    public RelayProcess start() throws Exception {
        FastRun.refuse("the service in a child process (RelayProcess)");
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " runs already");
        }
        Files.createDirectories(LOGS);
        Path log = LOGS.resolve(name + "-" + (logs.size() + 1) + ".log");
        logs.add(log);
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m",
                "-Drelay.config=file:" + config.toAbsolutePath() + ",file:application.properties"));
        command.addAll(systemProperties);
        command.addAll(List.of("-jar", JAR.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        RelayUnderTest.await(name + " to answer on port " + port + " (log: " + log + ")", Duration.ofSeconds(90),
                this::answers, up -> up || !process.isAlive());
        if (!process.isAlive()) {
            throw new AssertionError(name + " exited with " + process.exitValue() + " at start; see " + log);
        }
        return this;
    }

    /** Ends the process as a crash does: SIGKILL (what {@link Process#destroyForcibly()} sends on Linux). */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + process.pid() + ") did not end after SIGKILL");
            }
        }
    }

    /** Stops the process as ops do: SIGTERM, then Camel's graceful shutdown. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** The output of the latest start. */
    public Path log() {
        return logs.get(logs.size() - 1);
    }

    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** Asks for a run of the import or sync {@code name} now and returns its id. */
    public String runNow(String importName) throws IOException, InterruptedException {
        HttpResponse<String> started = post("/api/imports/" + importName + "/run");
        if (started.statusCode() != 202) {
            throw new AssertionError("run of " + importName + " answered " + started.statusCode() + ": "
                    + started.body());
        }
        return JSON.readTree(started.body()).get("run_id").asText();
    }

    /**
     * Ready: the route controller has started every route (it starts them after the HTTP server is up, so an
     * answer alone may still be Vert.x's 404 of a route not there yet) and the health route answers.
     */
    private boolean answers() {
        try {
            if (!Files.readString(log()).contains("Routes startup (total:")) {
                return false;
            }
            int status = get("/health").statusCode();
            return status == 200 || status == 503;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
