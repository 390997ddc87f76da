package dev.eventrelay.ops;

import dev.eventrelay.ingest.RunRefusedException;
import dev.eventrelay.ingest.file.SftpImportRunner;
import dev.eventrelay.ingest.upload.UploadImportConfig;
import dev.eventrelay.ingest.warehouse.WarehouseSyncRunner;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunFile;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The ops API of the contract (imports here are SFTP imports and warehouse syncs), called by the routes of {@code routes/ops-api.camel.yaml}: each
 * method reads the request from the exchange and sets the answer (JSON, or CSV for errors.csv).
 */
public final class OpsApi {

    private static final Logger LOG = LoggerFactory.getLogger(OpsApi.class);

    /** Header set when a request started a run, so the route can hand it to the run queue. */
    public static final String RUN_ID = "relayRunId";
    /** Header that says which run queue a started run joins: {@code sftp} or {@code warehouse}. */
    public static final String RUN_KIND = "relayRunKind";

    private static final int DEFAULT_LIMIT = 50;
    private static final int MAX_LIMIT = 500;
    private static final Pattern RUN_ID_SHAPE =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final SftpImportRunner imports;
    private final WarehouseSyncRunner syncs;
    private final RunStore runs;
    private final StateStore store;
    private final Clock clock;
    private final Map<String, UploadImportConfig> uploadOnly;

    public OpsApi(SftpImportRunner imports, WarehouseSyncRunner syncs, RunStore runs, StateStore store, Clock clock,
                  Map<String, UploadImportConfig> uploadOnly) {
        this.uploadOnly = Map.copyOf(uploadOnly);
        this.imports = imports;
        this.syncs = syncs;
        this.runs = runs;
        this.store = store;
        this.clock = clock;
    }

    /** {@code GET /api/imports/{name}/runs?limit=&offset=}: runs, newest first. */
    public void listRuns(Exchange exchange) {
        String name = knownImport(exchange);
        if (name == null) {
            return;
        }
        HttpAnswers.Page page = HttpAnswers.page(exchange, DEFAULT_LIMIT, MAX_LIMIT);
        if (page == null) {
            return;
        }
        List<Map<String, Object>> list = runs.list(name, page.limit(), page.offset()).stream().map(OpsApi::runJson).toList();
        HttpAnswers.json(exchange, 200, page.answer("runs", list, runs.count(name)));
    }

    /** {@code GET /api/runs/{id}}: one run with its files. */
    public void getRun(Exchange exchange) {
        String id = runId(exchange);
        if (id == null) {
            return;
        }
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
        String id = runId(exchange);
        if (id == null) {
            return;
        }
        if (runs.find(id).isEmpty()) {
            HttpAnswers.error(exchange, 404, "no run has id '" + id + "'");
            return;
        }
        HttpAnswers.answer(exchange, 200, "text/csv; charset=utf-8", spoolErrors(id));
    }

    /**
     * Writes the rejected rows of a run to a temporary file and returns a stream of it, so that neither the rows
     * nor the CSV are ever held in memory whole. The file is deleted at once: the open stream still reads it, and
     * its space is freed when the answer has been sent and the stream closed.
     */
    private InputStream spoolErrors(String runId) {
        try {
            Path spool = Files.createTempFile("event-relay-errors-", ".csv");
            try {
                try (Writer out = Files.newBufferedWriter(spool, StandardCharsets.UTF_8);
                     CSVPrinter csv = new CSVPrinter(out, CSVFormat.RFC4180)) {
                    csv.printRecord("file", "row", "reason", "raw_line");
                    runs.forEachRejected(runId, row -> {
                        try {
                            csv.printRecord(safeCell(row.fileName()), row.rowNumber(), safeCell(row.reason()),
                                    safeCell(row.rawLine()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
                return new FileInputStream(spool.toFile());
            } finally {
                Files.delete(spool);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write errors.csv of run " + runId + " to a temporary file", e);
        }
    }

    /** {@code POST /api/imports/{name}/run}: records a run and queues it; 202 with the run id. */
    public void runNow(Exchange exchange) {
        String name = knownImport(exchange);
        if (name == null) {
            return;
        }
        if (uploadOnly.containsKey(name)) {
            HttpAnswers.error(exchange, 409, "import '" + name + "' takes uploads only: POST /api/imports/" + name
                    + "/upload");
            return;
        }
        try {
            boolean sync = !imports.imports().containsKey(name);
            String runId = sync ? syncs.start(name, "api") : imports.start(name, "api");
            HttpAnswers.json(exchange, 202, Map.of("run_id", runId, "run", "/api/runs/" + runId));
            exchange.getMessage().setHeader(RUN_ID, runId);
            exchange.getMessage().setHeader(RUN_KIND, sync ? "warehouse" : "sftp");
        } catch (RunRefusedException e) {
            HttpAnswers.error(exchange, 409, e.getMessage());
        }
    }

    /**
     * Logs a request that failed unexpectedly at ERROR, with the failure's stack trace, and answers 500 with a JSON
     * error (called by the error policy of the ops API routes, for an Error as for an Exception). Camel wraps an
     * Error a bean throws in a {@link CamelExecutionException}: the log and the answer name the Error itself.
     */
    public void failed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while (e instanceof CamelExecutionException && e.getCause() != null) {
            e = e.getCause();
        }
        LOG.error("Ops API request {} {} failed: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                exchange.getMessage().getHeader(Exchange.HTTP_PATH), e, e);
        HttpAnswers.error(exchange, 500, "the request failed: " + (e == null ? "unknown error" : e.getMessage()));
    }

    /** The run id in the path when it is a UUID (as every run id is); otherwise answers 400 and returns null. */
    private static String runId(Exchange exchange) {
        String id = exchange.getMessage().getHeader("id", String.class);
        if (id == null || !RUN_ID_SHAPE.matcher(id).matches()) {
            HttpAnswers.error(exchange, 400, "run id must be a UUID such as 0b6a8f6e-2c1d-4f3a-9e1b-7d2c5a4e3f10, not '"
                    + id + "'");
            return null;
        }
        return id;
    }

    private String knownImport(Exchange exchange) {
        return ImportControl.knownImport(exchange, imports, syncs, uploadOnly);
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
