package dev.eventrelay.backbone;

import dev.eventrelay.settings.PropertyReader;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Which backbone carries accepted events from ingestion to the hooks ({@code relay.backbone.*}): {@code store}, the
 * event log table of the state store (the default), or {@code kafka}, a topic of a Kafka cluster written in one
 * transaction per file or sync page and read by one consumer group per hook.
 *
 * @param transactionTimeoutMs the producer's {@code transaction.timeout.ms}: the longest a file may take to import on
 *                             the kafka backbone, and the longest an instance that died mid-file holds the hooks'
 *                             readers behind its open transaction
 */
public record BackboneConfig(String kind, String bootstrapServers, String topic, int partitions,
                             short replicationFactor, int transactionTimeoutMs) {

    public static final String PREFIX = "relay.backbone.";
    public static final String STORE = "store";
    public static final String KAFKA = "kafka";

    private static final Pattern BROKER = Pattern.compile("([A-Za-z0-9._-]+|\\[[0-9A-Fa-f:]+]):([0-9]{1,5})");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    /** The default: the event log of the state store. */
    public static final BackboneConfig DEFAULT = new BackboneConfig(STORE, null, "relay-events", 3, (short) 1, 300_000);

    public boolean kafka() {
        return KAFKA.equals(kind);
    }

    /** Reads and checks {@code relay.backbone.*}; every problem is recorded in {@code p}, naming its key. */
    public static BackboneConfig read(PropertyReader p) {
        String kind = p.string(PREFIX + "kind", STORE);
        if (!List.of(STORE, KAFKA).contains(kind)) {
            p.problem(PREFIX + "kind", "is '" + kind + "'; it must be store (the state store's event log, the"
                    + " default) or kafka (a Kafka topic, with " + PREFIX + "kafka.bootstrap-servers)");
        }
        String servers = KAFKA.equals(kind)
                ? p.required(PREFIX + "kafka.bootstrap-servers", "the Kafka brokers of the backbone, host:port,host:port")
                : p.string(PREFIX + "kafka.bootstrap-servers", null);
        if (servers != null) {
            for (String broker : p.list(PREFIX + "kafka.bootstrap-servers")) {
                var m = BROKER.matcher(broker);
                if (!m.matches() || Integer.parseInt(m.group(2)) < 1 || Integer.parseInt(m.group(2)) > 65535) {
                    p.problem(PREFIX + "kafka.bootstrap-servers", "has '" + broker + "'; write each broker as"
                            + " host:port with a port from 1 to 65535, e.g. kafka.example:9092");
                }
            }
        }
        String topic = p.string(PREFIX + "kafka.topic", DEFAULT.topic());
        if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            p.problem(PREFIX + "kafka.topic", "is '" + topic + "'; a Kafka topic name has 1 to 249 characters of"
                    + " letters, digits, '.', '_' and '-'");
        }
        int partitions = p.integer(PREFIX + "kafka.partitions", DEFAULT.partitions(), 1, 10_000);
        int replication = p.integer(PREFIX + "kafka.replication-factor", DEFAULT.replicationFactor(), 1, 32);
        int timeout = p.integer(PREFIX + "kafka.transaction-timeout.ms", DEFAULT.transactionTimeoutMs(), 1_000,
                3_600_000);
        p.integer(PREFIX + "kafka.outbox-interval.ms", 1000, 10, 3_600_000); // read by routes/backbone-outbox
        return new BackboneConfig(kind, servers, topic, partitions, (short) replication, timeout);
    }
}
