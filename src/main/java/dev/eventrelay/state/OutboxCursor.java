package dev.eventrelay.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static dev.eventrelay.state.Sql.update;

/**
 * On the kafka backbone, how far the system events of the event log have been forwarded to the topic: a cursor kept
 * as the {@code hook_state} row {@value #NAME} (not a name a hook may have), so that retention keeps every event
 * until it has been forwarded. {@link #advance} moves it under the row's lock, so that of several instances
 * sharing the store one forwards a given event.
 */
public final class OutboxCursor {

    /** The row of {@code hook_state} that holds the cursor. */
    public static final String NAME = "relay:kafka-outbox";

    /** One forwarding step: forwards what follows {@code at} and returns the cursor after it. */
    @FunctionalInterface
    public interface Step {
        EventLog.Cursor forward(EventLog.Cursor at) throws SQLException;
    }

    private final StateStore store;

    public OutboxCursor(StateStore store) {
        this.store = store;
    }

    /** Where the forwarding stands, read without a lock. */
    public EventLog.Cursor at() {
        return store.read(c -> cursor(c));
    }

    /** Runs {@code step} from the cursor, holding its row lock, and moves the cursor to where the step ended. */
    public EventLog.Cursor advance(Step step) {
        return store.inTransaction(c -> {
            update(c, "INSERT INTO hook_state (hook, segment_seq, event_log_id) VALUES (?, 0, 0) ON CONFLICT DO NOTHING",
                    NAME);
            update(c, "UPDATE hook_state SET segment_seq = segment_seq WHERE hook = ?", NAME); // the row lock
            EventLog.Cursor next = step.forward(cursor(c));
            update(c, "UPDATE hook_state SET segment_seq = ?, event_log_id = ? WHERE hook = ?", next.segmentSeq(),
                    next.logId(), NAME);
            return next;
        });
    }

    private static EventLog.Cursor cursor(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT segment_seq, event_log_id FROM hook_state WHERE hook = ?")) {
            query.setString(1, NAME);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? new EventLog.Cursor(rows.getLong(1), rows.getLong(2)) : EventLog.Cursor.START;
            }
        }
    }
}
