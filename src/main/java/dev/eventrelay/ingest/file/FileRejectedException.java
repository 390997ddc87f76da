package dev.eventrelay.ingest.file;

/** A defect of a whole file (no header, missing column, wrong encoding, broken quoting): nothing of it is imported. */
public class FileRejectedException extends Exception {

    public FileRejectedException(String reason) {
        super(reason);
    }
}
