package dev.eventrelay.state;

/** The status words of the contract (runs) and of the files of a run. */
public final class Status {

    public static final String FETCHING = "Fetching";
    public static final String FETCHED = "Fetched";
    public static final String PROCESSING = "Processing";
    public static final String PROCESSED = "Processed";
    public static final String FAILED = "Failed";

    /** A file whose accepted rows were handed to delivery (some rows may have been rejected). */
    public static final String IMPORTED = "Imported";
    /** A file rejected whole: nothing of it is delivered. */
    public static final String REJECTED = "Rejected";

    private Status() {
    }
}
