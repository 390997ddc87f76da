package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

/** Shapes a page for a destination's endpoint: the body and headers the route's {@code to} sends. */
public interface Destination {

    void prepare(HookPage page, Exchange exchange);
}
