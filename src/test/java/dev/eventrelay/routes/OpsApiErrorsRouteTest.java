package dev.eventrelay.routes;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.support.RelayFlowTest;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ops API's error policy ({@code routes/errors.camel.yaml}, routeConfiguration {@code ops-api-errors}) in the
 * real service: a request whose route fails, with an Exception or with an Error, is logged at ERROR and answered
 * 500 with a JSON error, and the API goes on answering.
 */
class OpsApiErrorsRouteTest extends RelayFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @Override
    protected String newStoreUrl() {
        return StoreDatabases.sqlite(dir.resolve("store"));
    }

    @BeforeEach
    void listen() {
        logged.start();
        root.addAppender(logged);
    }

    @AfterEach
    void stopListening() {
        root.detachAppender(logged);
    }

    /**
     * Starts the service with route {@code list-hooks} (GET /api/hooks) throwing {@code failure} before it does
     * anything else; the route is advised once loaded, before it starts.
     */
    private void failListHooksWith(Throwable failure) throws Exception {
        relay = new RelayUnderTest(config).start(new MainListenerSupport() {
            @Override
            public void afterConfigure(BaseMainSupport main) {
                try {
                    AdviceWith.adviceWith(main.getCamelContext(), "list-hooks", a -> a.weaveAddFirst()
                            .bean(new FailingBean(failure), "fail"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
    }

    @Test
    void anErrorInARequestIsLoggedAndAnswered500WithAJsonError() throws Exception {
        failListHooksWith(new StackOverflowError("deep recursion (test)"));

        HttpResponse<String> answer = relay.get("/api/hooks");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(JSON.readTree(answer.body()).get("error").asText()).contains("deep recursion (test)");
        assertThat(errorLines()).anySatisfy(line -> assertThat(line)
                .contains("Ops API request GET /api/hooks failed")
                .contains("java.lang.StackOverflowError: deep recursion (test)"));
        assertThat(relay.get("/api/imports").statusCode()).isEqualTo(200);
    }

    @Test
    void anExceptionInARequestIsLoggedAndAnswered500WithAJsonError() throws Exception {
        failListHooksWith(new IllegalStateException("broken (test)"));

        HttpResponse<String> answer = relay.get("/api/hooks");

        assertThat(answer.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(answer.body()).get("error").asText()).contains("broken (test)");
        assertThat(errorLines()).anySatisfy(line -> assertThat(line)
                .contains("Ops API request GET /api/hooks failed").contains("broken (test)"));
    }

    /** A bean whose method fails, as the ops API's beans are called. */
    public static final class FailingBean {
        private final Throwable failure;

        FailingBean(Throwable failure) {
            this.failure = failure;
        }

        public void fail() throws Exception {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (Exception) failure;
        }
    }

    private List<String> errorLines() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).map(ILoggingEvent::getFormattedMessage)
                .toList();
    }
}
