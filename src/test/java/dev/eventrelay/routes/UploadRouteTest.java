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
    void aCheckOnlyUploadAnswersWhatWouldBeRejectedAndStoresNothing() throws Exception {
        startRelay();
        String csv = CSV + "purchase,44,carol@example.com,not a date,10,EUR\n";

        HttpResponse<String> answer = post("/api/imports/manual/upload?file_name=check.csv&dry_run=true", csv,
                "text/csv");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        JsonNode check = json(answer);
        assertThat(check.get("dry_run").asBoolean()).isTrue();
        assertThat(check.get("file").asText()).isEqualTo("check.csv");
        assertThat(check.get("file_status").asText()).isEqualTo("Imported");
        assertThat(check.get("rows_total").asLong()).isEqualTo(3);
        assertThat(check.get("rows_processed").asLong()).isEqualTo(2);
        assertThat(check.get("rows_errored").asLong()).isEqualTo(1);
        assertThat(check.get("rejected")).singleElement().satisfies(row -> {
            assertThat(row.get("row").asLong()).isEqualTo(3);
            assertThat(row.get("reason").asText()).contains("not a date");
            assertThat(row.get("raw_line").asText()).startsWith("purchase,44,carol@example.com");
        });
        assertThat(new RunStore(store()).count("manual")).as("runs of import manual").isZero();
        long events = store().inTransaction(c -> {
            try (var rows = c.createStatement().executeQuery("SELECT COUNT(*) FROM event_log")) {
                rows.next();
                return rows.getLong(1);
            }
        });
        assertThat(events).as("events in the event log").isZero();
    }

    @Test
    void aCheckOnlyUploadOfAFileWithoutAHeaderIsAnswered422WithTheReason() throws Exception {
        startRelay();

        HttpResponse<String> answer = post("/api/imports/manual/upload?file_name=bad.csv&dry_run=true",
                "", "text/csv");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(422);
        assertThat(json(answer).get("file_status").asText()).isEqualTo("Rejected");
        assertThat(json(answer).get("reason").asText()).isNotBlank();
        assertThat(new RunStore(store()).count("manual")).isZero();
    }

    @Test
    void aDryRunThatIsNeitherTrueNorFalseIsAnswered400() throws Exception {
        startRelay();

        HttpResponse<String> answer = post("/api/imports/manual/upload?file_name=a.csv&dry_run=yes", CSV, "text/csv");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(400);
        assertThat(json(answer).get("error").asText()).contains("dry_run").contains("yes");
        assertThat(new RunStore(store()).count("manual")).isZero();
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
