package dev.eventrelay.delivery;

import dev.eventrelay.state.EventLog;

import java.util.List;

/**
 * The events a hook sends in one attempt, under one batch id. A batch comes from the event log
 * ({@code end} is the cursor after it) or is the replay of a dead letter ({@code deadLetterId}).
 */
public record HookBatch(String hook, String batchId, List<Outgoing> events, EventLog.Cursor end, Long deadLetterId) {

    public boolean isReplay() {
        return deadLetterId != null;
    }

    /** The hook messages as one JSON array, as dead letters store them. */
    public String payload() {
        StringBuilder json = new StringBuilder(events.size() * 600).append('[');
        for (int i = 0; i < events.size(); i++) {
            json.append(i == 0 ? "" : ",").append(events.get(i).json());
        }
        return json.append(']').toString();
    }
}
