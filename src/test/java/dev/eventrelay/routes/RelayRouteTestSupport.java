package dev.eventrelay.routes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.boot.RelayWiring;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.model.BeanDefinition;
import org.apache.camel.model.ProcessorDefinitionHelper;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.apache.camel.util.function.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route test: Camel main (through Camel's test kit) with the shipped {@code application.properties}, the real
 * beans of {@link RelayWiring} over a SQLite state store in the test's folder, and only the route files the test
 * names. Nothing starts a remote: the shipped default import and file hook are off unless a test turns them on,
 * and the ops API listens on 127.0.0.1 and a free port.
 * <p>
 * The context is not started before the test method ({@code useAdviceWith}): a test advises its routes
 * ({@link #advise}), then calls {@link #startRelay()}. Every subclass also checks that each bean step of its
 * routes names a public method of a bound bean.
 */
abstract class RelayRouteTestSupport extends CamelMainTestSupport {

    /** The route configuration the ops routes select by id ({@code routeConfigurationId: ops-api-errors}). */
    static final String OPS_API_ERRORS = "ops-api-errors";
    /** The file that holds it; the ops routes cannot start without it. */
    static final String ERROR_POLICY_FILE = "errors";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** The longest a test waits for an exchange or a state; a route that works takes milliseconds. */
    static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private final Properties overrides = new Properties();
    private int port;
    private StateStore store;

    /** The route files under {@code routes/} the test loads, without {@code .camel.yaml}. */
    protected abstract List<String> routeFiles();

    /** Keys the test sets over the shipped configuration (after the route-test defaults). */
    protected void configure(Map<String, String> config) throws Exception {
    }

    @Override
    protected String getPropertyPlaceholderLocations() {
        return "file:application.properties";
    }

    @Override
    protected void configure(MainConfigurationProperties main) {
        main.addConfiguration(RelayWiring.class);
    }

    @Override
    public void configureTest(TestExecutionConfiguration test) {
        super.configureTest(test);
        test.withUseAdviceWith(true);
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        port = RelayUnderTest.freePort();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("camel.main.routes-include-pattern", routeFiles().stream()
                .map(file -> "file:routes/" + file + ".camel.yaml").collect(Collectors.joining(",")));
        config.put("camel.server.port", String.valueOf(port));
        config.put("relay.store.url", StoreDatabases.sqlite(dir));
        config.put("relay.embedded-sftp.enabled", "false");
        config.put("relay.hook.all-events.enabled", "false");
        // the default import stays configured (the routes and beans see it) but off, and points at a closed port
        config.put("relay.import.default.enabled", "false");
        config.put("relay.import.default.sftp.port", String.valueOf(RelayUnderTest.freePort()));
        config.put("relay.import.default.sftp.private-key-file", "");
        config.put("relay.import.default.sftp.password", "unused-sftp-password");
        config.put("relay.import.default.sftp.strict-host-key-checking", "false");
        config.put("relay.import.default.sftp.connect-timeout.ms", "2000");
        // test tuning, not route behaviour: seda consumers notice a stop within 50 ms instead of 1 s per consumer
        config.put("camel.component.seda.default-poll-timeout", "50");
        configure(config);
        overrides.putAll(config);
        // set here, not in configureContext: the test kit reads the overrides when it builds the context
        camelContextConfiguration().withUseOverridePropertiesWithPropertiesComponent(overrides);
        return super.createCamelContext();
    }

    /** Advises route {@code routeId} before the context starts. */
    protected void advise(String routeId, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) throws Exception {
        AdviceWith.adviceWith(context, routeId, advice);
    }

    protected void startRelay() {
        context.start();
    }

    /** Waits on a NotifyBuilder with the test deadline; fails with {@code what} when it does not match. */
    protected static void await(NotifyBuilder notify, String what) {
        assertThat(notify.matches(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("within %s: %s", WAIT, what).isTrue();
    }

    protected NotifyBuilder whenDone(String routeId, int exchanges) {
        return new NotifyBuilder(context).fromRoute(routeId).whenDone(exchanges).create();
    }

    /** The bean bound under {@code name} by RelayWiring. */
    protected <T> T bean(String name, Class<T> type) {
        T bean = context.getRegistry().lookupByNameAndType(name, type);
        assertThat(bean).as("bean %s (%s) bound by RelayWiring", name, type.getSimpleName()).isNotNull();
        return bean;
    }

    /**
     * The test's state store, opened beside the service's on the same SQLite file (both take the same write lock of
     * the file in this JVM): to seed it before start-up or to read what a route left in it.
     */
    protected StateStore store() {
        if (store == null) {
            store = new StateStore(StoreDatabases.sqlite(dir), "sa", "", 2);
            store.migrate();
        }
        return store;
    }

    @AfterEach
    void closeTheTestsStore() {
        if (store != null) {
            store.stop();
        }
    }

    // --- the ops API over HTTP --------------------------------------------------------------------------

    protected HttpResponse<String> http(String method, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> post(String path, String body, String contentType)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    protected URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /**
     * Asserts that route {@code routeId} selects the ops API's error policy, and that the policy answers: a
     * failure inside the route becomes the JSON error of {@code opsApi.failed} with status 500.
     */
    protected void assertOpsErrorPolicy(String routeId, String method, String path) throws Exception {
        RouteDefinition route = context.getRouteDefinition(routeId);
        assertThat(route).as("route %s", routeId).isNotNull();
        assertThat(route.getRouteConfigurationId()).as("routeConfigurationId of %s", routeId)
                .isEqualTo(OPS_API_ERRORS);
        assertThat(context.getRouteConfigurationDefinitions()).as("route configurations loaded")
                .anySatisfy(c -> assertThat(c.getId()).isEqualTo(OPS_API_ERRORS));
        advise(routeId, a -> a.weaveAddFirst().throwException(new IllegalStateException("route-test failure")));
        startRelay();

        HttpResponse<String> answer = http(method, path);

        assertThat(answer.statusCode()).as("%s %s after a failure in %s: %s", method, path, routeId, answer.body())
                .isEqualTo(500);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(json(answer).has("error")).as("a JSON error: %s", answer.body()).isTrue();
    }

    // --- bean steps name real methods ----------------------------------------------------------------

    /**
     * Every {@code bean:} step of the loaded routes names a bean that RelayWiring binds and a public method that
     * bean has, so a misspelt {@code ref} or {@code method} fails here with the route, the bean and its methods.
     */
    @Test
    void everyBeanStepNamesABoundBeanAndOneOfItsPublicMethods() {
        List<String> problems = new ArrayList<>();
        int steps = 0;
        for (RouteDefinition route : context.getRouteDefinitions()) {
            for (BeanDefinition step : ProcessorDefinitionHelper.filterTypeInOutputs(route.getOutputs(),
                    BeanDefinition.class)) {
                steps++;
                String ref = context.resolvePropertyPlaceholders(step.getRef());
                Object bean = ref == null ? null : context.getRegistry().lookupByName(ref);
                if (bean == null) {
                    problems.add("route " + route.getRouteId() + " calls bean '" + ref + "', which RelayWiring does"
                            + " not bind");
                    continue;
                }
                String method = step.getMethod() == null ? null : step.getMethod().replaceFirst("\\(.*$", "").strip();
                TreeSet<String> methods = Arrays.stream(bean.getClass().getMethods())
                        .filter(m -> m.getDeclaringClass() != Object.class && Modifier.isPublic(m.getModifiers()))
                        .map(Method::getName).collect(Collectors.toCollection(TreeSet::new));
                if (method == null || !methods.contains(method)) {
                    problems.add("route " + route.getRouteId() + " calls " + ref + "." + method + ", but "
                            + bean.getClass().getName() + " has no public method '" + method + "'; it has: " + methods);
                }
            }
        }
        assertThat(steps).as("bean steps in routes %s", routeFiles()).isPositive();
        assertThat(problems).as("bean steps of routes %s", routeFiles()).isEmpty();
    }
}
