package dev.eventrelay.ingest;

/** An import or a sync cannot start a run now (disabled, paused, one under way); the message says why. */
public final class RunRefusedException extends RuntimeException {

    public RunRefusedException(String reason) {
        super(reason);
    }
}
