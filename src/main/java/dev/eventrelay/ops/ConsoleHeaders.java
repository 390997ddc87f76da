package dev.eventrelay.ops;

import org.apache.camel.http.base.HttpHeaderFilterStrategy;

/**
 * The HTTP header filter of the console's routes: platform-http's own, except that {@code Cache-Control} goes out
 * (the default filter drops it), so that {@link ConsoleFiles} can tell the browser to revalidate with the ETag.
 */
public final class ConsoleHeaders extends HttpHeaderFilterStrategy {

    public ConsoleHeaders() {
        getOutFilter().remove("cache-control");
    }
}
