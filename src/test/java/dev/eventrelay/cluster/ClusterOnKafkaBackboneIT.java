package dev.eventrelay.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The cluster scenario on the Kafka backbone ({@code relay.backbone.kind = kafka}) against a KRaft broker: accepted
 * events go to the topic {@value #BACKBONE_TOPIC} of {@value #PARTITIONS} partitions (one Kafka transaction per file
 * or page) instead of the store's event log, and each hook is a consumer group whose partitions spread over the
 * live instances. The store still holds runs, ledger and hook state.
 */
class ClusterOnKafkaBackboneIT extends ClusterScenario {

    static final String BACKBONE_TOPIC = "relay-events";
    static final int PARTITIONS = 3;

    @Override
    String backbone() {
        return "kafka";
    }

    @Override
    Map<String, String> backboneConfig() {
        return Map.of("relay.backbone.kind", "kafka",
                "relay.backbone.kafka.bootstrap-servers", kafka.bootstrapServers(),
                "relay.backbone.kafka.topic", BACKBONE_TOPIC,
                "relay.backbone.kafka.partitions", String.valueOf(PARTITIONS),
                "relay.backbone.kafka.replication-factor", "1");
    }

    @Override
    String hookOwnersPromise() {
        return "each hook consumed by at least one live instance, and the hooks' partitions on more than one";
    }

    @Override
    boolean hookOwnersKept(Map<String, List<String>> owners) {
        return HOOKS.stream().allMatch(hook -> !owners.getOrDefault(hook, List.of()).isEmpty())
                && owners.values().stream().flatMap(List::stream).distinct().count() > 1;
    }

    @Override
    void checkBackbone(int accepted) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            boolean exists = admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(BACKBONE_TOPIC);
            findings.check(exists, "the backbone topic " + BACKBONE_TOPIC + " exists");
            if (!exists) {
                return;
            }
            TopicDescription topic = admin.describeTopics(List.of(BACKBONE_TOPIC)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(BACKBONE_TOPIC);
            findings.check(topic.partitions().size() == PARTITIONS, "the backbone topic has " + PARTITIONS
                    + " partitions: " + topic.partitions().size());
        }
        long committed = 0;
        try (KafkaConsumer<String, String> reader = kafka.consumer()) {
            List<TopicPartition> partitions = IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(BACKBONE_TOPIC, p)).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            for (var records = reader.poll(Duration.ofSeconds(2)); !records.isEmpty();
                 records = reader.poll(Duration.ofSeconds(1))) {
                for (ConsumerRecord<String, String> ignored : records) {
                    committed++;
                }
            }
        }
        findings.check(committed >= accepted, "the backbone topic holds every accepted event, committed"
                + " (read_committed): " + committed + " of " + accepted);
        // the store's event log is only the outbox of the system events (relay_*), forwarded to the topic
        long logged = store.count("SELECT COUNT(*) FROM event_log WHERE event_type NOT LIKE 'relay\\_%' ESCAPE '\\'");
        findings.check(logged == 0, "accepted events go to the Kafka topic instead of the store's event log: the"
                + " event log holds " + logged + " event(s) that are not system events");
    }
}
