package dev.eventrelay.routes;

import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/templates.camel.yaml: GET /api/event-types reaches route list-event-types (every code with its name and
 * template link); GET /api/event-types/{code}/template.csv reaches route event-type-template, which
 * answers templateApi.template's header row; the path's code and the import parameter reach the bean as headers.
 */
class TemplatesRouteTest extends RelayRouteTestSupport {

    @Override
    protected List<String> routeFiles() {
        return List.of("templates", ERROR_POLICY_FILE);
    }

    @Test
    void theTemplateOfAnEventTypeIsItsHeaderRowAsCsv() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("event-type-template", 1);

        HttpResponse<String> answer = http("GET", "/api/event-types/UDE_1JIJANUWB/template.csv");

        await(done, "the request to pass through route event-type-template");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/csv"));
        assertThat(answer.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"UDE_1JIJANUWB-template.csv\"");
        assertThat(answer.body().lines().toList()).singleElement().satisfies(header ->
                assertThat(header).contains("amount").contains("store___city"));
    }

    @Test
    void theEventTypesAreListedWithTheirNamesAndTemplateLinks() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("list-event-types", 1);

        HttpResponse<String> answer = http("GET", "/api/event-types");

        await(done, "the request to pass through route list-event-types");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(json(answer).get("event_types")).anySatisfy(type -> {
            assertThat(type.get("code").asText()).isEqualTo("UDE_1JIJANUWB");
            assertThat(type.get("name").asText()).isNotBlank();
            assertThat(type.get("template").asText()).isEqualTo("/api/event-types/UDE_1JIJANUWB/template.csv");
        });
    }

    @Test
    void theImportParameterReachesTheBean() throws Exception {
        startRelay();

        HttpResponse<String> known = http("GET", "/api/event-types/UDE_1JIJANUWB/template.csv?import=manual");
        HttpResponse<String> unknown = http("GET", "/api/event-types/UDE_1JIJANUWB/template.csv?import=no-such");

        assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
        assertThat(unknown.statusCode()).as(unknown.body()).isEqualTo(404);
        assertThat(json(unknown).get("error").asText()).contains("no-such");
    }

    @Test
    void anUnknownEventCodeIsAnswered404WithTheCode() throws Exception {
        startRelay();

        HttpResponse<String> answer = http("GET", "/api/event-types/UDE_NOSUCH/template.csv");

        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(json(answer).get("error").asText()).contains("UDE_NOSUCH");
    }

    @Test
    void aFailureInTheTemplateRouteIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("event-type-template", "GET", "/api/event-types/UDE_1JIJANUWB/template.csv");
    }
}
