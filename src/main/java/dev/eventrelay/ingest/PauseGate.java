package dev.eventrelay.ingest;

import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.ImportStates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * What the runners of SFTP imports and warehouse syncs ask before they start a run: whether ops paused
 * the import. A paused import refuses runs asked for through the API (with the reason) and skips its
 * schedule, saying so in the log and in the error log.
 */
public final class PauseGate {

    private static final Logger LOG = LoggerFactory.getLogger(PauseGate.class);

    private final ImportStates states;
    private final ErrorLog errors;
    private final Clock clock;

    public PauseGate(ImportStates states, ErrorLog errors, Clock clock) {
        this.states = states;
        this.errors = errors;
        this.clock = clock;
    }

    /** Why a run of the import may not start now, when it is paused; {@code kind} is "import" or "sync". */
    public Optional<String> refusal(String kind, String name) {
        return states.paused(name).map(pause -> kind + " '" + name + "' is " + pause.describe()
                + "; POST /api/imports/" + name + "/resume resumes it");
    }

    /** True when the import is paused: its scheduled run is skipped, with a log line and an error-log entry. */
    public boolean skipsSchedule(String kind, String name) {
        Optional<ImportStates.Pause> pause = states.paused(name);
        if (pause.isEmpty()) {
            return false;
        }
        String summary = kind + " '" + name + "' " + pause.get().describe() + ", schedule skipped";
        LOG.info("Scheduled run of {} '{}' skipped: {}", kind, name, pause.get().describe());
        errors.record(name, "schedule-skipped", summary, null, clock.instant());
        return true;
    }
}
