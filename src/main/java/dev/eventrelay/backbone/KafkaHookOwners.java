package dev.eventrelay.backbone;

import dev.eventrelay.state.HookLease;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Who delivers each hook on the kafka backbone: the hook's consumer group spreads its partitions, so every instance
 * may deliver every hook ({@link #holds} is always true and no store update is guarded), and the owners of a hook
 * are the instances whose consumers hold partitions of its group now. They are read from the brokers (the group's
 * members, whose {@code client.id} is {@code relay-<instance id>-hook-<hook>}, see {@link HookConsumer}) at most
 * once a second.
 */
public final class KafkaHookOwners implements HookLease, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHookOwners.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final List<String> hooks;
    private final Admin admin;
    private final Clock clock;
    private Map<String, List<String>> owners = Map.of();
    private Instant readAt = Instant.MIN;
    private boolean failing;

    public KafkaHookOwners(BackboneConfig config, Collection<String> hooks, Clock clock) {
        this.hooks = List.copyOf(hooks);
        this.clock = clock;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000));
    }

    @Override
    public boolean holds(String hook) {
        return true;
    }

    /** The instances whose consumers hold partitions of the hook's group, by id, comma-separated. */
    @Override
    public Optional<String> owner(String hook) {
        List<String> instances = byHook().getOrDefault(hook, List.of());
        return instances.isEmpty() ? Optional.empty() : Optional.of(String.join(",", instances));
    }

    @Override
    public Map<String, List<String>> hooksByOwner() {
        Map<String, List<String>> byOwner = new TreeMap<>();
        byHook().forEach((hook, instances) -> instances.forEach(instance ->
                byOwner.computeIfAbsent(instance, id -> new ArrayList<>()).add(hook)));
        return byOwner;
    }

    @Override
    public void releaseAll() {
    }

    @Override
    public String holder() {
        return null;
    }

    /** The instances holding partitions of each hook's group, by hook; what was read last while the brokers are away. */
    private synchronized Map<String, List<String>> byHook() {
        Instant now = clock.instant();
        if (readAt.plus(FRESH).isAfter(now)) {
            return owners;
        }
        readAt = now;
        Map<String, String> groups = new LinkedHashMap<>();
        hooks.forEach(hook -> groups.put(HookConsumer.groupId(hook), hook));
        try {
            Map<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(groups.keySet()).all()
                    .get(5, TimeUnit.SECONDS);
            Map<String, List<String>> read = new LinkedHashMap<>();
            described.forEach((group, description) -> {
                String hook = groups.get(group);
                String suffix = "-hook-" + hook;
                List<String> instances = new ArrayList<>();
                for (MemberDescription member : description.members()) {
                    String client = member.clientId();
                    if (!member.assignment().topicPartitions().isEmpty() && client.startsWith("relay-")
                            && client.endsWith(suffix)) {
                        instances.add(client.substring("relay-".length(), client.length() - suffix.length()));
                    }
                }
                read.put(hook, instances.stream().distinct().sorted().toList());
            });
            owners = read;
            failing = false;
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            if (!failing) {
                failing = true;
                LOG.warn("Kafka backbone: the hooks' consumer groups could not be read now ({})", e.toString());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return owners;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
