package dev.eventrelay.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A RabbitMQ node of the test's own, so a test may stop and start the broker without touching the machine's
 * shared broker on 5672: Debian's {@code rabbitmq-server} with its own node name, AMQP port on 127.0.0.1,
 * distribution port, data and log folders and no plugins. {@link #stopApp()} and {@link #startApp()} are
 * {@code rabbitmqctl stop_app} / {@code start_app} (the broker goes away and comes back, its durable queues and
 * persistent messages kept); {@link #close()} stops the node and deletes its folder. Run as root, the commands run
 * as the {@code rabbitmq} user, as the Debian wrapper does.
 */
public final class TestRabbitNode implements AutoCloseable {

    private static final Path BIN = Path.of("/usr/lib/rabbitmq/bin");

    private final String node;
    private final int port;
    private final Path dir;
    private final Map<String, String> env = new LinkedHashMap<>();

    private TestRabbitNode(int port, int distPort, Path dir) {
        this.node = "relay-test-" + UUID.randomUUID().toString().substring(0, 8) + "@localhost";
        this.port = port;
        this.dir = dir;
        env.put("RABBITMQ_NODENAME", node);
        env.put("RABBITMQ_DIST_PORT", String.valueOf(distPort));
        env.put("RABBITMQ_CONF_ENV_FILE", "/dev/null");
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_PID_FILE", dir.resolve("node.pid").toString());
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
    }

    /**
     * Starts a node on free ports and waits until it runs (about 10 s). The AMQP listener is set in the node's
     * own config file only (also setting RABBITMQ_NODE_PORT makes a second listener on the same port, which fails).
     */
    public static TestRabbitNode start() throws Exception {
        FastRun.refuse("a RabbitMQ node (TestRabbitNode)");
        Path dir = Files.createTempDirectory("relay-rabbit-");
        TestRabbitNode rabbit = new TestRabbitNode(RelayUnderTest.freePort(), RelayUnderTest.freePort(), dir);
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq.conf"), "listeners.tcp.local = 127.0.0.1:" + rabbit.port + "\n");
        ServerCommands.handOver("rabbitmq", dir.toFile());
        try {
            rabbit.script("rabbitmq-server", "-detached");
            // await_startup fails at once while the node is not yet reachable; wait reads its pid file first
            rabbit.ctl("wait", dir.resolve("node.pid").toString(), "--timeout", "120");
        } catch (Exception e) {
            rabbit.close();
            throw e;
        }
        return rabbit;
    }

    public int port() {
        return port;
    }

    /** {@code rabbitmqctl stop_app}: the broker closes every connection and refuses new ones. */
    public void stopApp() throws Exception {
        ctl("stop_app");
    }

    /** {@code rabbitmqctl start_app}, and waits until the broker accepts connections again. */
    public void startApp() throws Exception {
        ctl("start_app");
        ctl("await_startup", "--timeout", "90");
    }

    @Override
    public void close() throws Exception {
        try {
            ctl("stop");
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            }
        }
    }

    private void ctl(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("-n", node));
        all.addAll(List.of(args));
        script("rabbitmqctl", all.toArray(String[]::new));
    }

    /** A RabbitMQ script with this node's environment (HOME holds the Erlang cookie the node and CLI share). */
    private void script(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Files.isDirectory(BIN) ? BIN.resolve(script).toString() : script));
        command.addAll(List.of(args));
        Map<String, String> all = new LinkedHashMap<>(env);
        if (ServerCommands.isRoot()) {
            all.put("HOME", "/var/lib/rabbitmq");
        }
        ServerCommands.runAs("rabbitmq", all, command);
    }
}
