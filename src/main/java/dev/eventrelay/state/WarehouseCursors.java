package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;

import static dev.eventrelay.state.Sql.bind;
import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.instant;
import static dev.eventrelay.state.StateStore.utc;

/**
 * Where each warehouse sync stands: the change timestamp and row key of the last row of its last
 * published page. The cursor moves only inside the transaction that publishes that page.
 */
public final class WarehouseCursors {

    /** A sync's position; {@code rowKey} is null when the sync pages on whole change timestamps. */
    public record Cursor(OffsetDateTime changedAt, String rowKey, Instant updatedAt) {
    }

    private final StateStore store;

    public WarehouseCursors(StateStore store) {
        this.store = store;
    }

    public Optional<Cursor> find(String syncName) {
        return store.read(c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT changed_at, row_key, updated_at FROM warehouse_cursor WHERE sync_name = ?")) {
                bind(query, syncName);
                try (ResultSet rows = query.executeQuery()) {
                    if (!rows.next()) {
                        return Optional.empty();
                    }
                    return Optional.of(new Cursor(StateStore.offsetDateTime(rows, 1), rows.getString(2),
                            instant(rows, 3)));
                }
            }
        });
    }

    /** Moves the cursor; call in the transaction that publishes the page ending at this row. */
    public void advance(Connection c, String syncName, OffsetDateTime changedAt, String rowKey, Instant now)
            throws SQLException {
        int updated = update(c, "UPDATE warehouse_cursor SET changed_at = ?, row_key = ?, updated_at = ?"
                + " WHERE sync_name = ?", changedAt, rowKey, utc(now), syncName);
        if (updated == 0) {
            update(c, "INSERT INTO warehouse_cursor (sync_name, changed_at, row_key, updated_at) VALUES (?, ?, ?, ?)",
                    syncName, changedAt, rowKey, utc(now));
        }
    }
}
