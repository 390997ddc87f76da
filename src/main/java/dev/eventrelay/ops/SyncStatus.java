package dev.eventrelay.ops;

import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.state.WarehouseCursors;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * A warehouse sync as {@code GET /api/imports} shows it: the contract's sync health word
 * ({@code Scheduled}, {@code In progress}, {@code Completed}, {@code Error}, {@code Failed}), schedule,
 * next run, last run, and freshness (the change timestamp of the newest published row, and its age).
 */
final class SyncStatus {

    private SyncStatus() {
    }

    static Map<String, Object> json(WarehouseSyncConfig config, RunStore runs, WarehouseCursors cursors, Clock clock) {
        Optional<Run> last = runs.last(config.name());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", config.name());
        item.put("kind", "warehouse");
        item.put("status", health(last));
        item.put("schedule", config.schedule());
        item.put("time_zone", "UTC");
        item.put("next_run", nextRun(config.schedule(), clock));
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

    private static String nextRun(String schedule, Clock clock) {
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone("UTC"));
            Date next = cron.getNextValidTimeAfter(Date.from(clock.instant()));
            return next == null ? null : EventJson.rfc3339(next.toInstant());
        } catch (ParseException e) {
            return null;
        }
    }
}
