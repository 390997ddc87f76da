package dev.eventrelay.ingest.recovery;

import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.state.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs cut short by a stop (a crash, a kill, a power cut). At start, before any route runs,
 * {@link #recover} has the {@link FileFailures} mark them {@code Failed} with the reason, drop their
 * unpublished events and free their files in the ledger, and remembers their imports and syncs. Once the routes run,
 * {@link #resume} records one new run (trigger {@code recovery}) of each of those, so an
 * interrupted run is retried at once rather than at the next schedule tick: the new import run
 * imports the freed files whole, the new sync run goes on after the last published page.
 */
public final class InterruptedRuns {

    /** The trigger of the runs {@link #resume} records. */
    public static final String TRIGGER = "recovery";
    public static final String REASON = "interrupted: the service stopped during this run; a new run"
            + " (trigger recovery) was queued at the next start to import its unfinished files";

    private static final Logger LOG = LoggerFactory.getLogger(InterruptedRuns.class);

    private final RunStore runs;
    private final FileFailures fileFailures;
    private final SftpImportRunner imports;
    private final WarehouseSyncRunner syncs;
    private final List<String> interrupted = new ArrayList<>();

    public InterruptedRuns(RunStore runs, FileFailures fileFailures, SftpImportRunner imports,
                           WarehouseSyncRunner syncs) {
        this.runs = runs;
        this.fileFailures = fileFailures;
        this.imports = imports;
        this.syncs = syncs;
    }

    /** Fails the runs a stop left under way, drops their staged events and frees their files. */
    public synchronized void recover() {
        interrupted.addAll(runs.activeImports());
        FileFailures.Interrupted done = fileFailures.interrupted(REASON);
        if (done.runsFailed() > 0 || done.segmentsDropped() > 0) {
            LOG.warn("Recovered from a stop: {} run(s) of {} marked Failed, {} unpublished segment(s) dropped",
                    done.runsFailed(), interrupted, done.segmentsDropped());
        }
    }

    /**
     * Records a new run of every import and sync whose run was interrupted (once; an import that is
     * disabled or gone from the configuration, or that runs already, is skipped with a log line), and
     * returns them as {@code {"runId": …, "kind": "sftp" | "warehouse"}} for the run queues.
     */
    public synchronized List<Map<String, String>> resume() {
        List<Map<String, String>> queued = new ArrayList<>();
        for (String name : interrupted) {
            try {
                if (imports.imports().containsKey(name)) {
                    queued.add(Map.of("runId", imports.start(name, TRIGGER), "kind", "sftp"));
                } else if (syncs.syncs().containsKey(name)) {
                    queued.add(Map.of("runId", syncs.start(name, TRIGGER), "kind", "warehouse"));
                } else {
                    LOG.warn("Interrupted run of '{}' not resumed: no import or sync has that name now", name);
                }
            } catch (RuntimeException e) {
                LOG.warn("Interrupted run of '{}' not resumed: {}", name, e.getMessage());
            }
        }
        if (!queued.isEmpty()) {
            LOG.info("Resuming {} interrupted import(s) and sync(s): {}", queued.size(), interrupted);
        }
        interrupted.clear();
        return queued;
    }
}
