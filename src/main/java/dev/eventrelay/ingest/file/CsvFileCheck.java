package dev.eventrelay.ingest.file;

import dev.eventrelay.ingest.FileFailures;
import dev.eventrelay.mapping.CsvLayout;
import dev.eventrelay.mapping.CsvRowMapper;
import dev.eventrelay.mapping.Excerpt;
import dev.eventrelay.mapping.HeaderRejectedException;
import dev.eventrelay.mapping.MappingSettings;
import dev.eventrelay.mapping.RowOutcome;
import dev.eventrelay.model.RowCounts;
import dev.eventrelay.state.RejectedRow;
import dev.eventrelay.state.Status;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a CSV file with the row rules of an import and stores nothing (the upload's {@code dry_run}): the file is
 * read to its end, streaming, through the same reader, layout and row mapper as {@link FileImporter}; the answer is
 * what an import would have counted and the first rejected rows with their reasons.
 */
public final class CsvFileCheck {

    /** What an import of the file would do: Imported (some rows may be rejected) or Rejected whole. */
    public record Result(String status, RowCounts counts, String reason, List<RejectedRow> rejected) {
    }

    private final CsvLimits limits;
    private final Clock clock;
    private final int maxRejectedShown;

    /** @param maxRejectedShown how many rejected rows the result lists (all are counted) */
    public CsvFileCheck(CsvLimits limits, Clock clock, int maxRejectedShown) {
        this.limits = limits;
        this.clock = clock;
        this.maxRejectedShown = maxRejectedShown;
    }

    /** Reads {@code in} to its end; an {@link IOException} means the body broke off (nothing is stored either way). */
    public Result check(String fileName, InputStream in, char delimiter, MappingSettings settings) throws IOException {
        Instant now = clock.instant();
        List<RejectedRow> rejected = new ArrayList<>();
        long total = 0;
        long processed = 0;
        long errored = 0;
        long warnings = 0;
        try (CsvFileReader reader = new CsvFileReader(in, delimiter, limits)) {
            CsvRowMapper mapper = new CsvRowMapper(settings, CsvLayout.of(reader.header(), settings), fileName, null);
            for (CsvRow row = reader.next(); row != null; row = reader.next()) {
                total++;
                RowOutcome outcome = row.defect() != null ? RowOutcome.rejected(row.defect())
                        : mapper.map(row.number(), row.values(), now);
                if (outcome.isAccepted()) {
                    processed++;
                    warnings += outcome.warnings().size();
                } else {
                    errored++;
                    if (rejected.size() < maxRejectedShown) {
                        rejected.add(new RejectedRow(fileName, row.number(),
                                Excerpt.cut(outcome.rejection(), FileFailures.MAX_REASON_CHARS),
                                Excerpt.cut(row.raw(), FileImporter.MAX_RAW_LINE_CHARS)));
                    }
                }
            }
            return new Result(Status.IMPORTED, new RowCounts(total, processed, errored, warnings), null, rejected);
        } catch (FileRejectedException | HeaderRejectedException e) {
            return new Result(Status.REJECTED, new RowCounts(total, 0, 0, 0),
                    Excerpt.cut(e.getMessage(), FileFailures.MAX_REASON_CHARS), List.of());
        }
    }
}
