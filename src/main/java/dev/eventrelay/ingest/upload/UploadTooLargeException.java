package dev.eventrelay.ingest.upload;

/**
 * An upload is larger than {@code relay.upload.max-bytes}. Unchecked on purpose: thrown from inside
 * the body's {@code read}, it must pass through the CSV reader, which turns checked I/O errors into
 * file-level CSV rejections.
 */
public final class UploadTooLargeException extends RuntimeException {

    public UploadTooLargeException(long maxBytes) {
        super("the upload is larger than the limit of " + maxBytes + " bytes (relay.upload.max-bytes);"
                + " nothing of it is imported");
    }
}
