package dev.eventrelay.ops;

import dev.eventrelay.support.Slow;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.settings.ConfigException;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestSftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bearer token of the ops API through the real HTTP server: every {@code /api/*} path of the
 * contract, GET and POST, answers 401 without the token or with a wrong one and changes nothing;
 * the token opens them; {@code /health} and {@code /metrics} need none; and a service that would
 * listen beyond loopback without a token refuses to start.
 */
@Slow
class ApiTokenTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Listed in src/test/resources/secrets-used-by-tests.txt: no test output may show it. */
    static final String TOKEN = "relay-secret-api-token-7f3a";

    /** Every path of the contract's API, with its method. */
    private static final List<String[]> API = List.of(
            new String[] {"GET", "/api/imports"},
            new String[] {"GET", "/api/imports/default/runs"},
            new String[] {"GET", "/api/runs/00000000-0000-0000-0000-000000000000"},
            new String[] {"GET", "/api/runs/00000000-0000-0000-0000-000000000000/errors.csv"},
            new String[] {"GET", "/api/event-types/UDE_1JIJANUWB/template.csv"},
            new String[] {"GET", "/api/event-types"},
            new String[] {"GET", "/api/dead-letters/1"},
            new String[] {"POST", "/api/imports/default/upload?event_code=UDE_1JIJANUWB&dry_run=true"},
            new String[] {"GET", "/api/hooks"},
            new String[] {"GET", "/api/dead-letters"},
            new String[] {"GET", "/api/errors"},
            new String[] {"POST", "/api/imports/default/run"},
            new String[] {"POST", "/api/imports/default/pause"},
            new String[] {"POST", "/api/imports/default/resume"},
            new String[] {"POST", "/api/imports/default/upload?event_code=UDE_1JIJANUWB"},
            new String[] {"POST", "/api/dead-letters/1/replay"},
            new String[] {"POST", "/api/hooks/all-events/replay"});

    @TempDir
    Path dir;
    TestSftpServer sftp;
    RelayUnderTest relay;

    @BeforeEach
    void startSftpServer() throws Exception {
        sftp = new TestSftpServer(dir.resolve("sftp"));
    }

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
        sftp.close();
    }

    private Map<String, String> config() throws Exception {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("relay.store.url", StoreDatabases.sqlite(dir.resolve("store")));
        config.put("relay.hook.all-events.file.folder", dir.resolve("outbox").toString());
        config.putAll(sftp.importConfig("default", "udc_1itzAa15r", "ed25519"));
        return config;
    }

    private RelayUnderTest startWithToken() throws Exception {
        Map<String, String> config = config();
        config.put("relay.api.token", TOKEN);
        relay = new RelayUnderTest(config).start();
        return relay;
    }

    @Test
    void everyApiPathAnswers401WithoutTheTokenOrWithAWrongOne() throws Exception {
        startWithToken();
        Map<String, String> wrong = new LinkedHashMap<>();
        wrong.put("no Authorization header", null);
        wrong.put("a wrong token", "Bearer wrong-token");
        wrong.put("the token and one character more", "Bearer " + TOKEN + "x");
        wrong.put("the token under the Basic scheme", "Basic " + TOKEN);
        wrong.put("the token without a scheme", TOKEN);
        wrong.put("an empty Bearer", "Bearer");
        for (String[] call : API) {
            for (Map.Entry<String, String> authorization : wrong.entrySet()) {
                HttpResponse<String> answer = relay.request(call[0], call[1], authorization.getValue());
                String what = call[0] + " " + call[1] + " with " + authorization.getKey();
                assertThat(answer.statusCode()).as(what).isEqualTo(401);
                assertThat(answer.headers().firstValue("WWW-Authenticate")).as(what).hasValueSatisfying(
                        value -> assertThat(value).startsWith("Bearer"));
                assertThat(JSON.readTree(answer.body()).get("error").asText()).as(what)
                        .contains("Authorization: Bearer").doesNotContain(TOKEN);
            }
        }
    }

    @Test
    void aRunRequestWithAWrongTokenStartsNoRun() throws Exception {
        startWithToken();

        assertThat(relay.request("POST", "/api/imports/default/run", "Bearer not-" + TOKEN).statusCode())
                .isEqualTo(401);
        assertThat(relay.request("POST", "/api/imports/default/run", null).statusCode()).isEqualTo(401);

        assertThat(relay.getJson("/api/imports/default/runs").get("runs")).isEmpty();
        assertThat(relay.getJson("/api/errors").get("errors")).isEmpty();
    }

    @Test
    void theTokenOpensTheApi() throws Exception {
        startWithToken();

        for (String path : List.of("/api/imports", "/api/imports/default/runs", "/api/hooks", "/api/dead-letters",
                "/api/errors")) {
            assertThat(relay.request("GET", path, "Bearer " + TOKEN).statusCode()).as(path).isEqualTo(200);
            assertThat(relay.request("GET", path, "bearer " + TOKEN).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(relay.request("GET", "/api/runs/00000000-0000-4000-8000-000000000000", "Bearer " + TOKEN).statusCode()).isEqualTo(404);
        HttpResponse<String> run = relay.request("POST", "/api/imports/default/run", "Bearer " + TOKEN);
        assertThat(run.statusCode()).isEqualTo(202);
        assertThat(relay.getJson("/api/imports/default/runs").get("runs")).hasSize(1);
    }

    @Test
    void healthAndMetricsNeedNoToken() throws Exception {
        startWithToken();

        assertThat(relay.request("GET", "/health", null).statusCode()).isEqualTo(200);
        HttpResponse<String> metrics = relay.request("GET", "/metrics", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("# TYPE");
    }

    @Test
    void withoutATokenTheApiIsOpenOnLoopback() throws Exception {
        relay = new RelayUnderTest(config()).start();

        assertThat(relay.request("GET", "/api/imports", null).statusCode()).isEqualTo(200);
    }

    @Test
    void listeningBeyondLoopbackWithoutATokenStopsStartUpNamingBothKeys() throws Exception {
        Map<String, String> config = config();
        config.put("camel.server.host", "0.0.0.0");
        relay = new RelayUnderTest(config);

        assertThatThrownBy(relay::start).satisfies(thrown -> {
            Throwable cause = thrown;
            while (cause != null && !(cause instanceof ConfigException)) {
                cause = cause.getCause();
            }
            assertThat(cause).as("a ConfigException in " + thrown).isNotNull();
            assertThat(cause.getMessage()).contains("camel.server.host is '0.0.0.0'").contains("relay.api.token");
        });
    }
}
