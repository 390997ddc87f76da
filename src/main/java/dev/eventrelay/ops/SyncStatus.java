package dev.eventrelay.ops;

import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.state.WarehouseCursors;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A warehouse sync as {@code GET /api/imports} shows it: the contract's sync health word
 * ({@code Scheduled}, {@code In progress}, {@code Completed}, {@code Error}, {@code Failed}, {@code Paused}
 * by ops, {@code Disabled} by {@code relay.sync.<name>.enabled=false}), schedule, next run, last run, its pause,
 * and freshness (the change timestamp of the newest published row, and its age).
 */
final class SyncStatus {

    private SyncStatus() {
    }

    static Map<String, Object> json(WarehouseSyncConfig config, ImportStates states, RunStore runs,
                                    WarehouseCursors cursors, Clock clock) {
        Optional<Run> last = runs.last(config.name());
        Optional<ImportStates.Pause> pause = config.enabled() ? states.paused(config.name()) : Optional.empty();
        boolean scheduled = config.enabled() && pause.isEmpty();
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", config.name());
        item.put("kind", "warehouse");
        item.put("status", !config.enabled() ? "Disabled" : pause.isPresent() ? "Paused" : health(last));
        item.put("schedule", config.schedule());
        item.put("time_zone", "UTC");
        item.put("next_run", scheduled ? ImportStatus.nextRun(config.schedule(), ZoneOffset.UTC, clock) : null);
        ImportStatus.putPause(item, pause);
        item.put("source", config.source());
        item.put("last_run", last.map(OpsApi::runJson).orElse(null));
        Optional<Instant> newest = cursors.find(config.name()).map(cursor -> cursor.changedAt().toInstant());
        item.put("newest_data_at", newest.map(EventJson::rfc3339).orElse(null));
        item.put("freshness_seconds", newest.map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(null));
        return item;
    }

    /** A sync left out at start-up because its configuration is wrong. */
    static Map<String, Object> notStarted(String name, String reason) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", name);
        item.put("kind", "warehouse");
        item.put("status", "Failed");
        item.put("reason", reason);
        return item;
    }

    static String health(Optional<Run> last) {
        if (last.isEmpty()) {
            return "Scheduled";
        }
        Run run = last.get();
        if (Status.FETCHING.equals(run.fetchStatus()) || Status.PROCESSING.equals(run.processingStatus())) {
            return "In progress";
        }
        return Status.FAILED.equals(run.processingStatus()) || Status.FAILED.equals(run.fetchStatus())
                ? "Error" : "Completed";
    }
}
