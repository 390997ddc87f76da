package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.KafkaBatches;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kafka backbone's {@link HookFeed}: each hook is a consumer group over the topic ({@link HookConsumer}), its
 * partitions spread over the instances that run the hook. The hook's retry schedule, counts, pause and circuit stay
 * in its state in the store, shared by the group; what a batch is (partition and offsets) is recorded in
 * {@link KafkaBatches}. While the brokers cannot be reached a hook reads nothing: said once per outage in the log.
 */
public final class KafkaHookFeed implements HookFeed, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaHookFeed.class);

    private final BackboneConfig config;
    private final String instanceId;
    private final KafkaBatches batches;
    private final Map<String, Integer> maxEvents;
    private final Clock clock;
    private final Map<String, HookConsumer> consumers = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    /** @param maxEvents the most events each hook reads at once, by hook name */
    public KafkaHookFeed(BackboneConfig config, String instanceId, KafkaBatches batches, Map<String, Integer> maxEvents,
                         Clock clock) {
        this.config = config;
        this.instanceId = instanceId;
        this.batches = batches;
        this.maxEvents = Map.copyOf(maxEvents);
        this.clock = clock;
    }

    @Override
    public Read read(String hook, HookStates.State state, int max) {
        try {
            Read read = consumer(hook).read(max);
            if (failing.remove(hook)) {
                LOG.info("Hook {}: the Kafka backbone answers again", hook);
            }
            return read;
        } catch (KafkaException e) {
            if (failing.add(hook)) {
                LOG.warn("Hook {} waits for the Kafka backbone: {}", hook, e.getMessage());
            }
            return Read.empty(state.cursor());
        }
    }

    @Override
    public void skipped(String hook, Read read) {
        passed(hook, read.end());
    }

    @Override
    public void passed(String hook, EventLog.Cursor end) {
        try {
            consumer(hook).passed(end);
        } catch (KafkaException e) {
            // the partition moved to another member, or the broker is away: the recorded batch is read again
            LOG.warn("Hook {}: the offset {} of partition {} was not committed ({}); the batch will be read again",
                    hook, end.logId(), end.segmentSeq(), e.getMessage());
        }
    }

    private HookConsumer consumer(String hook) {
        return consumers.computeIfAbsent(hook, name -> new HookConsumer(name, config, instanceId,
                maxEvents.getOrDefault(name, 500), batches, clock));
    }

    @Override
    public void close() {
        consumers.values().forEach(HookConsumer::close);
        consumers.clear();
    }
}
