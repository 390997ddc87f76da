package dev.eventrelay.routes;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** routes/metrics.camel.yaml: GET /metrics reaches route metrics, which answers metricsApi.answer's scrape. */
class MetricsRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("metrics", ERROR_POLICY_FILE);
    }

    @Test
    void getMetricsIsAnsweredByTheMetricsRouteInThePrometheusTextFormat() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("metrics", 1);

        HttpResponse<String> answer = http("GET", "/metrics");

        await(done, "GET /metrics to pass through route metrics");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
        assertThat(answer.body()).contains("# TYPE ").contains("jvm_");
    }

    @Test
    void metricsTakeGetOnly() throws Exception {
        startRelay();

        assertThat(http("POST", "/metrics").statusCode()).isEqualTo(405);
    }

    @Test
    void aFailureInTheMetricsRouteIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("metrics", "GET", "/metrics");
    }
}
