package dev.eventrelay.state;

import dev.eventrelay.common.Secrets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/** The error log of the contract: what went wrong, a code, what the remote system said, and when. */
public final class ErrorLog {

    /** An entry: {@code source} names the import or hook it concerns. */
    public record Entry(long id, Instant occurredAt, String source, String summary, String code,
                        String externalMessage) {
    }

    private final StateStore store;

    public ErrorLog(StateStore store) {
        this.store = store;
    }

    public void record(String source, String code, String summary, String externalMessage, Instant now) {
        store.inTransaction(c -> update(c, """
                INSERT INTO error_log (occurred_at, source, summary, code, external_message) VALUES (?, ?, ?, ?, ?)""",
                utc(now), source, Secrets.mask(summary), code, Secrets.mask(externalMessage)));
    }

    /** How many entries there are since {@code since}. */
    public long count(Instant since) {
        return store.read(c -> Sql.count(c, "SELECT COUNT(*) FROM error_log WHERE occurred_at >= ?", utc(since)));
    }

    /** Entries since {@code since}, newest first. */
    public List<Entry> since(Instant since, int limit, int offset) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement("""
                    SELECT id, occurred_at, source, summary, code, external_message FROM error_log
                    WHERE occurred_at >= ? ORDER BY occurred_at DESC, id DESC LIMIT ? OFFSET ?""")) {
                bind(query, utc(since), limit, offset);
                List<Entry> entries = new ArrayList<>();
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new Entry(rows.getLong(1), instant(rows, 2),
                                rows.getString(3), rows.getString(4), rows.getString(5), rows.getString(6)));
                    }
                }
                return entries;
            }
        });
    }
}
