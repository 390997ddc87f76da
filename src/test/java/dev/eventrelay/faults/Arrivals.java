package dev.eventrelay.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * What one receiver got, as a receiver that drops duplicates by {@code event_id} sees it: the hook messages by
 * the test's own key of the row they came from (so a test compares them with the rows it generated, not with
 * ids the service computed), how many arrived more than once, and every duplicate that differs from the first
 * copy or reuses another row's event id.
 */
public final class Arrivals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String receiver;
    private final Function<JsonNode, String> rowKey;
    private final Map<String, JsonNode> byRow = new HashMap<>();
    private final Map<String, String> rowByEventId = new HashMap<>();
    private final List<String> defects = new ArrayList<>();
    private long messages;

    public Arrivals(String receiver, Function<JsonNode, String> rowKey) {
        this.receiver = receiver;
        this.rowKey = rowKey;
    }

    public synchronized void add(String json) throws IOException {
        add(JSON.readTree(json));
    }

    public synchronized void add(JsonNode message) {
        messages++;
        String row = rowKey.apply(message);
        String eventId = message.path("event_id").asText();
        JsonNode first = byRow.putIfAbsent(row, message);
        if (first != null && !first.equals(message) && defects.size() < 20) {
            defects.add(receiver + ": row " + row + " arrived twice with different content:\n  " + first
                    + "\n  " + message);
        }
        String owner = rowByEventId.putIfAbsent(eventId, row);
        if (owner != null && !owner.equals(row) && defects.size() < 20) {
            defects.add(receiver + ": event id " + eventId + " was given to rows " + owner + " and " + row);
        }
    }

    public synchronized int rows() {
        return byRow.size();
    }

    public synchronized Set<String> rowKeys() {
        return Set.copyOf(byRow.keySet());
    }

    public synchronized long duplicates() {
        return messages - byRow.size();
    }

    public synchronized List<String> defects() {
        return List.copyOf(defects);
    }

    @Override
    public synchronized String toString() {
        return receiver + ": " + byRow.size() + " rows from " + messages + " messages";
    }
}
