package dev.eventrelay.ingest.file;

import dev.eventrelay.ingest.CountingInputStream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A remote file's bytes, which must be exactly as many as the listing gave. A file still being written when its
 * run listed it has more: as soon as more are read, or at an end short of the size, this throws, so the importer
 * fails the file (nothing of it published, the ledger released) and the next run reads it whole, instead of
 * importing its first part and reporting the rest as a change after import.
 */
final class ListedSizeStream extends CountingInputStream {

    private final long listedBytes;

    ListedSizeStream(InputStream in, long listedBytes) {
        super(in);
        this.listedBytes = listedBytes;
    }

    @Override
    protected void counted(long total, boolean atEnd) throws IOException {
        if (total > listedBytes || atEnd && total < listedBytes) {
            throw new IOException("the file changed while it was read (" + listedBytes + " bytes when listed, "
                    + total + " read); the next run reads it again");
        }
    }
}
