package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

/**
 * The registry bean {@value #BEAN} the http sink route calls in each turn of its split over a batch's requests
 * ({@link HttpDestination.Request}): {@link #request} makes the turn's message the request, {@link #answered}
 * remembers that the receiver took it (2xx), so a retry of the batch sends only the requests not yet taken.
 */
public final class HttpRequests {

    public static final String BEAN = "httpRequests";

    /** Makes the turn's body (a request of the batch) the message to POST. */
    public void request(Exchange exchange) {
        HttpDestination.Request request = exchange.getMessage().getBody(HttpDestination.Request.class);
        exchange.setProperty(HttpDestination.REQUEST, request);
        request.prepare(exchange.getMessage());
    }

    /** The receiver answered the turn's request with a 2xx. */
    public void answered(Exchange exchange) {
        HttpDestination.Request request = exchange.getProperty(HttpDestination.REQUEST, HttpDestination.Request.class);
        request.answered("HTTP " + exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, "2xx", String.class),
                exchange.getMessage().getBody(String.class));
    }
}
