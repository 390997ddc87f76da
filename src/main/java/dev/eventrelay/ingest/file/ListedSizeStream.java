package dev.eventrelay.ingest.file;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A remote file's bytes, which must be exactly as many as the listing gave. A file still being written when its
 * run listed it has more: as soon as more are read, or at an end short of the size, this throws, so the importer
 * fails the file (nothing of it published, the ledger released) and the next run reads it whole, instead of
 * importing its first part and reporting the rest as a change after import.
 */
final class ListedSizeStream extends FilterInputStream {

    private final long listedBytes;
    private long readBytes;

    ListedSizeStream(InputStream in, long listedBytes) {
        super(in);
        this.listedBytes = listedBytes;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        counted(b < 0 ? -1 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        counted(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        readBytes += skipped;
        check(false);
        return skipped;
    }

    private void counted(int n) throws IOException {
        readBytes += Math.max(n, 0);
        check(n < 0);
    }

    private void check(boolean atEnd) throws IOException {
        if (readBytes > listedBytes || atEnd && readBytes < listedBytes) {
            throw new IOException("the file changed while it was read (" + listedBytes + " bytes when listed, "
                    + readBytes + " read); the next run reads it again");
        }
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
