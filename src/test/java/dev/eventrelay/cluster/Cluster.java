package dev.eventrelay.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayProcess;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Instances of the real jar on one state store, each its own JVM ({@link RelayProcess}, {@code -Xmx256m}) with its
 * own {@code relay.instance.id} and port and the same configuration otherwise, and what they say of each other
 * ({@code GET /api/instances}). {@link #close()} stops every JVM it started, also when a test fails half-way.
 */
final class Cluster implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String label;
    private final Path dir;
    private final Map<String, String> shared;
    private final Map<String, RelayProcess> instances = new LinkedHashMap<>();

    /** {@code label} prefixes the processes' names, so each test's logs in target/fault-tests/ stay apart. */
    Cluster(String label, Path dir, Map<String, String> shared) {
        this.label = label;
        this.dir = dir;
        this.shared = Map.copyOf(shared);
    }

    /** Starts the instance {@code id} and waits until it answers. */
    RelayProcess start(String id) throws Exception {
        return startAll(id).get(0);
    }

    /** Starts the instances side by side (they contend for the store as replicas do) and waits until each answers. */
    List<RelayProcess> startAll(String... ids) throws Exception {
        List<RelayProcess> started = new ArrayList<>();
        for (String id : ids) {
            if (instances.containsKey(id)) {
                throw new IllegalStateException("instance " + id + " was started already");
            }
            Map<String, String> config = new LinkedHashMap<>(shared);
            config.put("relay.instance.id", id);
            RelayProcess process = new RelayProcess(label + "-" + id, dir, config);
            instances.put(id, process);
            started.add(process);
        }
        ExecutorService starter = Executors.newFixedThreadPool(ids.length);
        try {
            List<Future<RelayProcess>> starts = new ArrayList<>();
            for (RelayProcess process : started) {
                starts.add(starter.submit(process::start));
            }
            for (Future<RelayProcess> start : starts) {
                start.get(3, TimeUnit.MINUTES);
            }
        } finally {
            starter.shutdownNow();
        }
        return started;
    }

    RelayProcess instance(String id) {
        RelayProcess process = instances.get(id);
        if (process == null) {
            throw new IllegalArgumentException("no instance " + id + " was started");
        }
        return process;
    }

    /** The id the test gave {@code process}. */
    String idOf(RelayProcess process) {
        return instances.entrySet().stream().filter(e -> e.getValue() == process).map(Map.Entry::getKey)
                .findFirst().orElseThrow();
    }

    /** The ids of the instances whose JVM runs, in the order they were started. */
    List<String> alive() {
        return instances.entrySet().stream().filter(e -> e.getValue().isAlive()).map(Map.Entry::getKey).toList();
    }

    /** Any instance whose JVM runs (the first started), to ask what the cluster holds. */
    RelayProcess anyAlive() {
        return instances.values().stream().filter(RelayProcess::isAlive).findFirst()
                .orElseThrow(() -> new AssertionError("no instance of the cluster is running"));
    }

    /**
     * {@code GET /api/instances} of a running instance: the list of live instances with what each owns; empty when
     * the endpoint does not answer 200 (an instance that does not know of the others).
     */
    Optional<JsonNode> view() throws IOException, InterruptedException {
        HttpResponse<String> response = anyAlive().get("/api/instances");
        if (response.statusCode() != 200) {
            return Optional.empty();
        }
        return Optional.of(JSON.readTree(response.body()).path("instances"));
    }

    /** What {@code GET /api/instances} answered, for a message. */
    String describeView() throws IOException, InterruptedException {
        HttpResponse<String> response = anyAlive().get("/api/instances");
        return "GET /api/instances answered " + response.statusCode() + ": "
                + (response.body().length() > 600 ? response.body().substring(0, 600) + "…" : response.body());
    }

    /** The ids of the live instances as {@code GET /api/instances} lists them; empty when it does not answer. */
    List<String> liveIds() throws IOException, InterruptedException {
        List<String> ids = new ArrayList<>();
        view().ifPresent(list -> list.forEach(i -> ids.add(i.path("id").asText())));
        return ids;
    }

    /** The running instance that owns the run {@code runId} ({@code owns.runs}), if one is listed. */
    Optional<RelayProcess> ownerOfRun(String runId) throws IOException, InterruptedException {
        Optional<JsonNode> view = view();
        if (view.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode instance : view.get()) {
            for (JsonNode run : instance.path("owns").path("runs")) {
                if (runId.equals(run.path("run_id").asText())) {
                    return running(instance.path("id").asText());
                }
            }
        }
        return Optional.empty();
    }

    /** The running instances that deliver the hook {@code hook} ({@code owns.hooks}), in the order listed. */
    List<RelayProcess> ownersOfHook(String hook) throws IOException, InterruptedException {
        List<RelayProcess> owners = new ArrayList<>();
        for (String id : hookOwners().getOrDefault(hook, List.of())) {
            running(id).ifPresent(owners::add);
        }
        return owners;
    }

    /** Hook name → the ids of the instances that list it in {@code owns.hooks}; empty when the endpoint is missing. */
    Map<String, List<String>> hookOwners() throws IOException, InterruptedException {
        Map<String, List<String>> owners = new LinkedHashMap<>();
        view().ifPresent(list -> list.forEach(instance -> instance.path("owns").path("hooks").forEach(hook ->
                owners.computeIfAbsent(hook.asText(), h -> new ArrayList<>()).add(instance.path("id").asText()))));
        return owners;
    }

    private Optional<RelayProcess> running(String id) {
        RelayProcess process = instances.get(id);
        return process != null && process.isAlive() ? Optional.of(process) : Optional.empty();
    }

    /** The log of each instance's latest start, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder();
        instances.forEach((id, process) -> {
            try {
                out.append(id).append(": ").append(process.log()).append(process.isAlive() ? " (running)" : " (ended)");
            } catch (IndexOutOfBoundsException neverStarted) {
                out.append(id).append(": never started");
            }
            out.append('\n');
        });
        return out.toString();
    }

    /** Stops every instance still running, gracefully (SIGTERM, then SIGKILL after a minute), side by side. */
    @Override
    public void close() throws Exception {
        List<Thread> stops = new ArrayList<>();
        for (RelayProcess process : instances.values()) {
            Thread stop = new Thread(() -> {
                try {
                    process.stop();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "stop-" + idOf(process));
            stop.start();
            stops.add(stop);
        }
        for (Thread stop : stops) {
            stop.join(TimeUnit.SECONDS.toMillis(90));
        }
        for (RelayProcess process : instances.values()) {
            if (process.isAlive()) {
                process.kill();
            }
        }
    }
}
