package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

/** The {@code rabbitmq-queue} and {@code rabbitmq-exchange} destinations: one message per event. */
public final class RabbitDestination implements Destination {

    @Override
    public void prepare(HookPage page, Exchange exchange) {
        exchange.getMessage().setBody(page.events());
    }
}
