package dev.eventrelay.ingest.upload;

import dev.eventrelay.ingest.CountingInputStream;

import java.io.InputStream;

/** Counts the bytes read from a body and throws {@link UploadTooLargeException} as soon as they pass the limit. */
final class SizeLimitedInputStream extends CountingInputStream {

    private final long maxBytes;

    SizeLimitedInputStream(InputStream in, long maxBytes) {
        super(in);
        this.maxBytes = maxBytes;
    }

    @Override
    protected void counted(long total, boolean atEnd) {
        if (total > maxBytes) {
            throw new UploadTooLargeException(maxBytes);
        }
    }
}
