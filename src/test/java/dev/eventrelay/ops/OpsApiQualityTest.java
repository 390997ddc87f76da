package dev.eventrelay.ops;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops API's manners, through the real HTTP API of one running service: every endpoint of the contract
 * answers, bad parameters get 400 and unknown names or ids 404 (JSON with a message, also for paths and
 * methods no route serves), lists are paged with their total count, and every time is RFC 3339 UTC.
 */
@Slow
class OpsApiQualityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern RFC3339_UTC = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
    private static final Path PURCHASES = Path.of("src/test/resources/samples/sftp/udc_1itzAa15r-UDE_1JIJANUWB-20261122-1.csv");

    @TempDir
    static Path dir;
    static TestSftpServer sftp;
    static RelayUnderTest relay;
    static String runId;

    @BeforeAll
    static void startTheService() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
        String yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1).format(DateTimeFormatter.BASIC_ISO_DATE);
        sftp.put("udc_1itzAa15r-UDE_1JIJANUWB-" + yesterday + "-1.csv", Files.readAllBytes(PURCHASES));
        sftp.put("not-a-drop.txt", "hello".getBytes());
        Map<String, String> config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(Files.createTempDirectory(dir, "store")));
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.putAll(sftp.importConfig("default", "udc_1itzAa15r", "ed25519"));
        config.putAll(sftp.importConfig("second", "udc_second", "ed25519"));
        config.putAll(sftp.importConfig("draft", "udc_draft", "ed25519"));
        config.put("relay.import.draft.enabled", "false");
        relay = new RelayUnderTest(config).start();
        runId = relay.runImport("default").get("id").asText();
        relay.runImport("default");
        RelayUnderTest.await("the file hook to deliver", java.time.Duration.ofSeconds(60),
                () -> relay.hook("all-events"), hook -> hook.get("delivered").asLong() == 4);
    }

    @AfterAll
    static void stopTheService() throws IOException {
        if (relay != null) {
            relay.close();
        }
        if (sftp != null) {
            sftp.close();
        }
    }

    @Test
    void everyEndpointOfTheContractAnswers() throws Exception {
        assertThat(status("GET", "/api/imports")).isEqualTo(200);
        assertThat(status("GET", "/api/imports/default/runs")).isEqualTo(200);
        assertThat(status("GET", "/api/runs/" + runId)).isEqualTo(200);
        assertThat(relay.get("/api/runs/" + runId + "/errors.csv").statusCode()).isEqualTo(200);
        assertThat(status("POST", "/api/imports/second/pause")).isEqualTo(200);
        assertThat(status("POST", "/api/imports/second/resume")).isEqualTo(200);
        assertThat(status("GET", "/api/hooks")).isEqualTo(200);
        assertThat(status("GET", "/api/dead-letters")).isEqualTo(200);
        assertThat(status("POST", "/api/hooks/all-events/replay")).isEqualTo(202);
        assertThat(status("GET", "/api/errors")).isEqualTo(200);
        assertThat(relay.get("/health").statusCode()).isEqualTo(200);
        String started = error("POST", "/api/imports/second/run", 202);
        assertThat(started).isNull();
    }

    @Test
    void unknownNamesAndIdsAre404WithAMessage() throws Exception {
        assertThat(error("GET", "/api/imports/nope/runs", 404)).isEqualTo("no import is named 'nope'");
        assertThat(error("POST", "/api/imports/nope/run", 404)).isEqualTo("no import is named 'nope'");
        assertThat(error("POST", "/api/imports/nope/pause", 404)).isEqualTo("no import is named 'nope'");
        assertThat(error("POST", "/api/imports/nope/resume", 404)).isEqualTo("no import is named 'nope'");
        String absent = UUID.randomUUID().toString();
        assertThat(error("GET", "/api/runs/" + absent, 404)).isEqualTo("no run has id '" + absent + "'");
        assertThat(error("GET", "/api/runs/" + absent + "/errors.csv", 404)).isEqualTo("no run has id '" + absent + "'");
        assertThat(error("GET", "/api/dead-letters?hook=nope", 404)).isEqualTo("no hook is named 'nope'");
        assertThat(error("POST", "/api/dead-letters/987654/replay", 404)).isEqualTo("no dead letter has id 987654");
        assertThat(error("POST", "/api/hooks/nope/replay", 404)).isEqualTo("no hook is named 'nope'");
    }

    @Test
    void badParametersAre400WithAMessageNamingTheParameter() throws Exception {
        for (String list : List.of("/api/imports", "/api/imports/default/runs", "/api/hooks", "/api/dead-letters",
                "/api/errors")) {
            assertThat(error("GET", list + "?limit=0", 400)).contains("parameter 'limit'", "not '0'");
            assertThat(error("GET", list + "?limit=ten", 400)).contains("parameter 'limit'", "not 'ten'");
            assertThat(error("GET", list + "?limit=100000", 400)).contains("parameter 'limit'");
            assertThat(error("GET", list + "?offset=-1", 400)).contains("parameter 'offset'", "not '-1'");
            assertThat(error("GET", list + "?offset=99999999999", 400)).contains("parameter 'offset'");
        }
        assertThat(error("GET", "/api/errors?since=yesterday", 400))
                .isEqualTo("parameter 'since' must be an RFC 3339 UTC time such as 2026-11-22T00:00:00Z, not 'yesterday'");
        assertThat(error("GET", "/api/runs/not-a-run", 400)).startsWith("run id must be a UUID").endsWith("not 'not-a-run'");
        assertThat(error("GET", "/api/runs/not-a-run/errors.csv", 400)).startsWith("run id must be a UUID");
        assertThat(error("POST", "/api/dead-letters/abc/replay", 400)).isEqualTo("dead letter id must be a number, not 'abc'");
        assertThat(error("POST", "/api/imports/second/pause?reason=" + "x".repeat(501), 400))
                .isEqualTo("parameter 'reason' is longer than 500 characters");
    }

    @Test
    void requestsThatCannotBeDoneNowAre409WithTheReason() throws Exception {
        assertThat(error("POST", "/api/imports/draft/run", 409))
                .isEqualTo("import 'draft' is disabled (relay.import.draft.enabled=false)");
        assertThat(error("POST", "/api/imports/draft/pause", 409))
                .isEqualTo("import 'draft' is a Draft (relay.import.draft.enabled=false); there is nothing to pause");
        JsonNode draft = item("draft");
        assertThat(draft.get("status").asText()).isEqualTo("Draft");
        assertThat(draft.get("next_run").isNull()).isTrue();
    }

    @Test
    void pathsAndMethodsNoRouteServesAreJsonErrorsToo() throws Exception {
        assertThat(error("GET", "/api/nothing-here", 404)).isEqualTo("GET /api/nothing-here: no endpoint at this path");
        assertThat(error("GET", "/api/imports/default/nothing", 404)).contains("no endpoint at this path");
        assertThat(error("DELETE", "/api/imports", 405))
                .isEqualTo("DELETE /api/imports: this method is not allowed on this path");
        assertThat(error("POST", "/api/hooks", 405)).contains("this method is not allowed");
        assertThat(error("GET", "/api/imports/default/run", 405)).contains("this method is not allowed");
    }

    @Test
    void listsArePagedWithTheirTotalCount() throws Exception {
        JsonNode imports = relay.getJson("/api/imports?limit=2&offset=1");
        assertThat(imports.get("total").asInt()).isEqualTo(4);
        assertThat(imports.get("limit").asInt()).isEqualTo(2);
        assertThat(imports.get("offset").asInt()).isEqualTo(1);
        List<String> all = names(relay.getJson("/api/imports").get("imports"));
        assertThat(all).containsExactlyInAnyOrder("default", "second", "draft", "manual");
        assertThat(names(imports.get("imports"))).isEqualTo(all.subList(1, 3));
        assertThat(relay.getJson("/api/imports?offset=4").get("imports")).isEmpty();

        JsonNode hooks = relay.getJson("/api/hooks?limit=1&offset=1");
        assertThat(hooks.get("total").asInt()).isEqualTo(2);
        List<String> allHooks = names(relay.getJson("/api/hooks").get("hooks"));
        assertThat(allHooks).containsExactlyInAnyOrder("all-events", "orders-webhook");
        assertThat(names(hooks.get("hooks"))).isEqualTo(allHooks.subList(1, 2));

        JsonNode runs = relay.getJson("/api/imports/default/runs?limit=1&offset=1");
        assertThat(runs.get("total").asInt()).isEqualTo(2);
        assertThat(runs.get("runs")).hasSize(1);
        assertThat(runs.at("/runs/0/id").asText()).isEqualTo(runId);

        JsonNode errors = relay.getJson("/api/errors?limit=1");
        assertThat(errors.get("errors")).hasSize(1);
        assertThat(errors.get("total").asInt()).isGreaterThanOrEqualTo(1);
        JsonNode deadLetters = relay.getJson("/api/dead-letters?limit=1");
        assertThat(deadLetters.get("total").asInt()).isZero();
    }

    @Test
    void everyTimeInEveryAnswerIsRfc3339Utc() throws Exception {
        Map<String, String> times = new LinkedHashMap<>();
        for (String path : List.of("/api/imports", "/api/imports/default/runs", "/api/runs/" + runId, "/api/hooks",
                "/api/dead-letters", "/api/errors", "/api/errors?since=2026-01-01T02:00:00%2B02:00")) {
            collectTimes(relay.getJson(path), path + " ", times);
        }
        assertThat(times).isNotEmpty().allSatisfy((where, time) -> assertThat(time).as(where).matches(RFC3339_UTC));
        assertThat(times).containsKeys("/api/imports /imports/0/next_run", "/api/imports /imports/0/newest_data_at",
                "/api/imports /imports/0/last_run/fetch_started_at", "/api/runs/" + runId + " /files/0/ended_at",
                "/api/hooks /hooks/0/last_delivered_at", "/api/errors /errors/0/date", "/api/errors /since");
        assertThat(times.get("/api/errors?since=2026-01-01T02:00:00%2B02:00 /since")).isEqualTo("2026-01-01T00:00:00Z");
    }

    /** Every non-null field that holds a time ({@code *_at}, {@code date}, {@code next_run}, {@code since}) by its path. */
    private static void collectTimes(JsonNode node, String path, Map<String, String> times) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectTimes(node.get(i), path + "/" + i, times);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String name = field.getKey();
                boolean time = name.endsWith("_at") || name.equals("date") || name.equals("next_run")
                        || name.equals("since");
                if (time && !field.getValue().isNull()) {
                    times.put(path + "/" + name, field.getValue().asText());
                } else {
                    collectTimes(field.getValue(), path + "/" + name, times);
                }
            }
        }
    }

    private static int status(String method, String path) throws Exception {
        return relay.send(method, path).statusCode();
    }

    /** Sends the request, checks the status and that the answer is JSON, and returns its "error" (null when none). */
    private static String error(String method, String path, int status) throws Exception {
        HttpResponse<String> response = relay.send(method, path);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).as(method + " " + path)
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.body()).get("error");
        return error == null ? null : error.asText();
    }

    private static JsonNode item(String name) throws Exception {
        for (JsonNode item : relay.getJson("/api/imports").get("imports")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("GET /api/imports shows no import named " + name);
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.forEach(item -> names.add(item.get("name").asText()));
        return names;
    }
}
