package dev.eventrelay.ingest;

/** An import or a sync cannot start a run now (disabled, paused, one under way); the message says why. */
public final class RunRefusedException extends RuntimeException {

    private final String runUnderWay;

    public RunRefusedException(String reason) {
        this(reason, null);
    }

    /** Refused because the run {@code runUnderWay} of the import is under way (on this instance or another). */
    public RunRefusedException(String reason, String runUnderWay) {
        super(reason);
        this.runUnderWay = runUnderWay;
    }

    /** The run under way that refused this one, or null when the refusal has another reason. */
    public String runUnderWay() {
        return runUnderWay;
    }
}
