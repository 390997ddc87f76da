package dev.eventrelay.boot;

import dev.eventrelay.backbone.BackboneConfig;
import dev.eventrelay.backbone.HookFeed;
import dev.eventrelay.backbone.KafkaHookFeed;
import dev.eventrelay.backbone.KafkaHookOwners;
import dev.eventrelay.backbone.KafkaSegments;
import dev.eventrelay.backbone.KafkaTopic;
import dev.eventrelay.backbone.StoreHookFeed;
import dev.eventrelay.backbone.SystemEventForwarder;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookLease;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.KafkaBatches;
import dev.eventrelay.state.OutboxCursor;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.state.SegmentWriter;
import dev.eventrelay.state.StateStore;
import org.apache.camel.CamelContext;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Binds the backbone of {@code relay.backbone.kind} for {@link RelayWiring}: the store's event log or a Kafka topic. */
final class BackboneWiring {

    private static final Logger LOG = LoggerFactory.getLogger(BackboneWiring.class);

    private BackboneWiring() {
    }

    /** What carries accepted events from ingestion to the hooks: the writer of segments, the hooks' feed. */
    record Backbone(BackboneConfig config, SegmentWriter segments, HookFeed feed) {
    }

    /**
     * The backbone of {@code relay.backbone.kind}: the store's event log, or the Kafka topic, which is created when
     * missing (start-up stops when no broker answers); on Kafka the system events are forwarded to the topic by the
     * bean {@code backboneOutbox} (routes/backbone-outbox.camel.yaml). {@code instanceId} prefixes the transactional
     * ids of the Kafka producers and names the hooks' consumers; {@code sealed} keeps the seals of segments about to be
     * committed to Kafka.
     */
    static Backbone wire(CamelContext context, ValidatedConfig settings, StateStore store, EventLog events,
                         HookStates hookStates, Clock clock, String instanceId, SealedSegments sealed) {
        BackboneConfig config = settings.backbone();
        if (!config.kafka()) {
            context.getRegistry().bind("backboneOutbox", SystemEventForwarder.off());
            return new Backbone(config, events, new StoreHookFeed(events, hookStates));
        }
        KafkaTopic.ensure(config);
        KafkaSegments segments = new KafkaSegments(config, instanceId, sealed);
        Map<String, Integer> maxEvents = new LinkedHashMap<>();
        settings.hooks().values().forEach(hook -> maxEvents.put(hook.name(),
                hook.batchMaxEvents() * hook.limits().inFlight()));
        KafkaHookFeed feed = new KafkaHookFeed(config, instanceId, new KafkaBatches(store), maxEvents, clock);
        SystemEventForwarder outbox = SystemEventForwarder.to(config, instanceId, events, new OutboxCursor(store));
        context.getRegistry().bind("backboneOutbox", outbox);
        closeOnStop(context, feed);
        closeOnStop(context, outbox);
        closeOnStop(context, segments);
        LOG.info("Kafka backbone: topic {} on {}, instance {}", config.topic(), config.bootstrapServers(), instanceId);
        return new Backbone(config, segments, feed);
    }

    /** Who delivers each hook on the kafka backbone: the members of its consumer group ({@link KafkaHookOwners}). */
    static HookLease hookOwners(CamelContext context, BackboneConfig config, List<String> hooks, Clock clock) {
        KafkaHookOwners owners = new KafkaHookOwners(config, hooks, clock);
        closeOnStop(context, owners);
        return owners;
    }

    private static void closeOnStop(CamelContext context, AutoCloseable closeable) {
        try {
            context.addService(new ServiceSupport() {
                @Override
                protected void doStop() throws Exception {
                    closeable.close();
                }
            }, true, true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
