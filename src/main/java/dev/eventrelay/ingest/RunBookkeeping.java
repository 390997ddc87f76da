package dev.eventrelay.ingest;

import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.systemevents.SystemEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The start and the end of the runs of SFTP imports and warehouse syncs, the same for both: a run is refused while
 * its import is paused or has a run under way on any instance of the store, a scheduled run of a paused or busy
 * import is skipped with a log line (once per run under way), and a run ends {@code Processed} or {@code Failed} (through {@link RunFailures}) with its duration in the
 * metrics, and the system event {@code relay_run_processed} (a failure's {@code relay_run_failed} comes from
 * {@link RunFailures}). {@code kind} is the word ops read ("import" or "sync"), {@code runKind} the run's kind ("sftp",
 * "warehouse").
 */
public final class RunBookkeeping {

    private static final Logger LOG = LoggerFactory.getLogger(RunBookkeeping.class);

    private final RunStore runs;
    private final PauseGate pauses;
    private final RunFailures failures;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final SystemEvents systemEvents;
    private final String instanceId;
    /** The run under way for which a scheduled run of each import was last skipped (logged once per run). */
    private final Map<String, String> skippedFor = new ConcurrentHashMap<>();

    public RunBookkeeping(RunStore runs, PauseGate pauses, RunFailures failures, Clock clock, RelayMetrics metrics,
                          SystemEvents systemEvents, String instanceId) {
        this.instanceId = instanceId;
        this.runs = runs;
        this.pauses = pauses;
        this.failures = failures;
        this.clock = clock;
        this.metrics = metrics;
        this.systemEvents = systemEvents;
    }

    public RunStore runs() {
        return runs;
    }

    public Clock clock() {
        return clock;
    }

    /** Writes the run failures kept while the state store was down; throws while it still is. */
    public void recordPendingFailures() {
        failures.recordPending();
    }

    /** This instance's id: the owner of the runs it records, which it also executes. */
    public String instanceId() {
        return instanceId;
    }

    /**
     * Records a new run of {@code name}, owned by this instance, after the caller's own checks; refuses when it is
     * paused or a run of it is under way on any instance ({@code underWay} says how the refusal names that run).
     * The store decides (one run under way per import, {@link RunStore#tryCreate}): of two instances asked at once,
     * one records the run and the other refuses. With {@code once} (a one-time import) it also refuses once a run
     * of the import has ended Processed.
     */
    public String create(String kind, String runKind, String name, String trigger, Function<Run, String> underWay,
                         boolean once) {
        pauses.refusal(kind, name).ifPresent(reason -> {
            throw new RunRefusedException(reason);
        });
        RunStore.Created created = runs.tryCreate(name, runKind, trigger, instanceId, once, clock.instant());
        if (created.runId() != null) {
            return created.runId();
        }
        if (created.refused() == RunStore.NotCreated.PROCESSED) {
            throw new RunRefusedException("one-time " + kind + " '" + name + "' is Completed: one of its runs ended"
                    + " Processed");
        }
        Optional<Run> active = runs.active(name);
        throw active.map(run -> new RunRefusedException("run " + run.id() + " of " + kind + " '" + name
                        + "' is still " + underWay.apply(run), run.id()))
                .orElseGet(() -> new RunRefusedException("a run of " + kind + " '" + name + "' was under way; it"
                        + " has just ended, ask again"));
    }

    /**
     * Starts a scheduled run through {@code start}; null (and a log line) when paused or refused. A run under way
     * (here or on another instance) is logged once per run, not at every tick.
     */
    public String startScheduled(String kind, String name, UnaryOperator<String> start) {
        if (pauses.skipsSchedule(kind, name)) {
            return null;
        }
        try {
            String runId = start.apply(name);
            skippedFor.remove(name);
            return runId;
        } catch (RunRefusedException e) {
            String run = e.runUnderWay();
            if (run == null || !run.equals(skippedFor.put(name, run))) {
                LOG.warn("Scheduled run of {} '{}' skipped: {}", kind, name, e.getMessage());
            }
            return null;
        }
    }

    /** The run {@code runId}, recorded by a start. */
    public Run find(String runId) {
        return runs.find(runId).orElseThrow(() -> new IllegalArgumentException("no run " + runId));
    }

    /** The run ended well: {@code Processed}, and its duration since {@code started} in the metrics. */
    public void processed(String name, String runKind, String runId, Instant started) {
        runs.finished(runId, clock.instant());
        metrics.runEnded(name, runKind, Status.PROCESSED, Duration.between(started, clock.instant()));
        systemEvents.runProcessed(runId);
    }

    /** The run failed for {@code reason}: a log line, the failure recorded, its duration in the metrics. */
    public void failed(String kind, String runKind, String name, String runId, String summary, String reason,
                       Instant started) {
        LOG.warn("Run {} of {} '{}' failed: {}", runId, kind, name, reason);
        failures.fail(name, runId, summary, reason);
        metrics.runEnded(name, runKind, Status.FAILED, Duration.between(started, clock.instant()));
    }
}
