package dev.eventrelay.state;

/**
 * A write for a run was refused because the run is no longer under way: another instance took it over after this
 * instance's lease expired (or it ended). Nothing more is written for it; its files are imported by the run that
 * took over.
 */
public final class RunNotUnderWayException extends RuntimeException {

    public RunNotUnderWayException(String runId) {
        super("run " + runId + " is no longer under way: another instance took it over after this instance's lease"
                + " expired, or it ended; nothing more is written for it");
    }
}
