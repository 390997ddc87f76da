package dev.eventrelay.ingest.upload;

/**
 * The body of an upload stopped before its end: the client closed the connection, or sent nothing for
 * too long. Unchecked for the same reason as {@link UploadTooLargeException}.
 */
public final class UploadInterruptedException extends RuntimeException {

    public UploadInterruptedException(long bytesRead, String why) {
        super("the upload stopped after " + bytesRead + " bytes: " + why);
    }
}
