package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

/** The {@code file} destination: the batch as JSON lines, appended by the route to the hook's file of the day. */
public final class FileDestination implements Destination {

    @Override
    public String sink() {
        return "hook-sink-file";
    }

    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        StringBuilder lines = new StringBuilder(batch.events().size() * 600);
        for (Outgoing event : batch.events()) {
            lines.append(event.json()).append('\n');
        }
        exchange.getMessage().setBody(lines.toString());
    }
}
