package dev.eventrelay.backbone;

import dev.eventrelay.settings.ConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The backbone's topic, made sure of at start: created with {@code relay.backbone.kafka.partitions} and
 * {@code …replication-factor} when it is missing, left as it is when it exists (a different partition count is
 * logged). Start-up stops, naming {@code relay.backbone.kafka.bootstrap-servers}, when no broker answers.
 */
public final class KafkaTopic {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaTopic.class);
    private static final int DEFAULT_TIMEOUT_MS = 15_000;

    private KafkaTopic() {
    }

    /** Makes sure the topic exists; returns its number of partitions. */
    public static int ensure(BackboneConfig config) {
        return ensure(config, DEFAULT_TIMEOUT_MS);
    }

    /** Makes sure the topic exists, waiting up to {@code timeoutMs} for the brokers; returns its partitions. */
    static int ensure(BackboneConfig config, int timeoutMs) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(500, timeoutMs / 3)))) {
            try {
                admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw unreachable(config, e, timeoutMs);
            }
            if (!admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(config.topic())) {
                try {
                    admin.createTopics(List.of(new NewTopic(config.topic(), Optional.of(config.partitions()),
                            Optional.of(config.replicationFactor())))).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.info("Kafka backbone: created the topic {} with {} partition(s), replication factor {}",
                            config.topic(), config.partitions(), config.replicationFactor());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new ConfigException(List.of(BackboneConfig.PREFIX + "kafka.topic: the topic "
                                + config.topic() + " could not be created (" + BackboneConfig.PREFIX
                                + "kafka.partitions " + config.partitions() + ", " + BackboneConfig.PREFIX
                                + "kafka.replication-factor " + config.replicationFactor() + "): "
                                + e.getCause().getMessage()));
                    }
                }
            }
            int partitions = describe(admin, config, timeoutMs).partitions().size();
            if (partitions != config.partitions()) {
                LOG.warn("Kafka backbone: the topic {} has {} partition(s), not the {} of {}kafka.partitions;"
                        + " it is used as it is", config.topic(), partitions, config.partitions(), BackboneConfig.PREFIX);
            }
            return partitions;
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(config, e, timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(config, e, timeoutMs);
        }
    }

    /** The topic as the brokers describe it, once its creation has reached them. */
    private static TopicDescription describe(Admin admin, BackboneConfig config, int timeoutMs)
            throws ExecutionException, TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            try {
                return admin.describeTopics(List.of(config.topic())).allTopicNames()
                        .get(timeoutMs, TimeUnit.MILLISECONDS).get(config.topic());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static ConfigException unreachable(BackboneConfig config, Exception e, int timeoutMs) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        return new ConfigException(List.of(BackboneConfig.PREFIX + "kafka.bootstrap-servers: no Kafka broker of "
                + config.bootstrapServers() + " answered within " + (timeoutMs % 1000 == 0 ? String.valueOf(timeoutMs / 1000)
                : String.valueOf(timeoutMs / 1000.0)) + " s ("
                + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage())
                + "); start the brokers or fix the key (relay.backbone.kind = kafka needs them at start)"));
    }
}
