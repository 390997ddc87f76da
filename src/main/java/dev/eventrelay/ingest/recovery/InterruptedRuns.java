package dev.eventrelay.ingest.recovery;

import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.state.Instances;
import dev.eventrelay.state.RunOwnership;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.RunOwnership.OwnedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs whose instance stopped (a crash, a kill, a power cut) or lost its lease while they were under way. Each run is
 * owned by the instance that executes it; a run is taken over only when its owner's lease has expired or its owner has
 * no lease row (a graceful stop deletes it), never while the owner is live. Taking a run over
 * ({@link FileFailures#interrupted}) marks it {@code Failed} with the reason, drops its unpublished events and frees its
 * unfinished files in the ledger, in one transaction that exactly one instance wins; the winner then records one new
 * run (trigger {@code recovery}) of that import or sync and queues it on its own run queue: the new import run imports
 * the freed files whole, the new sync run goes on after the last published page.
 * <ul>
 *   <li>{@link #recover()} at start, before any route runs, takes over also the runs without an owner (recorded before
 *   owners were kept) and those under this instance's own id (from an earlier life); {@link #resume()} records their
 *   new runs once the routes run (route {@code run-recovery}).</li>
 *   <li>{@link #takeOverExpired()} at every lease renewal (route {@code instance-lease}) takes over the runs of
 *   instances whose lease expired and records and returns their new runs at once.</li>
 * </ul>
 * An upload's run is failed but not run again (its body is gone with the request).
 */
public final class InterruptedRuns {

    /** The trigger of the runs recorded for the runs taken over. */
    public static final String TRIGGER = "recovery";
    /** The reason of a run taken over; {@code %s}: the instance that took it over. */
    public static final String REASON = "interrupted: the instance that executed this run stopped or lost its lease;"
            + " instance %s took it over and queued a new run (trigger recovery) to import its unfinished files";

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedRuns.class);

    private final Instances instances;
    private final RunOwnership ownership;
    private final FileFailures fileFailures;
    private final SegmentWriter segments;
    private final SftpImportRunner imports;
    private final WarehouseSyncRunner syncs;
    private final List<OwnedRun> takenAtStart = new ArrayList<>();
    private final List<OwnedRun> leftAtStart = new ArrayList<>();

    public InterruptedRuns(Instances instances, RunOwnership ownership, FileFailures fileFailures,
                           SegmentWriter segments, SftpImportRunner imports, WarehouseSyncRunner syncs) {
        this.instances = instances;
        this.segments = segments;
        this.ownership = ownership;
        this.fileFailures = fileFailures;
        this.imports = imports;
        this.syncs = syncs;
    }

    /** At start: takes over the runs left under way by a stop (this instance's, ownerless ones, the expired). */
    public synchronized void recover() {
        segments.abandoned(instances.id()); // what an earlier life under this id left open (the kafka backbone)
        takenAtStart.addAll(takeOver(ownership.abandoned(instances.id(), instances.clock().instant()),
                instances.id(), leftAtStart));
    }

    /**
     * Records a new run of every import and sync whose run {@link #recover()} took over (once; one that is disabled,
     * gone from the configuration, paused or already running is skipped with a log line), and returns them as
     * {@code {"runId": …, "kind": "sftp" | "warehouse"}} for the run queues.
     */
    public synchronized List<Map<String, String>> resume() {
        List<Map<String, String>> queued = rerun(takenAtStart);
        takenAtStart.clear();
        return queued;
    }

    /**
     * Takes over the runs of instances whose lease expired (those another instance took first are left to it), records
     * a new run of each, and returns them as {@link #resume()} does; then forgets the leases of expired instances that
     * own nothing any more. Runs of its own earlier life that {@link #recover()} could not settle yet are tried again.
     */
    public synchronized List<Map<String, String>> takeOverExpired() {
        for (String dead : instances.expired()) {
            segments.abandoned(dead);
        }
        List<OwnedRun> won = new ArrayList<>();
        if (!leftAtStart.isEmpty()) {
            List<OwnedRun> again = List.copyOf(leftAtStart);
            leftAtStart.clear();
            won.addAll(takeOver(again, instances.id(), leftAtStart));
        }
        won.addAll(takeOver(ownership.abandoned(null, instances.clock().instant()), null, new ArrayList<>()));
        List<Map<String, String>> queued = rerun(won);
        instances.forgetExpired();
        return queued;
    }

    /**
     * Takes over each of {@code abandoned} that no other instance took first; one whose backbone cannot tell yet what
     * it took (the kafka backbone, {@code SegmentWriter.settleSealed}) goes to {@code notYet}, nothing of it written.
     */
    private List<OwnedRun> takeOver(List<OwnedRun> abandoned, String startingInstance, List<OwnedRun> notYet) {
        List<OwnedRun> won = new ArrayList<>();
        int dropped = 0;
        for (OwnedRun run : abandoned) {
            int segments;
            try {
                segments = fileFailures.interrupted(run.runId(), startingInstance, REASON.formatted(instances.id()));
            } catch (RuntimeException e) {
                LOG.warn("Interrupted run {} of '{}' not taken over yet, tried again at the next lease renewal: {}",
                        run.runId(), run.name(), e.getMessage());
                notYet.add(run);
                continue;
            }
            if (segments >= 0) {
                won.add(run);
                dropped += segments;
            }
        }
        if (!won.isEmpty()) {
            LOG.warn("Instance '{}' took over {} interrupted run(s) ({} unpublished segment(s) dropped): {}",
                    instances.id(), won.size(), dropped, won.stream().map(r -> r.runId() + " of '" + r.name()
                            + "' (instance " + (r.owner() == null ? "unknown" : r.owner()) + ")").toList());
        }
        return won;
    }

    private List<Map<String, String>> rerun(List<OwnedRun> taken) {
        Map<String, String> kinds = new LinkedHashMap<>();
        taken.forEach(run -> kinds.putIfAbsent(run.name(), run.kind()));
        List<Map<String, String>> queued = new ArrayList<>();
        kinds.forEach((name, kind) -> {
            try {
                if ("sftp".equals(kind) && imports.imports().containsKey(name)) {
                    queued.add(Map.of("runId", imports.start(name, TRIGGER), "kind", "sftp"));
                } else if ("warehouse".equals(kind) && syncs.syncs().containsKey(name)) {
                    queued.add(Map.of("runId", syncs.start(name, TRIGGER), "kind", "warehouse"));
                } else if ("upload".equals(kind)) {
                    LOG.info("Interrupted upload to '{}' not run again: its body went with the request", name);
                } else {
                    LOG.warn("Interrupted run of '{}' not resumed: no import or sync has that name now", name);
                }
            } catch (RuntimeException e) {
                LOG.warn("Interrupted run of '{}' not resumed: {}", name, e.getMessage());
            }
        });
        if (!queued.isEmpty()) {
            LOG.info("Instance '{}' resumes {} interrupted import(s) and sync(s): {}", instances.id(), queued.size(),
                    kinds.keySet());
        }
        return queued;
    }
}
