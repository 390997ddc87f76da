package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

/** The {@code kafka} destination: one record per event. */
public final class KafkaDestination implements Destination {

    @Override
    public void prepare(HookPage page, Exchange exchange) {
        exchange.getMessage().setBody(page.events());
    }
}
