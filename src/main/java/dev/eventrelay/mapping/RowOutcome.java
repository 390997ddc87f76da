package dev.eventrelay.mapping;

import dev.eventrelay.model.Event;

import java.util.List;

/** What became of a row: an event (with warnings, possibly none), or the reason it was rejected. */
public record RowOutcome(Event event, String rejection, List<String> warnings) {

    public static RowOutcome accepted(Event event, List<String> warnings) {
        return new RowOutcome(event, null, warnings);
    }

    public static RowOutcome rejected(String reason) {
        return new RowOutcome(null, reason, List.of());
    }

    public boolean isAccepted() {
        return event != null;
    }
}
