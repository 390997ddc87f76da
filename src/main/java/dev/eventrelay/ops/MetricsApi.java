package dev.eventrelay.ops;

import dev.eventrelay.common.RelayMetrics;
import org.apache.camel.Exchange;

/** {@code GET /metrics}: the metrics of {@link RelayMetrics} in the Prometheus text format. */
public final class MetricsApi {

    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private final RelayMetrics metrics;

    public MetricsApi(RelayMetrics metrics) {
        this.metrics = metrics;
    }

    /** Sets the answer: status 200 and the scrape. */
    public void answer(Exchange exchange) {
        HttpAnswers.answer(exchange, 200, PROMETHEUS_TEXT, metrics.scrape());
    }
}
