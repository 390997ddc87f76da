package dev.eventrelay.ops;

import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.RunStore;
import org.quartz.CronExpression;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * An SFTP import as {@code GET /api/imports} shows it: the contract's import status word, schedule, next
 * run, last run, freshness (when its newest file was imported, and how long ago), and its pause.
 * <ul>
 *   <li>{@code Draft}: {@code relay.import.<name>.enabled=false}, never started;</li>
 *   <li>{@code Paused}: paused by ops; its schedule is skipped and run-now refused until resumed;</li>
 *   <li>{@code Completed}: a one-time import ({@code schedule = once}) one of whose runs ended Processed;</li>
 *   <li>{@code Launched}: active, on its schedule (or, for a one-time import, not yet completed).</li>
 * </ul>
 */
final class ImportStatus {

    static final String DRAFT = "Draft";
    static final String LAUNCHED = "Launched";
    static final String PAUSED = "Paused";
    static final String COMPLETED = "Completed";

    private ImportStatus() {
    }

    static Map<String, Object> json(SftpImportConfig config, ImportStates states, RunStore runs, Clock clock) {
        Optional<ImportStates.Pause> pause = config.enabled() ? states.paused(config.name()) : Optional.empty();
        String status = !config.enabled() ? DRAFT : pause.isPresent() ? PAUSED
                : config.once() && states.finishedARun(config.name()) ? COMPLETED : LAUNCHED;
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", config.name());
        item.put("kind", "sftp");
        item.put("status", status);
        item.put("schedule", config.schedule());
        item.put("time_zone", config.zone().getId());
        item.put("next_run", LAUNCHED.equals(status) ? nextRun(config.schedule(), config.zone(), clock) : null);
        putPause(item, pause);
        item.put("channel", config.channel());
        item.put("last_run", runs.last(config.name()).map(OpsApi::runJson).orElse(null));
        Optional<Instant> newest = runs.newestImportedFile(config.name());
        item.put("newest_data_at", newest.map(EventJson::rfc3339).orElse(null));
        item.put("freshness_seconds", newest.map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(null));
        return item;
    }

    /** {@code paused_at} and {@code paused_reason}: null unless the import is paused. */
    static void putPause(Map<String, Object> item, Optional<ImportStates.Pause> pause) {
        item.put("paused_at", pause.map(p -> HttpAnswers.time(p.at())).orElse(null));
        item.put("paused_reason", pause.map(ImportStates.Pause::reason).orElse(null));
    }

    /** The next time a Quartz cron schedule fires in {@code zone}, RFC 3339 UTC; null when it never does (or is {@code once}). */
    static String nextRun(String schedule, ZoneId zone, Clock clock) {
        try {
            CronExpression cron = new CronExpression(schedule);
            cron.setTimeZone(TimeZone.getTimeZone(zone));
            Date next = cron.getNextValidTimeAfter(Date.from(clock.instant()));
            return next == null ? null : EventJson.rfc3339(next.toInstant());
        } catch (ParseException e) {
            return null;
        }
    }
}
