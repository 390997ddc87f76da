package dev.eventrelay.ingest.upload;

import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.ingest.file.CsvFileCheck;
import dev.eventrelay.ingest.file.FileImporter;
import dev.eventrelay.ingest.RunRefusedException;
import dev.eventrelay.ingest.UnknownImportException;
import dev.eventrelay.model.EventType;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import dev.eventrelay.systemevents.SystemEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Imports a manual upload as a run of kind {@code upload} with one file, through the same
 * {@link FileImporter} as SFTP files: same row rules, rejected rows, staged segment published only
 * when the whole file was read. The body is read as it arrives and counted; past
 * {@code relay.upload.max-bytes} the import stops, the file is rejected and nothing of it is
 * published. A body that breaks off fails the run; nothing of it is published either. The run's end raises the
 * system event {@code relay_run_processed} or {@code relay_run_failed}.
 */
public final class UploadImporter {

    private static final Logger LOG = LoggerFactory.getLogger(UploadImporter.class);

    /** An upload whose parameters were checked: which import, how its rows are read, the recorded file name. */
    public record Upload(UploadImportConfig config, EventType eventType, String fileName) {
    }

    /** How an upload ended. */
    public enum Ending {
        /** Read to its end; its accepted rows are published (some rows may be rejected). */
        IMPORTED,
        /** Rejected whole (no header, a required column missing, …): nothing published. */
        REJECTED,
        /** Larger than relay.upload.max-bytes: the file is rejected, nothing published. */
        TOO_LARGE,
        /** The body broke off or stalled: the run failed, nothing published. */
        INTERRUPTED,
        /** Something else failed (the state store): the run failed, nothing published. */
        FAILED
    }

    /** How an upload ended: its run, the ending, and the reason when it was not imported. */
    public record Result(String runId, Ending ending, String reason) {
    }

    private final Map<String, UploadImportConfig> imports;
    private final EventTypes eventTypes;
    private final StateStore store;
    private final RunStore runs;
    private final ErrorLog errors;
    private final FileImporter importer;
    private final CsvFileCheck fileCheck;
    private final FileFailures fileFailures;
    private final long maxBytes;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final SystemEvents systemEvents;

    /** The instance that records and executes the upload runs ({@code relay.instance.id}): their owner. */
    private final String instanceId;

    public UploadImporter(Map<String, UploadImportConfig> imports, EventTypes eventTypes, StateStore store,
                          RunStore runs, ErrorLog errors, FileImporter importer, CsvFileCheck fileCheck,
                          FileFailures fileFailures, long maxBytes, Clock clock, RelayMetrics metrics,
                          SystemEvents systemEvents, String instanceId) {
        this.instanceId = instanceId;
        this.imports = Collections.unmodifiableMap(new LinkedHashMap<>(imports));
        this.eventTypes = eventTypes;
        this.store = store;
        this.runs = runs;
        this.errors = errors;
        this.importer = importer;
        this.fileCheck = fileCheck;
        this.fileFailures = fileFailures;
        this.maxBytes = maxBytes;
        this.clock = clock;
        this.metrics = metrics;
        this.systemEvents = systemEvents;
    }

