package dev.eventrelay.systemevents;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.EventIds;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.model.Origin;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.StateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The service's own events ({@code origin.kind = "system"}, docs/system-events.md): written to the event log like
 * captured events, each in a segment of its own, published at once, so hooks that list their types deliver them
 * like any other event. One method per event type; each is called where the action happens:
 * <ul>
 *   <li>{@link #runProcessed} and {@link #runFailed}: right after the run's end is recorded (run bookkeeping, run
 *   failures, uploads); a store failure in between loses the event, with a log line;</li>
 *   <li>{@link #fileRejected} and {@link #batchDeadLettered}: in the transaction that records the rejection or the
 *   dead letter, so the event exists exactly when the fact does;</li>
 *   <li>{@link #hookDisabled}: by the hook controls when a hook stops attempting for good (a circuit opened for
 *   good, an HTTP 410 Gone), once per transition.</li>
 * </ul>
 * Which hooks capture them is decided by {@code delivery.HookFilter} (only hooks that list the type) and
 * {@code delivery.HookDelivery} (never the hook the event reports on, and a dead-lettered batch made only of
 * hook-failure events raises none, so failing hooks cannot feed each other: {@link #raisesEvent}).
 */
public final class SystemEvents {

    private static final Logger LOG = LoggerFactory.getLogger(SystemEvents.class);

    public static final String RUN_PROCESSED = "relay_run_processed";
    public static final String RUN_FAILED = "relay_run_failed";
    public static final String FILE_REJECTED = "relay_file_rejected";
    public static final String BATCH_DEAD_LETTERED = "relay_batch_dead_lettered";
    public static final String HOOK_DISABLED = "relay_hook_disabled";

    /** Every system event type. */
    public static final Set<String> TYPES = Set.of(RUN_PROCESSED, RUN_FAILED, FILE_REJECTED, BATCH_DEAD_LETTERED,
            HOOK_DISABLED);
    /** The types that report a hook's own failure. */
    private static final Set<String> HOOK_FAILURES = Set.of(BATCH_DEAD_LETTERED, HOOK_DISABLED);

    /** The standing run whose segments hold the system events (import_run.id; never under way, never deleted). */
    public static final String RUN_ID = EventIds.nameBased("relay system events");
    /** Its import name and kind: not a name an import may have (names take lower-case letters, digits and '-'). */
    public static final String RUN_NAME = "relay:system";
    public static final String RUN_KIND = Origin.SYSTEM;

    private final StateStore store;
    private final EventLog events;
    private final RunStore runs;
    private final Clock clock;

    public SystemEvents(StateStore store, EventLog events, RunStore runs, Clock clock) {
        this.store = store;
        this.events = events;
        this.runs = runs;
        this.clock = clock;
    }

    /** Whether {@code eventType} is one of the service's own. */
    public static boolean isSystem(String eventType) {
        return TYPES.contains(eventType);
    }

    /** Whether the system event {@code event} reports on the hook {@code hook} (that hook never captures it). */
    public static boolean concerns(JsonNode event, String hook) {
        return hook.equals(event.path("properties").path("hook").asText(null));
    }

    /**
     * Whether a dead-lettered batch of events of these types raises {@code relay_batch_dead_lettered}: not when all
     * of them report hook failures themselves. Then every such event goes back to a batch that held at least one
     * other event, and two failing hooks that capture each other's reports stop after one round.
     */
    public static boolean raisesEvent(Collection<String> eventTypes) {
        return !HOOK_FAILURES.containsAll(eventTypes);
    }

    /** Records the standing run of the system events unless it exists; called once at start, after the migrations. */
    public void prepare() {
        try {
            store.inTransaction(c -> {
                runs.ensureStanding(c, RUN_ID, RUN_NAME, RUN_KIND, clock.instant());
                return null;
            });
        } catch (StateStoreException e) {
            // another instance that shares the store recorded it at the same moment
            if (runs.find(RUN_ID).isEmpty()) {
                throw e;
            }
        }
    }

    /** {@code relay_run_processed}: the run ended Processed; its counts, summed over its files. */
    public void runProcessed(String runId) {
        emitAfter(RUN_PROCESSED, runId, run -> {
            Map<String, Object> p = runProperties(run);
            p.put("files", number(run.files().size()));
            p.put("rows_total", number(run.rowsTotal()));
            p.put("rows_processed", number(run.rowsProcessed()));
            p.put("rows_errored", number(run.rowsErrored()));
            p.put("rows_warnings", number(run.rowsWarnings()));
            return p;
        });
    }

    /** {@code relay_run_failed}: the run ended Failed for {@code reason}. */
    public void runFailed(String runId, String reason) {
        emitAfter(RUN_FAILED, runId, run -> {
            Map<String, Object> p = runProperties(run);
            p.put("reason", reason);
            return p;
        });
    }

    /** {@code relay_file_rejected}, in {@code c}: the file was rejected whole after {@code rowsRead} rows. */
    public void fileRejected(Connection c, String importName, String runId, String file, long rowsRead, String reason)
            throws SQLException {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("import", importName);
        p.put("run_id", runId);
        p.put("file", file);
        p.put("rows_read", number(rowsRead));
        p.put("reason", reason);
        write(c, FILE_REJECTED, EventIds.nameBased(FILE_REJECTED + "\n" + runId + "\n" + file),
                Origin.system(importName, file, runId), p);
    }

    /** {@code relay_batch_dead_lettered}, in {@code c}: the batch {@code batchId} of {@code hook} went to dead letters. */
    public void batchDeadLettered(Connection c, String hook, String batchId, int eventCount, int attempts,
                                  String errorCode, String errorSummary) throws SQLException {
        Instant now = clock.instant();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hook", hook);
        p.put("batch_id", batchId);
        p.put("events", number(eventCount));
        p.put("attempts", number(attempts));
        p.put("error_code", errorCode);
        p.put("error_summary", errorSummary);
        write(c, BATCH_DEAD_LETTERED, EventIds.nameBased(BATCH_DEAD_LETTERED + "\n" + hook + "\n" + batchId + "\n"
                + now), Origin.system(null, null, null), p);
    }

    /**
     * {@code relay_hook_disabled}: {@code hook} stopped attempting for {@code reason} (its circuit opened for good, its
     * receiver answered 410 Gone). The hook controls call it once per transition; it never reaches {@code hook}.
     */
    public void hookDisabled(String hook, String reason) {
        Instant now = clock.instant();
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("hook", hook);
        p.put("reason", reason);
        try {
            store.inTransaction(c -> {
                write(c, HOOK_DISABLED, EventIds.nameBased(HOOK_DISABLED + "\n" + hook + "\n" + now),
                        Origin.system(null, null, null), p);
                return null;
            });
        } catch (StateStoreException e) {
            LOG.warn("System event {} of hook {} not written: {}", HOOK_DISABLED, hook, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface RunProperties {
        Map<String, Object> of(Run run);
    }

    /** A run event, written after the run's end was committed: a failure to write it is logged, never thrown. */
    private void emitAfter(String type, String runId, RunProperties properties) {
        try {
            Optional<Run> run = runs.find(runId);
            if (run.isEmpty()) {
                return;
            }
            store.inTransaction(c -> {
                write(c, type, EventIds.nameBased(type + "\n" + runId), Origin.system(run.get().importName(), null,
                        runId), properties.of(run.get()));
                return null;
            });
        } catch (StateStoreException e) {
            LOG.warn("System event {} of run {} not written: {}", type, runId, e.getMessage());
        }
    }

    private static Map<String, Object> runProperties(Run run) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("import", run.importName());
        p.put("run_id", run.id());
        p.put("run_kind", run.kind());
        p.put("trigger", run.trigger());
        return p;
    }

    private void write(Connection c, String type, String eventId, Origin origin, Map<String, Object> properties)
            throws SQLException {
        Instant now = clock.instant();
        Event event = new Event(eventId, type, now, now, Map.of(), null, null, List.of(), null, properties, origin);
        long segment = events.openSegment(c, RUN_ID, now);
        events.append(c, segment, List.of(new EventLog.Entry(0, eventId, type, EventJson.write(event))));
        events.publish(c, segment, now);
    }

    private static BigDecimal number(long value) {
        return BigDecimal.valueOf(value);
    }
}
