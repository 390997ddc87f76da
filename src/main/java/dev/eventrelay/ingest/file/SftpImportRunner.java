package dev.eventrelay.ingest.file;

import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.ingest.RunBookkeeping;
import dev.eventrelay.ingest.RunRefusedException;
import dev.eventrelay.ingest.UnknownImportException;
import dev.eventrelay.mapping.MappingSettings;
import dev.eventrelay.model.EventType;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.FileLedger;
import dev.eventrelay.state.Run;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.state.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs SFTP imports: a run lists the import's folder, selects the files due (yesterday's, and
 * earlier ones in the look-back window never imported), claims each in the file ledger, imports it
 * through the {@link FileImporter}, and then leaves, moves or deletes it. Runs are recorded with the
 * contract's status words; a server that cannot be reached fails the run with the reason.
 */
public final class SftpImportRunner {

    private static final Logger LOG = LoggerFactory.getLogger(SftpImportRunner.class);

    private final Map<String, SftpImportConfig> imports;
    private final EventTypes eventTypes;
    private final StateStore store;
    private final FileLedger ledger;
    private final ErrorLog errors;
    private final FileImporter importer;
    private final FileFailures fileFailures;
    private final RunBookkeeping bookkeeping;
    private final RunStore runs;
    private final Clock clock;

    public SftpImportRunner(Map<String, SftpImportConfig> imports, EventTypes eventTypes, StateStore store,
                            FileLedger ledger, ErrorLog errors, FileImporter importer, FileFailures fileFailures,
                            RunBookkeeping bookkeeping) {
        this.imports = Collections.unmodifiableMap(new LinkedHashMap<>(imports));
        this.eventTypes = eventTypes;
        this.store = store;
        this.ledger = ledger;
        this.errors = errors;
        this.importer = importer;
        this.fileFailures = fileFailures;
        this.bookkeeping = bookkeeping;
        this.runs = bookkeeping.runs();
        this.clock = bookkeeping.clock();
    }

    public Map<String, SftpImportConfig> imports() {
        return imports;
    }

    /** Records a new run of the import, to be executed by {@link #execute(String)}; refuses when paused or one is under way. */
    public String start(String importName, String trigger) {
        return start(importName, trigger, false);
    }

    /**
     * Starts the one run of a one-time import ({@code schedule = once}) when an instance starts: null (and a log line)
     * when paused, when a run of it is under way on any instance, or when one of its runs has ended Processed
     * (checked in the store as the run is recorded, so the import runs once across the cluster).
     */
    public String startOnce(String importName) {
        return bookkeeping.startScheduled("import", importName, name -> start(name, "schedule", true));
    }

    private String start(String importName, String trigger, boolean once) {
        SftpImportConfig config = imports.get(importName);
        if (config == null) {
            throw new UnknownImportException(importName);
        }
        if (!config.enabled()) {
            throw new RunRefusedException("import '" + importName + "' is disabled (relay.import." + importName
                    + ".enabled=false)");
        }
        bookkeeping.recordPendingFailures();
        return bookkeeping.create("import", "sftp", importName, trigger,
                active -> Status.FETCHING.equals(active.fetchStatus()) ? "fetching" : "processing", once);
    }

    /** Starts a scheduled run; null (and a log line) when the import is paused or its previous run is under way. */
    public String startScheduled(String importName) {
        return bookkeeping.startScheduled("import", importName, name -> start(name, "schedule"));
    }

    /** Executes a run recorded by {@link #start}: fetch, select, import each file, finish. */
    public void execute(String runId) {
        Run run = bookkeeping.find(runId);
        SftpImportConfig config = imports.get(run.importName());
        Instant started = clock.instant();
        LOG.info("Run {} of import '{}' started", runId, config.name());
        try (SftpSite site = SftpSite.open(config.server(), config.folder())) {
            List<RemoteFile> listing = site.list();
            LocalDate today = LocalDate.now(clock.withZone(config.zone()));
            DropSelector.Selection selection = new DropSelector(config.channel(), config.lookBackDays(), eventTypes)
                    .select(listing, ledger.entries(config.name()), today);
            report(config, selection.notices());
            runs.processing(runId, clock.instant());
            for (DropSelector.Pick pick : selection.picks()) {
                importOne(site, config, runId, pick);
            }
            bookkeeping.processed(config.name(), "sftp", runId, started);
            LOG.info("Run {} of import '{}' processed {} file(s)", runId, config.name(), selection.picks().size());
        } catch (IOException | RuntimeException e) {
            String reason = e.getMessage() == null ? e.toString() : e.getMessage();
            bookkeeping.failed("import", "sftp", config.name(), runId, "run " + runId + " failed", reason, started);
        }
    }

    private void importOne(SftpSite site, SftpImportConfig config, String runId, DropSelector.Pick pick)
            throws IOException {
        RemoteFile file = pick.file();
        Long runFileId = store.inTransaction(c -> {
            runs.holdUnderWay(c, runId); // no claim for a run another instance took over
            long id = runs.addFile(c, runId, file.name(), file.sizeBytes(), file.modifiedAt(), clock.instant());
            if (!ledger.claim(c, config.name(), new FileLedger.Entry(file.name(), file.sizeBytes(), file.modifiedAt()), id)) {
                c.rollback();
                return null;
            }
            return id;
        });
        if (runFileId == null) {
            LOG.info("File {} of import '{}' is claimed already; skipped", file.name(), config.name());
            return;
        }
        EventType type = eventTypes.byCode(pick.name().eventCode()).orElseThrow();
        MappingSettings settings = new MappingSettings("sftp", config.name(), config.channel(), type, config.zone(),
                config.requiredColumns(), true, config.productIdDelimiter(), config.utm());
        FileImporter.Outcome outcome;
        try (InputStream in = new ListedSizeStream(site.open(file.name()), file.sizeBytes())) {
            outcome = importer.importFile(runId, runFileId, file.name(), in, config.delimiter(), settings);
        } catch (FileFailures.FileFailedException recorded) {
            throw recorded;
        } catch (IOException openOrClose) {
            fileFailures.failed(new FileFailures.FileOfRun(config.name(), runId, runFileId, file.name()),
                    openOrClose.getMessage());
            throw openOrClose;
        }
        LOG.info("File {} of import '{}': {} ({} rows, {} accepted, {} rejected){}", file.name(), config.name(),
                outcome.status(), outcome.counts().total(), outcome.counts().processed(), outcome.counts().errored(),
                outcome.reason() == null ? "" : ": " + outcome.reason());
        afterImport(site, config, file.name());
    }

    private void afterImport(SftpSite site, SftpImportConfig config, String name) {
        try {
            switch (config.afterImport()) {
                case LEAVE -> { }
                case DELETE -> site.delete(name);
                case MOVE -> site.move(name, config.moveTo());
            }
        } catch (IOException e) {
            LOG.warn("Import '{}': after-import action failed: {}", config.name(), e.getMessage());
            errors.record(config.name(), "after-import-failed", "file " + name + " was imported, but "
                    + config.afterImport().name().toLowerCase() + " failed", e.getMessage(), clock.instant());
        }
    }

    private void report(SftpImportConfig config, List<DropSelector.Notice> notices) {
        for (DropSelector.Notice notice : notices) {
            if (ledger.reportOnce(config.name(), notice.file().name(), notice.fingerprint())) {
                String summary = "file " + DropFileName.printable(notice.file().name()) + " " + notice.reason();
                LOG.warn("Import '{}': {}", config.name(), summary);
                errors.record(config.name(), "file-left-alone", summary, null, clock.instant());
            }
        }
    }
}
