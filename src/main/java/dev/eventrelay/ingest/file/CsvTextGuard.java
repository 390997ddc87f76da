package dev.eventrelay.ingest.file;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Stands between the decoded text and the CSV parser and keeps every row within a length, so no row
 * (a 10 MB cell, a line of a million commas, a quote that is never closed) can fill the memory. It
 * follows the rows the way an RFC 4180 parser does (a quote at the start of a value opens it, a
 * doubled quote inside stands for one, line breaks inside quotes belong to the row). Once a row is
 * longer than the limit, the rest of it is dropped (a quoted value is closed first, so the parser
 * still sees a well-formed row) and the cut is remembered: its position in the text handed to the
 * parser and the row's whole length. It also refuses a NUL character, which no text file holds
 * (UTF-16 without a byte order mark, binary data).
 */
final class CsvTextGuard extends Reader {

    /** A defect of the text that rejects the whole file; the message says what and on which line. */
    static final class Defect extends IOException {
        Defect(String message) {
            super(message);
        }
    }

    /** A row cut short: where the cut is in the parser's text, and how long the row was. */
    record Cut(long position, long rowLength) {
    }

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED, AFTER_QUOTE }

    private final Reader in;
    private final char delimiter;
    private final int maxRowChars;
    private final Deque<Cut> cuts = new ArrayDeque<>();
    private State state = State.FIELD_START;
    private long line = 1;
    private long quoteLine;
    private char previous;
    private long rowLength;
    private long emitted;
    private boolean cutting;
    private long cutAt;
    private boolean ended;
    private int readOffset;  // where the current read() writes into the caller's buffer

    CsvTextGuard(Reader in, char delimiter, int maxRowChars) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxRowChars = maxRowChars;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        while (true) {
            if (ended) {
                return -1;
            }
            int n = in.read(buffer, offset, length);
            if (n < 0) {
                end();
                return -1;
            }
            readOffset = offset;
            int out = offset;
            int end = offset + n;
            for (int i = offset; i < end; i++) {
                if (out == i && !cutting && (state == State.UNQUOTED || state == State.QUOTED)) {
                    int run = ordinaryRun(buffer, i, end);
                    if (run > 0) {
                        rowLength += run;
                        previous = buffer[i + run - 1];
                        i += run;
                        out = i;
                        if (i == end) {
                            break;
                        }
                    }
                }
                out = take(buffer[i], buffer, out);
            }
            if (out > offset) {
                emitted += out - offset;
                return out - offset;
            }
        }
    }

    /**
     * The cut of the row whose text ends at {@code end}, if any; cuts before it are forgotten. (A row
     * cut at the end of the file ends where it was cut; any later row's cut lies beyond its start.)
     */
    Cut cutBefore(long end) {
        Cut found = null;
        while (!cuts.isEmpty() && cuts.peekFirst().position() <= end) {
            found = cuts.removeFirst();
        }
        return found;
    }

    /**
     * How many characters from {@code from} only lengthen the row, within its limit: in an unquoted value all but
     * the delimiter and line breaks, in a quoted one all but the quote and line breaks (a NUL never). They stay
     * where they are; {@link #take} follows the character after them.
     */
    private int ordinaryRun(char[] buffer, int from, int end) {
        int limit = (int) Math.min(end, from + Math.max(0, maxRowChars - rowLength));
        char stop = state == State.UNQUOTED ? delimiter : '"';
        int i = from;
        while (i < limit) {
            char c = buffer[i];
            if (c == stop || c == '\n' || c == '\r' || c == 0) {
                break;
            }
            i++;
        }
        return i - from;
    }

    /** Follows one character; writes it to {@code buffer[out]} unless the row is being cut; returns the next out. */
    private int take(char c, char[] buffer, int out) throws Defect {
        if (c == 0) {
            throw new Defect("the file is not UTF-8 text: line " + line + " holds a NUL character"
                    + " (is it UTF-16 without a byte order mark, or binary?); save the file as UTF-8");
        }
        if (c == '\r' || (c == '\n' && previous != '\r')) {
            line++;
        }
        previous = c;
        State before = state;
        boolean endsRow = false;
        switch (state) {
            case FIELD_START -> {
                if (c == '"') {
                    state = State.QUOTED;
                    quoteLine = line;
                } else if (isLineBreak(c)) {
                    endsRow = true;
                } else if (c != delimiter) {
                    state = State.UNQUOTED;
                }
            }
            case UNQUOTED, AFTER_QUOTE -> {
                if (c == delimiter) {
                    state = State.FIELD_START;
                } else if (isLineBreak(c)) {
                    endsRow = true;
                }
            }
            case QUOTED -> {
                if (c == '"') {
                    state = State.QUOTE_IN_QUOTED;
                }
            }
            case QUOTE_IN_QUOTED -> {
                if (c == '"') {
                    state = State.QUOTED;
                } else if (c == delimiter) {
                    state = State.FIELD_START;
                } else if (isLineBreak(c)) {
                    endsRow = true;
                } else {
                    state = State.AFTER_QUOTE;
                }
            }
        }
        if (endsRow) {
            state = State.FIELD_START;
            if (cutting) {
                cuts.addLast(new Cut(cutAt, rowLength));
                cutting = false;
            }
            rowLength = 0;
            buffer[out] = c;
            return out + 1;
        }
        rowLength++;
        if (cutting) {
            return out;
        }
        if (rowLength > maxRowChars) {
            cutting = true;
            cutAt = emitted + (out - readOffset);
            if (before == State.QUOTED) {
                buffer[out] = '"';
                return out + 1;
            }
            return out;
        }
        buffer[out] = c;
        return out + 1;
    }

    private void end() throws Defect {
        ended = true;
        if (cutting) {
            if (state == State.QUOTED) {
                throw new Defect("a quoted value opening on line " + quoteLine + " is never closed");
            }
            cuts.addLast(new Cut(cutAt, rowLength));
            cutting = false;
        }
    }

    private static boolean isLineBreak(char c) {
        return c == '\n' || c == '\r';
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
