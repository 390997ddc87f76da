package dev.eventrelay.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read through it and hands each new total to {@link #counted}, which may refuse it by throwing. */
public abstract class CountingInputStream extends FilterInputStream {

    private long count;

    protected CountingInputStream(InputStream in) {
        super(in);
    }

    /** The bytes read so far. */
    public long count() {
        return count;
    }

    /** Called after every read with the bytes read so far; {@code atEnd} once the stream has ended. */
    protected abstract void counted(long total, boolean atEnd) throws IOException;

    @Override
    public int read() throws IOException {
        int b = super.read();
        add(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        add(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        count += skipped;
        counted(count, false);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(int n) throws IOException {
        count += Math.max(n, 0);
        counted(count, n < 0);
    }
}
