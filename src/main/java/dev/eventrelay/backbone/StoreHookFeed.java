package dev.eventrelay.backbone;

import dev.eventrelay.model.EventIds;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookStates;

/**
 * The store backbone's {@link HookFeed}: the published segments of the event log after the hook's cursor, which the
 * hook's state ({@code hook_state}) keeps and moves; a batch's id is named after the cursors it spans.
 */
public final class StoreHookFeed implements HookFeed {

    private final EventLog events;
    private final HookStates states;

    public StoreHookFeed(EventLog events, HookStates states) {
        this.events = events;
        this.states = states;
    }

    @Override
    public Read read(String hook, HookStates.State state, int max) {
        EventLog.Page page = events.read(state.cursor(), max, state.pending());
        String batchId = EventIds.nameBased("batch\n" + hook + "\n" + state.cursor().segmentSeq() + ":"
                + state.cursor().logId() + "\n" + page.next().segmentSeq() + ":" + page.next().logId());
        return new Read(page.entries(), page.next(), batchId);
    }

    @Override
    public void skipped(String hook, Read read) {
        states.skipped(hook, read.end());
    }

    /** A read is a query of the event log, nothing else. */
    @Override
    public boolean readsAhead() {
        return true;
    }

    @Override
    public long published() {
        return events.published();
    }

    @Override
    public void passed(String hook, EventLog.Cursor end) {
        // the hook state moved the cursor in the transaction that recorded the delivery or the dead letter
    }
}
