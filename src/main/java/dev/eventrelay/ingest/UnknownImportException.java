package dev.eventrelay.ingest;

/** No import has that name. */
public final class UnknownImportException extends RuntimeException {

    public UnknownImportException(String name) {
        super("no import is named '" + name + "'");
    }
}
