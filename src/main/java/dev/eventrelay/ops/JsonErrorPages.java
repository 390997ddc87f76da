package dev.eventrelay.ops;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.Map;

/**
 * The HTTP server's own answers in the API's shape: a path no route serves (404) and a method a path does not
 * take (405) get {@code {"error": "..."}} as JSON, as every other API error does, instead of the server's
 * HTML page.
 */
public final class JsonErrorPages {

    private JsonErrorPages() {
    }

    /** Installs the JSON answers on the platform-http router(s) once the context has started them. */
    public static void register(CamelContext context) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the routers exist only when the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                for (VertxPlatformHttpRouter router : started.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                    router.errorHandler(404, answer(404, "no endpoint at"));
                    router.errorHandler(405, answer(405, "this method is not allowed on"));
                }
            }
        });
    }

    private static Handler<RoutingContext> answer(int status, String what) {
        return request -> {
            if (request.response().ended()) {
                return;
            }
            String message = request.request().method() + " " + request.request().path() + ": " + what + " this path";
            request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                    .end(HttpAnswers.text(Map.of("error", message)));
        };
    }
}
