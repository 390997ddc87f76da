package dev.eventrelay.ingest;

import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.StateStoreException;
import dev.eventrelay.systemevents.SystemEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Records that a run of an import or a sync failed: the run and its unfinished files {@code Failed} with the
 * reason, those files freed in the ledger, the run's unpublished events dropped (so the next run imports the files
 * whole; {@link FileFailures#runFailed} decides what becomes of the files), an entry in the error log and the system
 * event {@code relay_run_failed}. When
 * the failure is the state store itself going away, none of that can be written now: the failure is kept and
 * written by {@link #recordPending()}, which every start of a run calls first, so a run cut short by a store outage
 * never stays {@code Processing} and never blocks its import. (A stop while the store is down loses the kept
 * failure; the recovery ({@code ingest.recovery.InterruptedRuns}) then does the same.) A run that another instance
 * took over meanwhile (this one lost its lease) is left as that one recorded it.
 */
public final class RunFailures {

    private static final Logger LOG = LoggerFactory.getLogger(RunFailures.class);

    private record Failure(String source, String summary, String reason) {
    }

    private final StateStore store;
    private final FileFailures fileFailures;
    private final ErrorLog errors;
    private final Clock clock;
    private final SystemEvents systemEvents;
    private final Map<String, Failure> pending = new LinkedHashMap<>();

    public RunFailures(StateStore store, FileFailures fileFailures, ErrorLog errors, Clock clock,
                       SystemEvents systemEvents) {
        this.store = store;
        this.fileFailures = fileFailures;
        this.errors = errors;
        this.clock = clock;
        this.systemEvents = systemEvents;
    }

    /** Records the failure of run {@code runId} of {@code source} now, or once the state store answers again. */
    public void fail(String source, String runId, String summary, String reason) {
        Failure failure = new Failure(source, summary, reason);
        try {
            record(runId, failure, clock.instant());
        } catch (StateStoreException storeDown) {
            synchronized (this) {
                pending.put(runId, failure);
            }
            LOG.warn("Run {} of '{}' failed and the state store cannot record it now ({}); it is recorded at the"
                    + " next start of a run", runId, source, storeDown.getMessage());
        }
    }

    /** Writes the failures kept while the store was down; throws (and keeps them) while it still is. */
    public synchronized void recordPending() {
        for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Failure> entry = it.next();
            record(entry.getKey(), entry.getValue(), clock.instant());
            it.remove();
            LOG.info("Run {} of '{}' recorded as Failed now that the state store answers", entry.getKey(),
                    entry.getValue().source());
        }
    }

    private void record(String runId, Failure failure, Instant now) {
        if (store.inTransaction(c -> fileFailures.runFailed(c, runId, failure.reason(), now)) < 0) {
            LOG.info("Run {} of '{}' was taken over by another instance before its failure was recorded here;"
                    + " its failure is not recorded again", runId, failure.source());
            return;
        }
        errors.record(failure.source(), "run-failed", failure.summary(), failure.reason(), now);
        systemEvents.runFailed(runId, failure.reason());
    }
}
