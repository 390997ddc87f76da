package dev.eventrelay.routes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.Socket;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * routes/console.camel.yaml: GET / and GET /console redirect to /console/ (route console-root and console-files),
 * which answers the console's index.html; its files come from the class path with their content types, an ETag
 * (304 when unchanged) and a Content-Security-Policy; any other path under /console, a traversal among them, is
 * 404 and reads nothing.
 */
class ConsoleRouteTest extends RelayRouteTestSupport {

    private static final HttpClient NO_REDIRECTS = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    protected List<String> routeFiles() {
        return List.of("console", ERROR_POLICY_FILE);
    }

    private HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(WAIT).GET();
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return NO_REDIRECTS.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest(name = "GET {0} redirects to /console/")
    @ValueSource(strings = {"/", "/console"})
    void theRootAndTheConsoleWithoutItsSlashRedirectToTheConsole(String path) throws Exception {
        startRelay();

        HttpResponse<String> answer = get(path);

        assertThat(answer.statusCode()).isEqualTo(302);
        assertThat(answer.headers().firstValue("Location")).hasValue("/console/");
    }

    @Test
    void theConsoleAnswersItsPageWithAContentSecurityPolicy() throws Exception {
        startRelay();

        HttpResponse<String> answer = get("/console/");

        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(answer.body()).contains("<script type=\"module\" src=\"app.js\"></script>");
        assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("default-src 'self'").contains("frame-ancestors 'none'"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("Cache-Control")).hasValue("no-cache");
    }

    @Test
    void eachFileHasTheContentTypeOfItsKind() throws Exception {
        startRelay();

        assertThat(get("/console/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/console/console.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
        assertThat(get("/console/icon.svg").headers().firstValue("Content-Type")).hasValue("image/svg+xml");
        assertThat(get("/console/index.html").body()).isEqualTo(get("/console/").body());
    }

    @Test
    void aFileTheBrowserHoldsIsAnswered304() throws Exception {
        startRelay();
        HttpResponse<String> first = get("/console/app.js");
        String etag = first.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> again = get("/console/app.js", "If-None-Match", etag);
        HttpResponse<String> stale = get("/console/app.js", "If-None-Match", "\"an-older-one\"");

        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(first.body());
    }

    @ParameterizedTest(name = "GET {0} is 404")
    @ValueSource(strings = {"/console/no-such.js", "/console/app.java", "/console/sub/app.js", "/console/.env",
            "/console/%2e%2e/application.properties", "/console/..%2fapplication.properties",
            "/console/dev/eventrelay/ops/ConsoleFiles.class", "/console/logback.xml", "/consolex"})
    void anyOtherPathIsNotFound(String path) throws Exception {
        startRelay();

        HttpResponse<String> answer = get(path);

        assertThat(answer.statusCode()).as("%s: %s", path, answer.body()).isEqualTo(404);
        assertThat(answer.body()).doesNotContain("camel.").doesNotContain("<configuration");
    }

    @Test
    void aRawDotDotPathReadsNothingOutsideTheConsole() throws Exception {
        startRelay();

        String answer = raw("GET /console/../application.properties HTTP/1.1");

        assertThat(answer).startsWith("HTTP/1.1 404").doesNotContain("camel.server");
    }

    @Test
    void theConsoleTakesGetOnly() throws Exception {
        startRelay();

        HttpResponse<String> answer = http("POST", "/console/");

        assertThat(answer.statusCode()).isIn(404, 405);
        assertThat(answer.body()).doesNotContain("<script");
    }

    /** Sends a request line as written (no client normalises its path) and answers the whole response. */
    private String raw(String requestLine) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", uri("/").getPort())) {
            socket.setSoTimeout((int) WAIT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
