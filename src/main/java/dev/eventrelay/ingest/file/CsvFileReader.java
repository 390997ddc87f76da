package dev.eventrelay.ingest.file;

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
import java.util.Iterator;
import java.util.List;

/**
 * Streams a UTF-8 CSV file row by row with Commons CSV. The header is the first record; a UTF-8
 * byte order mark is skipped, any other encoding is refused. Each row carries its raw text, so a
 * rejected row can be reported as it was written. Memory holds one row plus the parser's buffer.
 */
public final class CsvFileReader implements Closeable {

    private final RecordingReader text;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private List<String> header;
    private CSVRecord pending;
    private long linesBeforePending;
    private long rowNumber;

    public CsvFileReader(InputStream in, char delimiter) throws IOException, FileRejectedException {
        BOMInputStream bom = BOMInputStream.builder()
                .setInputStream(in)
                .setByteOrderMarks(ByteOrderMark.UTF_8, ByteOrderMark.UTF_16LE, ByteOrderMark.UTF_16BE)
                .get();
        if (bom.hasBOM() && !bom.hasBOM(ByteOrderMark.UTF_8)) {
            throw new FileRejectedException("the file is " + bom.getBOMCharsetName()
                    + " (it starts with that byte order mark); files must be UTF-8");
        }
        this.text = new RecordingReader(new StrictUtf8Reader(bom));
        this.parser = CSVFormat.RFC4180.builder()
                .setDelimiter(delimiter)
                .setIgnoreEmptyLines(true)
                .get()
                .parse(text);
        this.records = parser.iterator();
    }

    /** The header names, trimmed. Rejects a file without a header, or with empty or duplicate names. */
    public List<String> header() throws FileRejectedException {
        if (header == null) {
            CSVRecord first = advance();
            if (first == null) {
                throw new FileRejectedException("the file is empty: it has no header row");
            }
            header = first.stream().map(String::trim).toList();
            for (int i = 0; i < header.size(); i++) {
                if (header.get(i).isEmpty()) {
                    throw new FileRejectedException("header column " + (i + 1) + " has no name");
                }
                if (header.indexOf(header.get(i)) != i) {
                    throw new FileRejectedException("header column '" + header.get(i) + "' appears twice");
                }
            }
            pending = advance();
        }
        return header;
    }

    /** The next data row, or null at the end of the file. */
    public CsvRow next() throws FileRejectedException {
        header();
        CSVRecord current = pending;
        if (current == null) {
            return null;
        }
        pending = advance();
        long end = pending == null ? text.position() : pending.getCharacterPosition();
        String raw = trimLineBreaks(text.slice(current.getCharacterPosition(), end));
        text.forget(end);
        rowNumber++;
        return new CsvRow(rowNumber, current.toList(), raw);
    }

    private CSVRecord advance() throws FileRejectedException {
        linesBeforePending = parser.getCurrentLineNumber();
        try {
            return records.hasNext() ? records.next() : null;
        } catch (UncheckedIOException | IllegalStateException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            long line = linesBeforePending + 1;
            if (text.failure != null) {
                // the source broke off (connection lost): the file is not at fault, it must be read again
                throw new UncheckedIOException("reading broke off in the record starting on line " + line + ": "
                        + text.failure.getMessage(), text.failure);
            }
            if (cause instanceof CharacterCodingException) {
                throw new FileRejectedException("the file is not valid UTF-8: bad bytes in the record starting on line "
                        + line + "; save the file as UTF-8");
            }
            String message = String.valueOf(cause.getMessage());
            if (message.contains("EOF reached before encapsulated token finished")) {
                throw new FileRejectedException("a quoted value opening on line " + line + " is never closed");
            }
            throw new FileRejectedException("the CSV cannot be read at the record starting on line " + line + ": "
                    + message);
        }
    }

    private static String trimLineBreaks(String raw) {
        int start = 0;
        while (start < raw.length() && (raw.charAt(start) == '\n' || raw.charAt(start) == '\r')) {
            start++;
        }
        raw = raw.substring(start);
        int end = raw.length();
        while (end > 0 && (raw.charAt(end - 1) == '\n' || raw.charAt(end - 1) == '\r')) {
            end--;
        }
        return raw.substring(0, end);
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }

    /** Keeps the characters read since the start of the oldest row not yet handed out. */
    private static final class RecordingReader extends Reader {
        private final Reader in;
        private final StringBuilder kept = new StringBuilder();
        private long keptStart;
        /** Set when the source failed (not bad bytes): the file could not be read to its end. */
        private IOException failure;

        RecordingReader(Reader in) {
            this.in = in;
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n;
            try {
                n = in.read(buffer, offset, length);
            } catch (CharacterCodingException badBytes) {
                throw badBytes;
            } catch (IOException brokeOff) {
                failure = brokeOff;
                throw brokeOff;
            }
            if (n > 0) {
                kept.append(buffer, offset, n);
            }
            return n;
        }

        long position() {
            return keptStart + kept.length();
        }

        String slice(long from, long to) {
            return kept.substring((int) (from - keptStart), (int) (to - keptStart));
        }

        void forget(long upTo) {
            kept.delete(0, (int) (upTo - keptStart));
            keptStart = upTo;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
