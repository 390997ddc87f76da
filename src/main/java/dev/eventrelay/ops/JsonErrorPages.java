package dev.eventrelay.ops;

import io.vertx.ext.web.Route;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The HTTP server's own answers in the API's shape: a path no route serves (404) and a method a path does not
 * take (405) get {@code {"error": "..."}} as JSON, as every other API error does, instead of the server's
 * HTML page. A last route of the platform-http router takes every request no other route took, and tells the
 * two apart by whether another route serves the path (with other methods).
 */
public final class JsonErrorPages {

    private static final Pattern PARAMETER = Pattern.compile("\\{[^}/]+}|:[^/]+");

    private JsonErrorPages() {
    }

    /** Adds the last route to the platform-http router(s) once the context has started them. */
    public static void register(CamelContext context) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                // the routers exist only when the context is fully started
            }

            @Override
            public void onCamelContextFullyStarted(CamelContext started, boolean alreadyStarted) {
                for (VertxPlatformHttpRouter router : started.getRegistry().findByType(VertxPlatformHttpRouter.class)) {
                    router.route().last().handler(request -> answer(router, request));
                }
            }
        });
    }

    private static void answer(VertxPlatformHttpRouter router, RoutingContext request) {
        String path = request.normalizedPath();
        boolean pathServed = router.getRoutes().stream().anyMatch(route -> serves(route, path));
        int status = pathServed ? 405 : 404;
        String message = request.request().method() + " " + path + ": "
                + (pathServed ? "this method is not allowed on this path" : "no endpoint at this path");
        request.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(HttpAnswers.text(Map.of("error", message)));
    }

    /** Whether the route serves exactly this path (with any method); catch-all routes serve no path. */
    private static boolean serves(Route route, String path) {
        String template = route.getPath();
        if (template == null || template.endsWith("*")) {
            return false;
        }
        String[] parts = PARAMETER.split(template, -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            regex.append(i == 0 ? "" : "[^/]+").append(Pattern.quote(parts[i]));
        }
        return Pattern.matches(regex.toString(), path);
    }
}
