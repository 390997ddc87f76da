package dev.eventrelay.delivery;

import dev.eventrelay.state.EventLog;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.util.Map;

/**
 * The bean that the hook routes call: reads the next events a hook captures from the event log,
 * turns them into hook messages for the destination, and moves the hook's cursor once the
 * destination has taken them. Delivery is at least once: a crash between the write and the cursor
 * update delivers those events again, with the same {@code event_id}.
 */
public final class HookDelivery {

    /** Exchange property: the {@link EventLog.Page} being delivered. */
    public static final String PAGE = "relayPage";
    /** Exchange property: whether more events may be waiting after this page. */
    public static final String MORE = "relayMore";
    /** Header: the number of hook messages in the body. */
    public static final String COUNT = "relayEventCount";

    private final Map<String, HookConfig> hooks;
    private final EventLog events;
    private final Clock clock;

    public HookDelivery(Map<String, HookConfig> hooks, EventLog events, Clock clock) {
        this.hooks = Map.copyOf(hooks);
        this.events = events;
        this.clock = clock;
    }

    public Map<String, HookConfig> hooks() {
        return hooks;
    }

    /**
     * Reads the hook's next page. The body becomes the captured events as JSON lines, or null when
     * none of the page's events is captured (then the cursor moves past them at once).
     */
    public void next(String hookName, Exchange exchange) {
        HookConfig hook = hooks.get(hookName);
        EventLog.Page page = events.read(events.cursor(hookName), hook.batchMaxEvents());
        exchange.setProperty(MORE, page.entries().size() == hook.batchMaxEvents());
        StringBuilder lines = new StringBuilder(page.entries().size() * 600);
        int count = 0;
        for (EventLog.Entry entry : page.entries()) {
            if (hook.captures(entry.eventType())) {
                lines.append(HookMessage.of(entry.json(), hookName)).append('\n');
                count++;
            }
        }
        exchange.setProperty(PAGE, page);
        exchange.getMessage().setHeader(COUNT, count);
        if (count == 0) {
            if (!page.entries().isEmpty()) {
                events.advance(hookName, page.next(), 0, clock.instant());
            }
            exchange.getMessage().setBody(null);
        } else {
            exchange.getMessage().setBody(lines.toString());
        }
    }

    /** The destination took the page: move the hook's cursor past it. */
    public void delivered(String hookName, Exchange exchange) {
        EventLog.Page page = exchange.getProperty(PAGE, EventLog.Page.class);
        events.advance(hookName, page.next(), exchange.getMessage().getHeader(COUNT, Integer.class), clock.instant());
    }
}
