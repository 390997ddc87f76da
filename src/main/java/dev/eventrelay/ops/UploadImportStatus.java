package dev.eventrelay.ops;

import dev.eventrelay.ingest.upload.UploadImportConfig;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.state.RunStore;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An import that takes uploads only, as {@code GET /api/imports} shows it: kind {@code upload},
 * {@code Launched} (or {@code Draft} when disabled), no schedule, its last run and the age of its
 * newest imported file.
 */
final class UploadImportStatus {

    private UploadImportStatus() {
    }

    static Map<String, Object> json(UploadImportConfig config, RunStore runs, Clock clock) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", config.name());
        item.put("kind", "upload");
        item.put("status", config.enabled() ? "Launched" : "Draft");
        item.put("schedule", null);
        item.put("time_zone", config.zone().getId());
        item.put("next_run", null);
        item.put("channel", config.channel());
        item.put("upload", "/api/imports/" + config.name() + "/upload");
        item.put("last_run", runs.last(config.name()).map(OpsApi::runJson).orElse(null));
        Optional<Instant> newest = runs.newestImportedFile(config.name());
        item.put("newest_data_at", newest.map(EventJson::rfc3339).orElse(null));
        item.put("freshness_seconds", newest.map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(null));
        return item;
    }
}
