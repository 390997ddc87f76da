package dev.eventrelay.ops;

import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.upload.UploadImportConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.RunStore;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The imports of the ops API (SFTP imports, imports that take uploads only, and warehouse syncs): the paged list with status words, and
 * pause and resume, kept in the state store ({@link ImportStates}). Called by the routes of
 * {@code routes/ops-api.camel.yaml} and {@code routes/import-control.camel.yaml}.
 */
public final class ImportControl {

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final SftpImportRunner imports;
    private final WarehouseSyncRunner syncs;
    private final RunStore runs;
    private final ImportStates states;
    private final Map<String, UploadImportConfig> uploadOnly;
    private final Clock clock;

    public ImportControl(SftpImportRunner imports, WarehouseSyncRunner syncs, RunStore runs, ImportStates states,
                         Map<String, UploadImportConfig> uploadOnly, Clock clock) {
        this.imports = imports;
        this.uploadOnly = Map.copyOf(uploadOnly);
        this.syncs = syncs;
        this.runs = runs;
        this.states = states;
        this.clock = clock;
    }

    /** {@code GET /api/imports?limit=&offset=}: every import and sync with its status, schedule, last run and freshness. */
    public void listImports(Exchange exchange) {
        HttpAnswers.Page page = HttpAnswers.page(exchange, DEFAULT_LIMIT, MAX_LIMIT);
        if (page == null) {
            return;
        }
        List<String> names = new ArrayList<>(imports.imports().keySet());
        names.addAll(syncs.syncs().keySet());
        names.addAll(syncs.notStarted().keySet());
        names.addAll(uploadOnly.keySet());
        List<Map<String, Object>> items = page.of(names).stream().map(this::item).toList();
        HttpAnswers.json(exchange, 200, page.answer("imports", items, names.size()));
    }

    /**
     * {@code POST /api/imports/{name}/pause?reason=}: the import's schedule is skipped and run-now refused until
     * it is resumed; a run under way finishes. Answers the import; pausing a paused import keeps the first pause.
     */
    public void pause(Exchange exchange) {
        String name = knownImport(exchange, imports, syncs, uploadOnly);
        if (name == null) {
            return;
        }
        HttpAnswers.Reason reason = HttpAnswers.reason(exchange);
        if (reason == null) {
            return;
        }
        String nothingRuns = nothingRuns(name);
        if (nothingRuns != null) {
            HttpAnswers.error(exchange, 409, nothingRuns + "; there is nothing to pause");
            return;
        }
        states.pause(name, reason.text(), clock.instant());
        HttpAnswers.json(exchange, 200, item(name));
    }

    /** {@code POST /api/imports/{name}/resume}: the schedule applies again; answers the import. */
    public void resume(Exchange exchange) {
        String name = knownImport(exchange, imports, syncs, uploadOnly);
        if (name == null) {
            return;
        }
        states.resume(name, clock.instant());
        HttpAnswers.json(exchange, 200, item(name));
    }

    /** The name in the path when an import or sync has it; otherwise answers 404 and returns null. */
    static String knownImport(Exchange exchange, SftpImportRunner imports, WarehouseSyncRunner syncs,
                              Map<String, UploadImportConfig> uploadOnly) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (!imports.imports().containsKey(name) && !syncs.syncs().containsKey(name)
                && !syncs.notStarted().containsKey(name) && !uploadOnly.containsKey(name)) {
            HttpAnswers.error(exchange, 404, "no import is named '" + name + "'");
            return null;
        }
        return name;
    }

    /** Why the import never runs (disabled, or a sync not started), or null when it runs. */
    private String nothingRuns(String name) {
        SftpImportConfig sftp = imports.imports().get(name);
        if (sftp != null) {
            return sftp.enabled() ? null : "import '" + name + "' is a Draft (relay.import." + name + ".enabled=false)";
        }
        WarehouseSyncConfig sync = syncs.syncs().get(name);
        if (sync != null) {
            return sync.enabled() ? null : "sync '" + name + "' is disabled (relay.sync." + name + ".enabled=false)";
        }
        if (uploadOnly.containsKey(name)) {
            return "import '" + name + "' takes uploads only and has no schedule";
        }
        return "sync '" + name + "' is not started: " + syncs.notStarted().get(name);
    }

    private Map<String, Object> item(String name) {
        SftpImportConfig sftp = imports.imports().get(name);
        if (sftp != null) {
            return ImportStatus.json(sftp, states, runs, clock);
        }
        WarehouseSyncConfig sync = syncs.syncs().get(name);
        if (sync != null) {
            return SyncStatus.json(sync, states, runs, syncs.cursors(), clock);
        }
        UploadImportConfig upload = uploadOnly.get(name);
        if (upload != null) {
            return UploadImportStatus.json(upload, runs, clock);
        }
        return SyncStatus.notStarted(name, syncs.notStarted().get(name));
    }
}
