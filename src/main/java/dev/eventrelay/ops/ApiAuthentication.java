package dev.eventrelay.ops;

import dev.eventrelay.settings.ConfigException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.Service;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.main.MainHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.support.LifecycleStrategySupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;

/**
 * The bearer token of the ops API. With {@code relay.api.token} set, every request to {@code /api/*}
 * must carry {@code Authorization: Bearer <token>}; any other gets 401 with a JSON error and
 * {@code WWW-Authenticate: Bearer}. The check is an authentication handler of the HTTP server
 * (platform-http's own hook for one): the server puts it on its router before any route, so it guards
 * the routes of every route file and answers before a body is read or a route runs. The comparison
 * takes the same time whatever the token sent. Without a token the API may listen on loopback only:
 * {@link #check} refuses any other address.
 */
public final class ApiAuthentication implements StartupListener {

    public static final String TOKEN_KEY = "relay.api.token";
    public static final String HOST_KEY = "camel.server.host";
    /** Where platform-http listens when {@value #HOST_KEY} is not set. */
    static final String DEFAULT_HOST = "0.0.0.0";

    private static final Logger LOG = LoggerFactory.getLogger(ApiAuthentication.class);
    private static final String UNAUTHORIZED = "{\"error\": \"this API needs the header Authorization: Bearer <token>"
            + " with the token of relay.api.token\"}";

    private final byte[] tokenDigest;
    private volatile boolean installed;

    private ApiAuthentication(String token) {
        this.tokenDigest = digest(token);
    }

    /**
     * The guard for {@code token} (null or blank: none), after checking that an API without a token
     * listens on loopback only.
     *
     * @param host the address the API listens on, null when not set
     */
    public static ApiAuthentication check(String host, String token) {
        boolean hasToken = token != null && !token.isBlank();
        String address = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
        if (!hasToken && !isLoopback(address)) {
            throw new ConfigException(List.of(HOST_KEY + " is '" + address + "', an address other machines reach, and "
                    + TOKEN_KEY + " is not set: the ops API would be open to anyone. Set " + TOKEN_KEY
                    + " (from the environment: {{env:RELAY_API_TOKEN}}) or listen on 127.0.0.1"));
        }
        return new ApiAuthentication(hasToken ? token.trim() : null);
    }

    public boolean enabled() {
        return tokenDigest != null;
    }

    static boolean isLoopback(String host) {
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Whether {@code authorization} (the header's value, may be null) carries the token; constant time. */
    boolean accepts(String authorization) {
        if (tokenDigest == null) {
            return true;
        }
        if (authorization == null || authorization.length() < 7
                || !authorization.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, digest(authorization.substring(7).trim()));
    }

    private void guard(RoutingContext request) {
        if (accepts(request.request().getHeader(HttpHeaders.AUTHORIZATION))) {
            request.next();
            return;
        }
        request.response()
                .setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer realm=\"event-relay\"")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(UNAUTHORIZED);
    }

    /**
     * Registers the check with the context: on the HTTP server's configuration when the server is
     * already known, else as soon as camel-main adds it. The server installs it on its router before
     * any route, and it fails the start when that did not happen.
     */
    public void register(CamelContext context) throws Exception {
        if (tokenDigest == null) {
            return;
        }
        context.addStartupListener(this);
        MainHttpServer server = context.hasService(MainHttpServer.class);
        if (server != null) {
            installOn(server);
            return;
        }
        context.addLifecycleStrategy(new LifecycleStrategySupport() {
            @Override
            public void onServiceAdd(CamelContext context, Service service, Route route) {
                if (service instanceof MainHttpServer added) {
                    installOn(added);
                }
            }
        });
    }

    private void installOn(MainHttpServer server) {
        AuthenticationConfig.AuthenticationConfigEntry entry = new AuthenticationConfig.AuthenticationConfigEntry();
        entry.setPath("/api/*");
        entry.setAuthenticationProviderFactory(vertx -> null);
        entry.setAuthenticationHandlerFactory(new AuthenticationConfig.AuthenticationHandlerFactory() {
            @Override
            public <T extends AuthenticationProvider> AuthenticationHandler createAuthenticationHandler(T provider) {
                installed = true;
                LOG.info("Ops API: every /api/* request needs the bearer token of {}", TOKEN_KEY);
                return ApiAuthentication.this::guard;
            }
        });
        AuthenticationConfig config = server.getConfiguration().getAuthenticationConfig();
        config.getEntries().add(entry);
        config.setEnabled(true);
    }

    /** Fails the start when a token is set but the check could not be installed: the API never runs unguarded. */
    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        if (tokenDigest != null && !installed) {
            throw new IllegalStateException(TOKEN_KEY + " is set but the ops API's HTTP server is not running, so the"
                    + " token cannot be checked; set camel.server.enabled = true");
        }
    }

    private static byte[] digest(String token) {
        if (token == null) {
            return null;
        }
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java", e);
        }
    }
}
