package dev.eventrelay.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.boot.App;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListener;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The real service for a test: Camel main with the shipped {@code application.properties} and
 * {@code routes/}, plus the test's overrides (its own store, SFTP server, outbox and HTTP port).
 */
public final class RelayUnderTest implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> overrides;
    private final int port;
    private Main main;

    public RelayUnderTest(Map<String, String> overrides) throws IOException {
        this.overrides = new LinkedHashMap<>(overrides);
        this.port = freePort();
        this.overrides.put("camel.server.port", String.valueOf(port));
        this.overrides.putIfAbsent("relay.embedded-sftp.enabled", "false");
        this.overrides.putIfAbsent("relay.delivery.poll-interval.seconds", "0.1");
    }

    public RelayUnderTest start() throws Exception {
        return start(new MainListener[0]);
    }

    /** Starts with {@code listeners}, e.g. one that advises a route once routes are loaded, before they start. */
    public RelayUnderTest start(MainListener... listeners) throws Exception {
        FastRun.refuse("the service (RelayUnderTest)");
        main = App.create("file:application.properties");
        overrides.forEach(main::addOverrideProperty);
        for (MainListener listener : listeners) {
            main.addMainListener(listener);
        }
        main.start();
        return this;
    }

    public void stop() {
        if (main != null) {
            main.stop();
            main = null;
        }
    }

    public Main main() {
        return main;
    }

    /** GET with the API token of the configuration ({@code relay.api.token}), when there is one. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return request("GET", path, bearer());
    }

    /** POST without a body, with the API token of the configuration, when there is one. */
    public HttpResponse<String> post(String path) throws IOException, InterruptedException {
        return request("POST", path, bearer());
    }

    /** A request with this {@code Authorization} header (none when null). */
    public HttpResponse<String> request(String method, String path, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String bearer() {
        String token = overrides.get("relay.api.token");
        return token == null || token.isBlank() ? null : "Bearer " + token;
    }

    /** A request with any method and no body, e.g. to see what the API answers to a method a path does not take. */
    public HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs {@code body} with the given content type. */
    public HttpResponse<String> post(String path, HttpRequest.BodyPublisher body, String contentType)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType).POST(body).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The port of the ops API. */
    public int port() {
        return port;
    }

    public JsonNode getJson(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(path);
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    /** The hook {@code name} as {@code GET /api/hooks} shows it. */
    public JsonNode hook(String name) throws IOException, InterruptedException {
        for (JsonNode hook : getJson("/api/hooks").get("hooks")) {
            if (hook.get("name").asText().equals(name)) {
                return hook;
            }
        }
        throw new AssertionError("GET /api/hooks shows no hook named " + name);
    }

    /** Starts a run of the import through the API and waits until it has ended; returns the run with its files. */
    public JsonNode runImport(String name) throws Exception {
        HttpResponse<String> started = post("/api/imports/" + name + "/run");
        if (started.statusCode() != 202) {
            throw new AssertionError("run of " + name + " answered " + started.statusCode() + ": " + started.body());
        }
        String runId = JSON.readTree(started.body()).get("run_id").asText();
        return await("run " + runId + " to end", Duration.ofSeconds(60), () -> getJson("/api/runs/" + runId),
                run -> !run.get("processing_status").isNull()
                        && !"Processing".equals(run.get("processing_status").asText()));
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Something a test can poll. */
    @FunctionalInterface
    public interface Probe<T> {
        T get() throws Exception;
    }

    /** Polls {@code probe} until {@code done} holds or the deadline passes (then fails with the last value). */
    public static <T> T await(String what, Duration timeout, Probe<T> probe, Predicate<T> done) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        T value = probe.get();
        while (!done.test(value)) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what + "; last seen: " + value);
            }
            Thread.onSpinWait();
            synchronized (RelayUnderTest.class) {
                RelayUnderTest.class.wait(50);
            }
            value = probe.get();
        }
        return value;
    }

    /** A port free on this machine now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
