package dev.eventrelay.ingest.file;

import dev.eventrelay.mapping.Excerpt;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.io.ByteOrderMark;
import org.apache.commons.io.input.BOMInputStream;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Streams a UTF-8 CSV file row by row with Commons CSV. The header is the first record; a UTF-8
 * byte order mark is skipped, any other encoding is refused. Each row carries its raw text, so a
 * rejected row can be reported as it was written. Memory holds one row plus the parser's buffer:
 * a {@link CsvTextGuard} keeps every row within {@link CsvLimits#maxRowChars()} (a longer row comes
 * out as a {@link CsvRow} with a defect), and a header wider than {@link CsvLimits#maxColumns()}
 * rejects the file.
 */
public final class CsvFileReader implements Closeable {

    private final CsvLimits limits;
    private final CsvTextGuard guard;
    private final RecordingReader text;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private List<String> header;
    private CSVRecord pending;
    private long linesBeforePending;
    private long rowNumber;

    public CsvFileReader(InputStream in, char delimiter) throws IOException, FileRejectedException {
        this(in, delimiter, CsvLimits.DEFAULTS);
    }

    public CsvFileReader(InputStream in, char delimiter, CsvLimits limits) throws IOException, FileRejectedException {
        this.limits = limits;
        BOMInputStream bom = BOMInputStream.builder()
                .setInputStream(in)
                .setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16LE, ByteOrderMark.UTF_16BE)
                .get();
        if (bom.hasBOM() && !bom.hasBOM(ByteOrderMark.UTF_8)) {
            throw new FileRejectedException("the file is " + bom.getBOMCharsetName()
                    + " (it starts with that byte order mark); files must be UTF-8");
        }
        this.guard = new CsvTextGuard(new StrictUtf8Reader(bom), delimiter, limits.maxRowChars());
        this.text = new RecordingReader(guard);
        this.parser = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .get()
                .parse(text);
        this.records = parser.iterator();
    }

    /**
     * The header names, trimmed. Rejects a file without a header, with a header too long or too wide,
     * or with empty or duplicate names.
     */
    public List<String> header() throws IOException, FileRejectedException {
        if (header == null) {
            CSVRecord first = advance();
            if (first == null) {
                throw new FileRejectedException("the file is empty: it has no header row");
            }
            pending = advance();
            long end = pending == null ? text.position() : pending.getCharacterPosition();
            CsvTextGuard.Cut cut = guard.cutBefore(end);
            if (cut != null) {
                throw new FileRejectedException(tooLong("the header row", cut));
            }
            if (first.size() > limits.maxColumns()) {
                throw new FileRejectedException("the header has " + String.format("%,d", first.size())
                        + " columns; at most " + String.format("%,d", limits.maxColumns())
                        + " are allowed (relay.imports.csv.max-columns)");
            }
            List<String> names = first.stream().map(String::trim).toList();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                if (names.get(i).isEmpty()) {
                    throw new FileRejectedException("header column " + (i + 1) + " has no name");
                }
                if (!seen.add(names.get(i))) {
                    throw new FileRejectedException("header column " + Excerpt.quote(names.get(i))
                            + " appears twice (columns " + (names.indexOf(names.get(i)) + 1) + " and " + (i + 1) + ")");
                }
            }
            header = names;
        }
        return header;
    }

    /** The next data row, or null at the end of the file. */
    public CsvRow next() throws IOException, FileRejectedException {
        header();
        CSVRecord current = pending;
        if (current == null) {
            return null;
        }
        pending = advance();
        long end = pending == null ? text.position() : pending.getCharacterPosition();
        String raw = text.sliceWithoutLineBreaks(current.getCharacterPosition(), end);
        text.forget(end);
        rowNumber++;
        CsvTextGuard.Cut cut = guard.cutBefore(end);
        if (cut != null) {
            return new CsvRow(rowNumber, List.of(), raw, tooLong("the row", cut));
        }
        return new CsvRow(rowNumber, current.toList(), raw);
    }

    private String tooLong(String what, CsvTextGuard.Cut cut) {
        return what + " is " + String.format("%,d", cut.rowLength()) + " characters long; at most "
                + String.format("%,d", limits.maxRowChars()) + " are allowed (relay.imports.csv.max-row-chars)";
    }

    /**
     * The next record, or null at the end. A defect of the text rejects the file; a failure to read
     * the bytes (the connection broke) is thrown as it is, so the file can be read again later.
     */
    private CSVRecord advance() throws IOException, FileRejectedException {
        linesBeforePending = parser.getCurrentLineNumber();
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            long line = linesBeforePending + 1;
            if (cause instanceof CsvTextGuard.Defect) {
                throw new FileRejectedException(cause.getMessage());
            }
            if (cause instanceof CharacterCodingException) {
                throw new FileRejectedException("the file is not valid UTF-8: the record starting on line " + line
                        + " holds bytes that are not UTF-8 (" + cause.getMessage()
                        + "; Latin-1 or Windows-1252?); save the file as UTF-8");
            }
            String message = String.valueOf(cause.getMessage());
            if (message.contains("EOF reached before encapsulated token finished")) {
                throw new FileRejectedException("a quoted value opening on line " + line + " is never closed");
            }
            if (message.contains("between encapsulated token and delimiter")) {
                throw new FileRejectedException("a quoted value in the record starting on line " + line
                        + " is followed by other characters before the next delimiter; quote the whole value"
                        + " and double each quote inside it");
            }
            if (cause instanceof IOException io && !(cause instanceof CSVException)) {
                throw io;
            }
            throw new FileRejectedException("the CSV cannot be read at the record starting on line " + line + ": "
                    + message);
        }
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /**
     * Keeps the characters read since the start of the oldest row not yet handed out, in one array: forgetting
     * only moves the start, and the kept characters move to the front of the array when it fills.
     */
    private static final class RecordingReader extends Reader {
        private final Reader in;
        private char[] kept = new char[16_384];
        private int from;        // index in kept of the first character kept
        private int to;          // index in kept after the last character kept
        private long keptStart;  // position in the text of kept[from]

        RecordingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = in.read(buffer, offset, length);
            if (n > 0) {
                if (to + n > kept.length) {
                    int live = to - from;
                    char[] target = live + n > kept.length ? new char[Math.max(kept.length * 2, live + n)] : kept;
                    System.arraycopy(kept, from, target, 0, live);
                    kept = target;
                    from = 0;
                    to = live;
                }
                System.arraycopy(buffer, offset, kept, to, n);
                to += n;
            }
            return n;
        }

        long position() {
            return keptStart + (to - from);
        }

        /** The text from {@code start} to {@code end}, line breaks at either end left out. */
        String sliceWithoutLineBreaks(long start, long end) {
            int a = from + (int) (start - keptStart);
            int b = from + (int) (end - keptStart);
            while (a < b && (kept[a] == '\n' || kept[a] == '\r')) {
                a++;
            }
            while (b > a && (kept[b - 1] == '\n' || kept[b - 1] == '\r')) {
                b--;
            }
            return new String(kept, a, b - a);
        }

        void forget(long upTo) {
            from += (int) (upTo - keptStart);
            keptStart = upTo;
            if (from == to) {
                from = 0;
                to = 0;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
