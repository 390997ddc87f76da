package dev.eventrelay.delivery;

import com.rabbitmq.client.ShutdownSignalException;
import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.connection.RabbitUtils;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The RabbitMQ connections that hooks name, read from {@code relay.rabbitmq.<connection>.*}, and the beans the
 * {@code hook-sink-rabbitmq} routes call.
 *
 * <p>A hook names its connection with {@code relay.hook.<hook>.rabbitmq.connection} (default {@code default}); each
 * connection {@code <name>} is bound in the Camel registry as {@code rabbitmq-<name>}, a Spring
 * {@link CachingConnectionFactory} that the routes reference as {@code connectionFactory: "#bean:rabbitmq-<name>"}.
 * Its keys:
 * <ul>
 *   <li>{@code relay.rabbitmq.<name>.host} (default {@code 127.0.0.1}), {@code .port} (default 5672),</li>
 *   <li>{@code .user} (default {@code guest}), {@code .password} (default {@code guest}; in real deployments write
 *       {@code {{env:NAME}}} so it comes from the environment; it is never logged),</li>
 *   <li>{@code .virtual-host} (default {@code /}).</li>
 * </ul>
 * Every channel of such a factory is in publisher-confirm mode ({@link CachingConnectionFactory.ConfirmType#SIMPLE},
 * which {@link RabbitDestination#publish} waits on once per page) and is a {@link ReturnCheckingChannel}: messages
 * are published mandatory, and a message the broker returns as unroutable or nacks fails its send. The factory
 * connects lazily, on the first send, so a broker that is down at start-up does not stop the service; it is
 * closed when Camel stops.
 */
public final class RabbitConnections {

    public static final String PREFIX = "relay.rabbitmq.";
    /** The registry name of the bean the rabbitmq routes call for each message ({@link RabbitDestination}). */
    public static final String MESSAGES_BEAN = "rabbitMessages";

    private static final Logger LOG = LoggerFactory.getLogger(RabbitConnections.class);
    private static final String BEAN_PREFIX = "rabbitmq-";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final int CONNECTION_TIMEOUT_MS = 10_000;

    /** One connection's settings; {@link #toString} leaves the password out. */
    public record Settings(String name, String host, int port, String user, String password, String virtualHost) {
        @Override
        public String toString() {
            return "RabbitMQ connection " + name + ": " + user + "@" + host + ":" + port + ", virtual host " + virtualHost;
        }
    }

    private RabbitConnections() {
    }

    /**
     * Binds a connection factory {@code rabbitmq-<connection>} for every connection a rabbitmq hook names, and the
     * {@link #MESSAGES_BEAN} bean, when any hook has a rabbitmq destination. Problems are added to {@code p} with the
     * key to fix; the caller's {@link PropertyReader#check()} reports them.
     */
    public static void bind(CamelContext context, PropertyReader p, Collection<HookConfig> hooks) throws Exception {
        bind(context, read(p, hooks));
    }

    /**
     * Reads and checks every configured {@code relay.rabbitmq.<connection>.*} and returns the connections that
     * rabbitmq hooks name. A hook that names a connection other than {@code default} that has no key is a problem.
     */
    public static Map<String, Settings> read(PropertyReader p, Collection<HookConfig> hooks) {
        Map<String, Settings> configured = new LinkedHashMap<>();
        for (String name : p.names(PREFIX)) {
            configured.put(name, read(name, p));
        }
        Map<String, Settings> connections = new LinkedHashMap<>();
        for (HookConfig hook : hooks) {
            if (!hook.destination().startsWith("rabbitmq-")) {
                continue;
            }
            String bean = hook.endpoint().get("connection");
            String name = bean.substring(BEAN_PREFIX.length());
            String key = HookConfig.PREFIX + hook.name() + ".rabbitmq.connection";
            if (!NAME.matcher(name).matches()) {
                p.problem(key, "names a connection '" + name
                        + "'; use lower-case letters, digits and '-' (the keys are relay.rabbitmq.<connection>.*)");
            } else if (!configured.containsKey(name) && !name.equals("default")) {
                p.problem(key, "names the connection '" + name + "', which has no key; set " + PREFIX + name
                        + ".host (and .port, .user, .password, .virtual-host), or name a configured connection");
            } else {
                connections.computeIfAbsent(name, n -> configured.containsKey(n) ? configured.get(n) : read(n, p));
            }
        }
        return connections;
    }

    /** Binds a connection factory for each connection, and the {@link #MESSAGES_BEAN} bean when there is one. */
    public static void bind(CamelContext context, Map<String, Settings> connections) throws Exception {
        if (connections.isEmpty()) {
            return;
        }
        for (Settings settings : connections.values()) {
            CachingConnectionFactory factory = factory(settings);
            context.getRegistry().bind(BEAN_PREFIX + settings.name(), factory);
            context.addService(new Closer(factory), true, true);
            LOG.info("{}, bound as {} (publisher confirms, mandatory publishing)", settings,
                    BEAN_PREFIX + settings.name());
        }
        context.getRegistry().bind(MESSAGES_BEAN, new RabbitDestination());
    }

    /** Reads and checks {@code relay.rabbitmq.<name>.*}. */
    static Settings read(String name, PropertyReader p) {
        String prefix = PREFIX + name + ".";
        String host = p.string(prefix + "host", "127.0.0.1");
        if (host.chars().anyMatch(c -> Character.isWhitespace(c) || c == '/')) {
            p.problem(prefix + "host", "'" + host + "' is not a host name or address; write it without scheme,"
                    + " port or path, e.g. rabbit.example.com");
        }
        int port = p.integer(prefix + "port", 5672, 1, 65535);
        String user = p.string(prefix + "user", "guest");
        String password = p.string(prefix + "password", "guest");
        String virtualHost = p.string(prefix + "virtual-host", "/");
        return new Settings(name, host, port, user, password, virtualHost);
    }

    static CachingConnectionFactory factory(Settings settings) {
        CachingConnectionFactory factory = new CachingConnectionFactory(settings.host(), settings.port());
        factory.setUsername(settings.user());
        factory.setPassword(settings.password());
        factory.setVirtualHost(settings.virtualHost());
        factory.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        factory.setConnectionNameStrategy(f -> "event-relay " + settings.name());
        // SIMPLE: each channel is in confirm mode; RabbitDestination waits for the broker's acks once per page
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.SIMPLE);
        // returns on: channels come from the publisher channel factory, which makes them ReturnCheckingChannels
        factory.setPublisherReturns(true);
        factory.setPublisherChannelFactory(ReturnCheckingChannel::new);
        // a channel the broker closes over one message (404: no such exchange) fails that send, which the hook
        // records and logs; only a connection lost unexpectedly is worth a warning here
        factory.setCloseExceptionLogger((log, message, error) -> {
            if (error instanceof ShutdownSignalException signal
                    && (!signal.isHardError() || RabbitUtils.isNormalShutdown(signal))) {
                log.debug(message + ": " + error.getMessage());
            } else {
                log.warn(message + ": " + error.getMessage());
            }
        });
        return factory;
    }

    /** Closes a connection factory when Camel stops (after the routes, so in-flight sends finish first). */
    private static final class Closer extends ServiceSupport {
        private final CachingConnectionFactory factory;

        Closer(CachingConnectionFactory factory) {
            this.factory = factory;
        }

        @Override
        protected void doStop() {
            factory.destroy();
        }

        @Override
        public String toString() {
            return "RabbitConnectionCloser[" + factory.getHost() + ":" + factory.getPort() + "]";
        }
    }
}
