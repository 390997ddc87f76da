package dev.eventrelay.ops;

import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import org.apache.camel.Exchange;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /health}: whether the service can work, and which of its parts is down.
 *
 * <p>The answer is {@code UP} (200) while the state store answers, {@code DOWN} (503) when it does not:
 * without the store nothing can be imported or delivered, while a remote that is down (an SFTP server,
 * a warehouse, a hook's receiver) stops only its own import, sync or hook, which retries on its own;
 * restarting the service or taking it out of rotation would not help them. Each part is listed under
 * {@code checks} with its own {@code UP} or {@code DOWN} and the reason, and {@code down} names the
 * parts that are down:
 * <ul>
 *   <li>{@code import:<name>}: DOWN when its last run failed (for example the SFTP server could not be
 *   reached or refused the login), with the run's reason;</li>
 *   <li>{@code sync:<name>}: DOWN when its last run failed, or when it is not started because its
 *   configuration is wrong, with the reason;</li>
 *   <li>{@code hook:<name>}: DOWN when its last attempt failed (it is retrying, or its last batch went
 *   to dead letters), with the last error; UP again after the next delivery. Disabled hooks are left out.</li>
 * </ul>
 */
public final class Health {

    private static final String UP = "UP";
    private static final String DOWN = "DOWN";

    private final SftpImportRunner imports;
    private final WarehouseSyncRunner syncs;
    private final HookDelivery delivery;
    private final HookStates hookStates;
    private final RunStore runs;
    private final StateStore store;
    private final InstancesApi instances;

    public Health(SftpImportRunner imports, WarehouseSyncRunner syncs, HookDelivery delivery, HookStates hookStates,
                  RunStore runs, StateStore store, InstancesApi instances) {
        this.instances = instances;
        this.imports = imports;
        this.syncs = syncs;
        this.delivery = delivery;
        this.hookStates = hookStates;
        this.runs = runs;
        this.store = store;
    }

    /** {@code GET /health}: sets the answer. */
    public void health(Exchange exchange) {
        boolean storeUp = store.isUp();
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("state_store", check(storeUp, null));
        if (storeUp) {
            for (String name : imports.imports().keySet()) {
                checks.put("import:" + name, run(runs.last(name)));
            }
            for (String name : syncs.syncs().keySet()) {
                checks.put("sync:" + name, run(runs.last(name)));
            }
            syncs.notStarted().forEach((name, reason) -> checks.put("sync:" + name,
                    check(false, "not started: " + reason)));
            for (HookConfig hook : delivery.hooks().values()) {
                if (hook.enabled()) {
                    checks.put("hook:" + hook.name(), hook(hookStates.get(hook.name())));
                }
            }
        }
        List<String> down = new ArrayList<>();
        checks.forEach((name, check) -> {
            if (DOWN.equals(((Map<?, ?>) check).get("status"))) {
                down.add(name);
            }
        });
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", storeUp ? UP : DOWN);
        json.put("down", down);
        json.put("instance", instances.self());
        json.put("instances", storeUp ? instances.live() : List.of());
        json.put("checks", checks);
        HttpAnswers.json(exchange, storeUp ? 200 : 503, json);
    }

    private static Map<String, Object> run(Optional<Run> last) {
        if (last.isEmpty()) {
            Map<String, Object> check = check(true, null);
            check.put("last_run", null);
            return check;
        }
        Run run = last.get();
        boolean failed = Status.FAILED.equals(run.fetchStatus()) || Status.FAILED.equals(run.processingStatus());
        Map<String, Object> check = check(!failed, failed ? run.reason() : null);
        check.put("last_run", run.processingStatus() == null ? run.fetchStatus() : run.processingStatus());
        check.put("last_run_id", run.id());
        return check;
    }

    private static Map<String, Object> hook(HookStates.State state) {
        boolean failing = HookStates.RETRYING.equals(state.lastOutcome())
                || HookStates.DEAD_LETTERED.equals(state.lastOutcome());
        Map<String, Object> check = check(!failing, failing ? state.lastErrorSummary() : null);
        if (failing) {
            check.put("code", state.lastErrorCode());
            check.put("external_message", state.lastErrorMessage());
            check.put("last_error_at", HttpAnswers.time(state.lastErrorAt()));
        }
        return check;
    }

    private static Map<String, Object> check(boolean up, String reason) {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("status", up ? UP : DOWN);
        if (reason != null) {
            check.put("reason", reason);
        }
        return check;
    }
}
