package dev.eventrelay.state;

import dev.eventrelay.settings.PropertyReader;

import java.time.Duration;

/**
 * How long the state store keeps what it no longer needs, read from {@code relay.retention.*}: each kind of row after
 * its own number of days ({@link #KEEP} = never deleted), deleted in batches of {@code batchRows} rows, at most
 * {@code maxBatches} batches per kind and sweep, a sweep every {@code period}.
 *
 * @param eventDays      published events that every configured hook has passed, after their publication
 * @param runDays        ended runs with their files (never a run that still has events or ledger entries, never the
 *                       newest Processed run of an import), after their end
 * @param rejectedDays   rejected rows, after the end of their run
 * @param ledgerDays     file ledger entries, after their file was claimed; at least the longest look-back + 2 days
 * @param errorDays      error log entries, after they happened
 * @param deadLetterDays dead letters replayed (delivered), after their replay; never one that is not delivered
 */
public record RetentionPolicy(boolean enabled, Duration period, int batchRows, int maxBatches, int eventDays,
                              int runDays, int rejectedDays, int ledgerDays, int errorDays, int deadLetterDays) {

    public static final String PREFIX = "relay.retention.";
    /** A number of days that keeps rows forever. */
    public static final int KEEP = -1;
    private static final int MAX_DAYS = 36_500;

    /**
     * Reads the policy; {@code longestLookBackDays} is the longest look-back window of the SFTP imports, which the
     * ledger must outlive: a ledger entry deleted while its file is still inside a look-back window would import the
     * file again.
     */
    public static RetentionPolicy read(PropertyReader p, int longestLookBackDays) {
        int ledgerDays = days(p, "ledger", 30);
        int ledgerFloor = longestLookBackDays + 2;
        if (ledgerDays != KEEP && ledgerDays < ledgerFloor) {
            p.problem(PREFIX + "ledger.days", "is " + ledgerDays + "; it must be -1 (keep) or at least " + ledgerFloor
                    + " (the longest relay.import.<name>.look-back.days, " + longestLookBackDays + ", plus 2), or a"
                    + " file still inside a look-back window would be imported again");
        }
        RetentionPolicy policy = new RetentionPolicy(p.bool(PREFIX + "enabled", true),
                Duration.ofSeconds(p.integer(PREFIX + "period.seconds", 3600, 1, 604_800)),
                p.integer(PREFIX + "batch.rows", 1000, 1, 100_000),
                p.integer(PREFIX + "batch.max-per-sweep", 100, 1, 100_000),
                days(p, "events", 7), days(p, "runs", 90), days(p, "rejected-rows", 30), ledgerDays,
                days(p, "errors", 30), days(p, "dead-letters", 30));
        p.unknownKeysOf(PREFIX);
        return policy;
    }

    private static int days(PropertyReader p, String kind, int fallback) {
        return p.integer(PREFIX + kind + ".days", fallback, KEEP, MAX_DAYS);
    }
}
