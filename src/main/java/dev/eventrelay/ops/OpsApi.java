package dev.eventrelay.ops;

import dev.eventrelay.ingest.file.SftpImportConfig;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.warehouse.WarehouseSyncConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunFile;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.quartz.CronExpression;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TimeZone;

/**
 * The ops API of the contract (imports here are SFTP imports and warehouse syncs), called by the routes of {@code routes/ops-api.camel.yaml}: each
 * method reads the request from the exchange and sets the answer (JSON, or CSV for errors.csv).
 */
public final class OpsApi {

    /** Header set when a request started a run, so the route can hand it to the run queue. */
    public static final String RUN_ID = "relayRunId";
    /** Header that says which run queue a started run joins: {@code sftp} or {@code warehouse}. */
    public static final String RUN_KIND = "relayRunKind";

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;

    private final SftpImportRunner imports;
    private final WarehouseSyncRunner syncs;
    private final RunStore runs;
    private final StateStore store;
    private final Clock clock;

    public OpsApi(SftpImportRunner imports, WarehouseSyncRunner syncs, RunStore runs, StateStore store, Clock clock) {
        this.imports = imports;
        this.syncs = syncs;
        this.runs = runs;
        this.store = store;
        this.clock = clock;
    }

    /** {@code GET /api/imports}: every import with its status, schedule, next run, last run and freshness. */
    public void listImports(Exchange exchange) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (SftpImportConfig config : imports.imports().values()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", config.name());
            item.put("kind", "sftp");
            item.put("status", config.enabled() ? "Launched" : "Draft");
            item.put("schedule", config.schedule());
            item.put("time_zone", config.zone().getId());
            item.put("next_run", config.enabled() ? nextRun(config) : null);
            item.put("channel", config.channel());
            item.put("last_run", runs.last(config.name()).map(OpsApi::runJson).orElse(null));
            Optional<Instant> newest = runs.newestImportedFile(config.name());
            item.put("newest_data_at", newest.map(EventJson::rfc3339).orElse(null));
            item.put("freshness_seconds", newest.map(at -> Duration.between(at, clock.instant()).toSeconds()).orElse(null));
            list.add(item);
        }
        for (WarehouseSyncConfig config : syncs.syncs().values()) {
            list.add(SyncStatus.json(config, runs, syncs.cursors(), clock));
        }
        syncs.notStarted().forEach((name, reason) -> list.add(SyncStatus.notStarted(name, reason)));
        HttpAnswers.json(exchange, 200, Map.of("imports", list));
    }

    /** {@code GET /api/imports/{name}/runs?limit=&offset=}: runs, newest first. */
    public void listRuns(Exchange exchange) {
        String name = knownImport(exchange);
        if (name == null) {
            return;
        }
        Integer limit = HttpAnswers.intParameter(exchange, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        Integer offset = limit == null ? null : HttpAnswers.intParameter(exchange, "offset", 0, 0, Integer.MAX_VALUE);
        if (offset == null) {
            return;
        }
        List<Map<String, Object>> list = runs.list(name, limit, offset).stream().map(OpsApi::runJson).toList();
        HttpAnswers.json(exchange, 200, Map.of("runs", list, "limit", limit, "offset", offset));
    }

    /** {@code GET /api/runs/{id}}: one run with its files. */
    public void getRun(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        Optional<Run> run = runs.find(id);
        if (run.isEmpty()) {
            HttpAnswers.error(exchange, 404, "no run has id '" + id + "'");
            return;
        }
        Map<String, Object> json = runJson(run.get());
        List<Map<String, Object>> files = new ArrayList<>();
        for (RunFile file : run.get().files()) {
            files.add(fileJson(file));
        }
        json.put("files", files);
        HttpAnswers.json(exchange, 200, json);
    }

    /** {@code GET /api/runs/{id}/errors.csv}: the rejected rows; cells that look like formulas are neutralised. */
    public void errorsCsv(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (runs.find(id).isEmpty()) {
            HttpAnswers.error(exchange, 404, "no run has id '" + id + "'");
            return;
        }
        StringWriter out = new StringWriter();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
            csv.printRecord("file", "row", "reason", "raw_line");
            runs.forEachRejected(id, row -> {
                try {
                    csv.printRecord(safeCell(row.fileName()), row.rowNumber(), safeCell(row.reason()),
                            safeCell(row.rawLine()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpAnswers.answer(exchange, 200, "text/csv; charset=utf-8", out.toString());
    }

    /** {@code POST /api/imports/{name}/run}: records a run and queues it; 202 with the run id. */
    public void runNow(Exchange exchange) {
        String name = knownImport(exchange);
        if (name == null) {
            return;
        }
        try {
            boolean sync = !imports.imports().containsKey(name);
            String runId = sync ? syncs.start(name, "api") : imports.start(name, "api");
            HttpAnswers.json(exchange, 202, Map.of("run_id", runId, "run", "/api/runs/" + runId));
            exchange.getMessage().setHeader(RUN_ID, runId);
            exchange.getMessage().setHeader(RUN_KIND, sync ? "warehouse" : "sftp");
        } catch (SftpImportRunner.RunRefusedException | WarehouseSyncRunner.RunRefusedException e) {
            HttpAnswers.error(exchange, 409, e.getMessage());
        }
    }

    /** Answers a request that failed unexpectedly (called by the error policy of the ops API routes). */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        HttpAnswers.error(exchange, 500, "the request failed: " + (e == null ? "unknown error" : e.getMessage()));
    }

    private String knownImport(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        if (!imports.imports().containsKey(name) && !syncs.syncs().containsKey(name)
                && !syncs.notStarted().containsKey(name)) {
            HttpAnswers.error(exchange, 404, "no import is named '" + name + "'");
            return null;
        }
        return name;
    }

    private String nextRun(SftpImportConfig config) {
        try {
            CronExpression cron = new CronExpression(config.schedule());
            cron.setTimeZone(TimeZone.getTimeZone(config.zone()));
            Date next = cron.getNextValidTimeAfter(Date.from(clock.instant()));
            return next == null ? null : EventJson.rfc3339(next.toInstant());
        } catch (ParseException e) {
            return null;
        }
    }

    static Map<String, Object> runJson(Run run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id());
        json.put("import", run.importName());
        json.put("kind", run.kind());
        json.put("trigger", run.trigger());
        json.put("fetch_status", run.fetchStatus());
        json.put("fetch_started_at", HttpAnswers.time(run.fetchStartedAt()));
        json.put("fetch_ended_at", HttpAnswers.time(run.fetchEndedAt()));
        json.put("processing_status", run.processingStatus());
        json.put("processing_started_at", HttpAnswers.time(run.processingStartedAt()));
        json.put("processing_ended_at", HttpAnswers.time(run.processingEndedAt()));
        json.put("rows_total", run.rowsTotal());
        json.put("rows_processed", run.rowsProcessed());
        json.put("rows_errored", run.rowsErrored());
        json.put("rows_warnings", run.rowsWarnings());
        json.put("percent_processed", run.percentProcessed());
        json.put("reason", run.reason());
        return json;
    }

    private static Map<String, Object> fileJson(RunFile file) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", file.fileName());
        json.put("size_bytes", file.sizeBytes());
        json.put("status", file.status());
        json.put("rows_total", file.rowsTotal());
        json.put("rows_processed", file.rowsProcessed());
        json.put("rows_errored", file.rowsErrored());
        json.put("rows_warnings", file.rowsWarnings());
        json.put("reason", file.reason());
        json.put("started_at", HttpAnswers.time(file.startedAt()));
        json.put("ended_at", HttpAnswers.time(file.endedAt()));
        return json;
    }

    /** A cell a spreadsheet would run as a formula gets a leading apostrophe. */
    static String safeCell(String cell) {
        if (cell != null && !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0) {
            return "'" + cell;
        }
        return cell;
    }
}
