package dev.eventrelay.support;

import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker in the test JVM, from Kafka's own test kit: KRaft in combined mode, one broker and one
 * controller, on a random port of localhost. Starts in a few seconds; {@link #close()} deletes its data.
 */
public final class TestKafkaBroker implements AutoCloseable {

    private final KafkaClusterTestKit cluster;

    private TestKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    /** Starts a broker with the given broker settings on top of those a single broker needs. */
    public static TestKafkaBroker start(Map<String, String> brokerSettings) throws Exception {
        FastRun.refuse("a Kafka broker (TestKafkaBroker)");
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("min.insync.replicas", "1");
        brokerSettings.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        return new TestKafkaBroker(cluster);
    }

    /**
     * Starts a broker whose client listener is fixed on {@code port} of localhost, so that it can be
     * {@linkplain #stopBroker() stopped} and {@linkplain #startBroker() started} again where clients expect it.
     */
    public static TestKafkaBroker startOnPort(int port, Map<String, String> brokerSettings) throws Exception {
        Map<String, String> settings = new java.util.LinkedHashMap<>(brokerSettings);
        settings.put("listeners", "EXTERNAL://localhost:" + port + ",CONTROLLER://localhost:0");
        return start(settings);
    }

    /** Stops the broker (its controller keeps running): clients find nobody on its port. */
    public void stopBroker() {
        kafka.server.BrokerServer broker = cluster.brokers().values().iterator().next();
        broker.shutdown();
        broker.awaitShutdown();
    }

    /** Starts the stopped broker again, with its data, and waits until it is ready. */
    public void startBroker() throws Exception {
        cluster.brokers().values().iterator().next().startup();
        cluster.waitForReadyBrokers();
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** Creates a topic with {@code partitions} partitions and waits until the broker has it. */
    public void createTopic(String name, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    /** A plain consumer of string keys and values, in no group, reading a topic from its beginning. */
    public KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer());
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
