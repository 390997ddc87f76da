package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.state.RunStore;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/upload.camel.yaml: POST /api/imports/{name}/upload reaches route upload, which hands the unread request
 * (useBodyHandler=false) to uploadApi.upload; the query parameters and the path's name reach the bean as headers.
 */
class UploadRouteTest extends RelayRouteTestSupport {

    private static final String CSV = """
            event,customer_id,email,timestamp,value,value_currency
            add_to_cart,42,ann@example.com,2026-11-22T04:19:42Z,25.00,EUR
            purchase,43,bob@example.com,2026-11-22T05:00:00+01:00,10,EUR
            """;

    @Override
    protected List<String> routeFiles() {
        return List.of("upload", ERROR_POLICY_FILE);
    }

    @Test
    void anUploadIsImportedAsARunAndAnsweredWithIt() throws Exception {
        startRelay();
        NotifyBuilder done = whenDone("upload", 1);

        HttpResponse<String> answer = post("/api/imports/manual/upload?file_name=route-test.csv", CSV, "text/csv");

        await(done, "the upload to pass through route upload");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode run = json(answer);
        assertThat(run.get("file").asText()).isEqualTo("route-test.csv");
        assertThat(run.get("rows_processed").asLong()).isEqualTo(2);
        assertThat(new RunStore(store()).find(run.get("id").asText())).hasValueSatisfying(stored -> {
            assertThat(stored.importName()).isEqualTo("manual");
            assertThat(stored.kind()).isEqualTo("upload");
        });
    }

    @Test
    void theParametersReachTheBeanBeforeTheBodyIsRead() throws Exception {
        startRelay();

        HttpResponse<String> unknownImport = post("/api/imports/no-such/upload?file_name=a.csv", CSV, "text/csv");
        HttpResponse<String> unknownCode = post("/api/imports/manual/upload?file_name=a.csv&event_code=UDE_NOSUCH",
                CSV, "text/csv");

        assertThat(unknownImport.statusCode()).as(unknownImport.body()).isEqualTo(404);
        assertThat(unknownCode.statusCode()).as(unknownCode.body()).isEqualTo(400);
        assertThat(json(unknownCode).get("error").asText()).contains("UDE_NOSUCH");
    }

    @Test
    void theUploadTakesPostOnly() throws Exception {
        startRelay();

        assertThat(http("GET", "/api/imports/manual/upload?file_name=a.csv").statusCode()).isEqualTo(405);
    }

    @Test
    void aFailureInTheUploadRouteIsAnsweredByTheOpsApiErrorPolicy() throws Exception {
        assertOpsErrorPolicy("upload", "POST", "/api/imports/manual/upload?file_name=a.csv");
    }
}
