package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

/** The {@code file} destination: the page as JSON lines, appended by the route to the hook's file of the day. */
public final class FileDestination implements Destination {

    @Override
    public void prepare(HookPage page, Exchange exchange) {
        StringBuilder lines = new StringBuilder(page.events().size() * 600);
        for (Outgoing event : page.events()) {
            lines.append(event.json()).append('\n');
        }
        exchange.getMessage().setBody(lines.toString());
    }
}
