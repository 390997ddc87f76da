package dev.eventrelay.ops;

import dev.eventrelay.state.Instances;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.RunOwnership.OwnedRun;
import org.apache.camel.Exchange;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@code GET /api/instances}: the live instances of the store (their lease has not expired), each with its lease's
 * age and what it owns: the runs under way it executes ({@code owns.runs}) and the hooks it delivers
 * ({@code owns.hooks}, from the hooks' leases). {@code GET /health} lists the same objects.
 */
public final class InstancesApi {

    private final Instances instances;
    private final RunOwnership ownership;
    private final Supplier<Map<String, List<String>>> hooksByOwner;

    /** @param hooksByOwner the hooks each instance delivers, by instance id (none yet: {@code Map::of}) */
    public InstancesApi(Instances instances, RunOwnership ownership, Supplier<Map<String, List<String>>> hooksByOwner) {
        this.instances = instances;
        this.ownership = ownership;
        this.hooksByOwner = hooksByOwner;
    }

    /** This instance's id. */
    public String self() {
        return instances.id();
    }

    /** {@code GET /api/instances}: sets the answer. */
    public void list(Exchange exchange) {
        HttpAnswers.json(exchange, 200, Map.of("instances", live()));
    }

    /** The live instances as the API answers them, by id. */
    public List<Map<String, Object>> live() {
        Instant now = instances.clock().instant();
        Map<String, List<OwnedRun>> runs = ownership.underWayByOwner();
        Map<String, List<String>> hooks = hooksByOwner.get();
        return instances.live().stream().map(instance -> {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", instance.id());
            json.put("host", instance.host());
            json.put("pid", instance.pid());
            json.put("started_at", HttpAnswers.time(instance.startedAt()));
            json.put("renewed_at", HttpAnswers.time(instance.renewedAt()));
            json.put("lease_seconds", instance.leaseSeconds());
            json.put("lease_age_seconds", Duration.between(instance.renewedAt(), now).toMillis() / 1000.0);
            json.put("self", instance.id().equals(instances.id()));
            Map<String, Object> owns = new LinkedHashMap<>();
            owns.put("runs", runs.getOrDefault(instance.id(), List.of()).stream().map(run -> Map.of(
                    "run_id", run.runId(), "name", run.name(), "kind", run.kind())).toList());
            owns.put("hooks", hooks.getOrDefault(instance.id(), List.of()));
            json.put("owns", owns);
            return json;
        }).toList();
    }
}
