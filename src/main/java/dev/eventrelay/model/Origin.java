package dev.eventrelay.model;

/**
 * Where an event came from: {@code kind} is sftp, upload or warehouse, or {@link #SYSTEM} for the service's own
 * events (which name the import, file and run they report on, when there is one); the other fields are null when
 * they do not apply.
 */
public record Origin(String kind, String importName, String channel, String eventCode, String file,
                     long row, String runId) {

    /** The kind of the events the service emits about its own actions (runs, files, hooks). */
    public static final String SYSTEM = "system";

    /** The origin of a system event about {@code importName}, {@code file} and {@code runId} (each may be null). */
    public static Origin system(String importName, String file, String runId) {
        return new Origin(SYSTEM, importName, null, null, file, 0, runId);
    }
}
