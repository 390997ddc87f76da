package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/**
 * The state ops give an import or a warehouse sync ({@code import_state}): paused or not, since when and
 * why. Kept in the store, so a pause survives restarts and holds for every instance. Also answers
 * whether an import has ever finished a run ({@code Completed}, for one-time imports).
 */
public final class ImportStates {

    /** A pause: when ops paused the import, and the reason they gave (null when none). */
    public record Pause(Instant at, String reason) {

        /** "paused by ops at 2026-11-25T09:30:00Z (reason)". */
        public String describe() {
            return "paused by ops at " + at + (reason == null ? "" : " (" + reason + ")");
        }
    }

    private final StateStore store;

    public ImportStates(StateStore store) {
        this.store = store;
    }

    /** The import's pause, when it is paused. */
    public Optional<Pause> paused(String name) {
        return store.read(c -> paused(c, name));
    }

    /** Pauses the import; pausing a paused import keeps the first pause (its time and reason) and returns it. */
    public Pause pause(String name, String reason, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.MILLIS);
        return store.inTransaction(c -> {
            Optional<Pause> current = paused(c, name);
            if (current.isPresent()) {
                return current.get();
            }
            if (update(c, "UPDATE import_state SET paused = TRUE, paused_at = ?, reason = ?, changed_at = ?"
                    + " WHERE import_name = ?", utc(at), reason, utc(at), name) == 0) {
                update(c, "INSERT INTO import_state (import_name, paused, paused_at, reason, changed_at)"
                        + " VALUES (?, TRUE, ?, ?, ?)", name, utc(at), reason, utc(at));
            }
            return new Pause(at, reason);
        });
    }

    /** Resumes the import; resuming an import that is not paused changes nothing. */
    public void resume(String name, Instant now) {
        store.inTransaction(c -> update(c, "UPDATE import_state SET paused = FALSE, paused_at = NULL, reason = NULL,"
                + " changed_at = ? WHERE import_name = ? AND paused = TRUE", utc(now), name));
    }

    /** Whether a run of the import has ended {@code Processed}. */
    public boolean finishedARun(String name) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT 1 FROM import_run WHERE import_name = ? AND processing_status = ? LIMIT 1")) {
                bind(query, name, Status.PROCESSED);
                try (ResultSet rows = query.executeQuery()) {
                    return rows.next();
                }
            }
        });
    }

    private static Optional<Pause> paused(Connection c, String name) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT paused_at, reason FROM import_state WHERE import_name = ? AND paused = TRUE")) {
            bind(query, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(new Pause(instant(rows, 1),
                        rows.getString(2))) : Optional.empty();
            }
        }
    }
}
