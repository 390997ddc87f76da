package dev.eventrelay.ops;

import dev.eventrelay.ingest.RunRefusedException;
import dev.eventrelay.ingest.UnknownImportException;
import dev.eventrelay.ingest.file.CsvFileCheck;
import dev.eventrelay.ingest.upload.UploadInterruptedException;
import dev.eventrelay.ingest.upload.UploadImporter;
import dev.eventrelay.ingest.upload.UploadTooLargeException;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import io.vertx.core.http.HttpServerRequest;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /api/imports/{name}/upload?event_code=&file_name=} (routes/upload.camel.yaml): checks
 * the parameters before a byte of the body is read, then imports the body as it arrives and answers
 * with the run. 200 when the file was imported (some rows may be rejected), 422 when it was rejected
 * whole, 413 over the size limit, 408 when the body stalled, 400 for bad parameters, 404 for an
 * unknown import, 409 for a disabled one. With {@code dry_run=true} the file is only checked: nothing is
 * stored, and the answer says what an import would accept and reject (200, or 422 when it would be rejected whole).
 */
public final class UploadApi {

    /** Rejected rows a {@code dry_run} answer lists; all are counted. */
    public static final int MAX_REJECTED_SHOWN = 100;

    private final UploadImporter uploads;
    private final RunStore runs;
    private final Duration idleTimeout;

    public UploadApi(UploadImporter uploads, RunStore runs, Duration idleTimeout) {
        this.uploads = uploads;
        this.runs = runs;
        this.idleTimeout = idleTimeout;
    }

    /** Handles one upload; the exchange's body is the paused Vert.x request (platform-http {@code useBodyHandler=false}). */
    public void upload(Exchange exchange) {
        HttpServerRequest request = exchange.getMessage().getBody(HttpServerRequest.class);
        if (request == null) {
            HttpAnswers.error(exchange, 500, "the upload route must consume platform-http with useBodyHandler=false");
            return;
        }
        String name = exchange.getMessage().getHeader("name", String.class);
        Boolean dryRun = dryRun(exchange.getMessage().getHeader("dry_run", String.class));
        if (dryRun == null) {
            refuse(exchange, request, 400, "parameter 'dry_run' must be true or false, not '"
                    + exchange.getMessage().getHeader("dry_run", String.class) + "'");
            return;
        }
        UploadImporter.Upload upload;
        try {
            upload = uploads.check(name, exchange.getMessage().getHeader("event_code", String.class),
                    exchange.getMessage().getHeader("file_name", String.class), declaredLength(request));
        } catch (UnknownImportException e) {
            refuse(exchange, request, 404, e.getMessage());
            return;
        } catch (RunRefusedException e) {
            refuse(exchange, request, 409, e.getMessage());
            return;
        } catch (UploadTooLargeException e) {
            refuse(exchange, request, 413, e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            refuse(exchange, request, 400, e.getMessage());
            return;
        }
        if (dryRun) {
            checkOnly(exchange, upload, request);
            return;
        }
        UploadImporter.Result result;
        try (RequestBodyStream body = new RequestBodyStream(request, idleTimeout)) {
            result = uploads.importBody(upload, body);
        }
        Run run = runs.find(result.runId()).orElseThrow();
        Map<String, Object> json = OpsApi.runJson(run);
        json.put("file", upload.fileName());
        json.put("file_status", run.files().get(0).status());
        json.put("run", "/api/runs/" + result.runId());
        json.put("errors_csv", "/api/runs/" + result.runId() + "/errors.csv");
        int status = switch (result.ending()) {
            case IMPORTED -> 200;
            case REJECTED -> 422;
            case TOO_LARGE -> 413;
            case INTERRUPTED -> 408;
            case FAILED -> 500;
        };
        HttpAnswers.json(exchange, status, json);
    }

    /** {@code dry_run=true}: the file is read and checked, nothing stored; answers what an import would do. */
    private void checkOnly(Exchange exchange, UploadImporter.Upload upload, HttpServerRequest request) {
        CsvFileCheck.Result result;
        try (RequestBodyStream body = new RequestBodyStream(request, idleTimeout)) {
            result = uploads.checkBody(upload, body);
        } catch (UploadTooLargeException e) {
            refuse(exchange, request, 413, e.getMessage());
            return;
        } catch (UploadInterruptedException | IOException e) {
            refuse(exchange, request, 408, e.getMessage());
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("dry_run", true);
        json.put("import", upload.config().name());
        json.put("file", upload.fileName());
        json.put("file_status", result.status());
        json.put("reason", result.reason());
        json.put("rows_total", result.counts().total());
        json.put("rows_processed", result.counts().processed());
        json.put("rows_errored", result.counts().errored());
        json.put("rows_warnings", result.counts().warnings());
        List<Map<String, Object>> rejected = result.rejected().stream().map(row -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("row", row.rowNumber());
            item.put("reason", row.reason());
            item.put("raw_line", row.rawLine());
            return item;
        }).toList();
        json.put("rejected", rejected);
        json.put("rejected_shown", rejected.size());
        HttpAnswers.json(exchange, result.reason() == null ? 200 : 422, json);
    }

    /** The {@code dry_run} parameter: absent or false is false, true is true, anything else null. */
    private static Boolean dryRun(String text) {
        if (text == null || text.isBlank() || text.trim().equalsIgnoreCase("false")) {
            return false;
        }
        return text.trim().equalsIgnoreCase("true") ? true : null;
    }

    private static void refuse(Exchange exchange, HttpServerRequest request, int status, String message) {
        RequestBodyStream.closeAfterAnswer(request);
        HttpAnswers.error(exchange, status, message);
    }

    /** The Content-Length header, or null when the body is chunked; a value that is not a number is refused. */
    private static Long declaredLength(HttpServerRequest request) {
        String header = request.getHeader("Content-Length");
        if (header == null) {
            return null;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("header Content-Length '" + header + "' is not a number");
        }
    }
}