    /** Every import that accepts uploads, by name. */
    public Map<String, UploadImportConfig> imports() {
        return imports;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /**
     * Checks an upload before its body is read. Throws {@link UnknownImportException}
     * for an unknown import, {@link RunRefusedException} for a disabled one,
     * {@link UploadTooLargeException} when the declared length passes the limit, and
     * {@link IllegalArgumentException} (naming the parameter) for a missing or unknown event code or a
     * file name that cannot be used.
     */
    public Upload check(String importName, String eventCode, String fileName, Long declaredBytes) {
        UploadImportConfig config = imports.get(importName);
        if (config == null) {
            throw new UnknownImportException(importName);
        }
        if (!config.enabled()) {
            throw new RunRefusedException("import '" + importName + "' is disabled (relay.import."
                    + importName + ".enabled=false)");
        }
        EventType type = null;
        if (eventCode != null && !eventCode.isBlank()) {
            type = eventTypes.byCode(eventCode.trim()).orElseThrow(() -> new IllegalArgumentException(
                    "parameter 'event_code': '" + eventCode + "' has no event type (relay.event-type." + eventCode.trim()
                            + ".name is not set); known codes: " + String.join(", ", new TreeSet<>(eventTypes.all().keySet()))));
        } else if (!config.hasEventTypeColumn()) {
            throw new IllegalArgumentException("parameter 'event_code' is required: import '" + importName
                    + "' takes the event type from the event code (it has no relay.import." + importName
                    + ".csv.event-type-column)");
        }
        String name = UploadFileName.of(fileName, clock.instant());
        if (declaredBytes != null && declaredBytes > maxBytes) {
            refusedTooLarge(importName, name, declaredBytes + " bytes declared");
            throw new UploadTooLargeException(maxBytes);
        }
        return new Upload(config, type, name);
    }

    /** Imports the body of a checked upload as a new run; the result says how it ended. */
    public Result importBody(Upload upload, InputStream body) {
        String importName = upload.config().name();
        Instant started = clock.instant();
        // uploads run beside other runs of the import: always recorded
        String runId = runs.tryCreate(importName, "upload", "api", instanceId, false, started).runId();
        runs.processing(runId, clock.instant());
        long fileId = store.inTransaction(c -> runs.addFile(c, runId, upload.fileName(), null, null, clock.instant()));
        SizeLimitedInputStream counted = new SizeLimitedInputStream(body, maxBytes);
        LOG.info("Upload {} to import '{}' started as run {}", upload.fileName(), importName, runId);
        try {
            FileImporter.Outcome outcome = importer.importFile(runId, fileId, upload.fileName(), counted,
                    upload.config().delimiter(), upload.config().mapping(upload.eventType()));
            store.inTransaction(c -> {
                runs.fileSize(c, fileId, counted.count());
                return null;
            });
            runs.finished(runId, clock.instant());
            metrics.runEnded(importName, "upload", Status.PROCESSED, Duration.between(started, clock.instant()));
            systemEvents.runProcessed(runId);
            LOG.info("Upload {} to import '{}': {} ({} rows, {} accepted, {} rejected){}", upload.fileName(),
                    importName, outcome.status(), outcome.counts().total(), outcome.counts().processed(),
                    outcome.counts().errored(), outcome.reason() == null ? "" : ": " + outcome.reason());
            return new Result(runId, Status.IMPORTED.equals(outcome.status()) ? Ending.IMPORTED : Ending.REJECTED,
                    outcome.reason());
        } catch (IOException | RuntimeException e) {
            Result result = failed(upload, runId, fileId, counted.count(), e);
            metrics.runEnded(importName, "upload", Status.FAILED, Duration.between(started, clock.instant()));
            return result;
        }
    }

    /**
     * Checks the body of a checked upload with the import's row rules and stores nothing: no run, no event, no
     * error log entry (the upload's {@code dry_run=true}). Past {@code relay.upload.max-bytes} it throws
     * {@link UploadTooLargeException}; a body that breaks off throws the {@link IOException}.
     */
    public CsvFileCheck.Result checkBody(Upload upload, InputStream body) throws IOException {
        CsvFileCheck.Result result = fileCheck.check(upload.fileName(), new SizeLimitedInputStream(body, maxBytes),
                upload.config().delimiter(), upload.config().mapping(upload.eventType()));
        LOG.info("Check of upload {} to import '{}' (nothing imported): {} ({} rows, {} would be accepted, {} rejected)",
                upload.fileName(), upload.config().name(), result.status(), result.counts().total(),
                result.counts().processed(), result.counts().errored());
        return result;
    }

    /**
     * Ends a run whose body could not be imported. The file importer has already had the staged
     * events dropped and the file marked failed; an upload over the limit is rejected instead
     * ({@link FileFailures#overLimit}), with the reason as its row 0 in errors.csv.
     */
    private Result failed(Upload upload, String runId, long fileId, long bytes, Exception e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        Ending ending = cause instanceof UploadTooLargeException ? Ending.TOO_LARGE
                : cause instanceof UploadInterruptedException ? Ending.INTERRUPTED : Ending.FAILED;
        String reason = ending == Ending.TOO_LARGE ? cause.getMessage() : e.getMessage();
        store.inTransaction(c -> {
            runs.fileSize(c, fileId, bytes);
            if (ending == Ending.TOO_LARGE) {
                fileFailures.overLimit(c, new FileFailures.FileOfRun(upload.config().name(), runId, fileId,
                        upload.fileName()), reason);
            }
            return null;
        });
        runs.fetchFailed(runId, reason, clock.instant());
        LOG.warn("Upload {} to import '{}' (run {}) failed: {}", upload.fileName(), upload.config().name(), runId, reason);
        errors.record(upload.config().name(), ending == Ending.TOO_LARGE ? "upload-too-large" : "upload-failed",
                "upload " + upload.fileName() + " (run " + runId + ") failed", reason, clock.instant());
        systemEvents.runFailed(runId, reason);
        return new Result(runId, ending, reason);
    }

    private void refusedTooLarge(String importName, String fileName, String size) {
        String reason = new UploadTooLargeException(maxBytes).getMessage();
        LOG.warn("Upload {} to import '{}' refused ({}): {}", fileName, importName, size, reason);
        errors.record(importName, "upload-too-large", "upload " + fileName + " refused (" + size + ")", reason,
                clock.instant());
    }
}
