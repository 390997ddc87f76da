package dev.eventrelay.routes;

import dev.eventrelay.boot.ConfiguredRoutes;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.delivery.Destination;
import dev.eventrelay.delivery.Destinations;
import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.delivery.HttpRequests;
import dev.eventrelay.delivery.KafkaProducers;
import dev.eventrelay.delivery.RabbitConnections;
import dev.eventrelay.settings.PropertyReader;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookLease;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.ImportStates;
import dev.eventrelay.state.RunStore;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.systemevents.SystemEvents;
import org.apache.camel.builder.AdviceWithRouteBuilder;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.util.function.ThrowingConsumer;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * One hook's routes for a route test, as the service makes them: the shipped {@code routes/hook.camel.yaml},
 * {@code routes/hook-errors.camel.yaml} and the hook's sink file, made into routes by the real
 * {@link ConfiguredRoutes}, with the real {@link HookDelivery} over a fresh SQLite state store in the test's folder.
 * Nothing else of the service runs: no import, no ops API.
 */
final class HookRoutes implements AutoCloseable {

    static final String HOOK = "under-test";

    private final StateStore store;
    private final boolean ownsStore;
    private final EventLog events;
    private final HookStates states;
    private final DeadLetters deadLetters;
    private final String runId;
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final HookConfig hook;
    private int eventCount;

    /** @param keys the hook's keys without the {@code relay.hook.under-test.} prefix, e.g. {@code destination} */
    HookRoutes(Path dir, Map<String, String> keys) throws Exception {
        this(sqlite(dir), true, keys, store -> HookLease.always("route-test", List.of(HOOK)));
    }

    /**
     * The hook's routes over a store another instance may share (left open by {@link #close}), delivering while
     * {@code lease} says this instance holds the hook; a lease that is a Camel service stops with the routes.
     */
    HookRoutes(StateStore store, Map<String, String> keys, java.util.function.Function<StateStore, HookLease> lease)
            throws Exception {
        this(store, false, keys, lease);
    }

    private static StateStore sqlite(Path dir) {
        StateStore store = new StateStore(StoreDatabases.sqlite(dir), null, null, 4);
        store.migrate();
        store.start();
        return store;
    }

    private HookRoutes(StateStore store, boolean ownsStore, Map<String, String> keys,
                       java.util.function.Function<StateStore, HookLease> leases) throws Exception {
        this.store = store;
        this.ownsStore = ownsStore;
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("relay.delivery.poll-interval.seconds", "0.05");
        keys.forEach((key, value) -> properties.put(key.startsWith("relay.") ? key : HookConfig.PREFIX + HOOK + "." + key,
                value));
        PropertyReader p = PropertyReader.of(properties);
        hook = HookConfig.read(HOOK, p);
        p.check();
        HookLease lease = leases.apply(store);
        if (lease instanceof org.apache.camel.Service service) {
            context.addService(service, true, true);
        }
        events = new EventLog(store);
        states = new HookStates(store, HookStates.KEEP_ATTEMPTS, lease.holder());
        deadLetters = new DeadLetters(store);
        runId = new RunStore(store).create("route-test", "upload", "manual", Instant.now());
        Map<String, HookConfig> hooks = Map.of(HOOK, hook);
        Map<String, Destination> destinations = Destinations.of(hooks.values(), Clock.systemUTC());
        SystemEvents systemEvents = new SystemEvents(store, events, new RunStore(store), Clock.systemUTC());
        systemEvents.prepare();
        context.getRegistry().bind("hookDelivery", new HookDelivery(hooks, destinations, events, states, deadLetters,
                new ErrorLog(store), Clock.systemUTC(), new RelayMetrics(), systemEvents, lease));
        configureComponentsAsShipped();
        RabbitConnections.bind(context, p, hooks.values());
        context.getRegistry().bind(HttpRequests.BEAN, new HttpRequests());
        KafkaProducers kafkaRecords = new KafkaProducers();
        context.getRegistry().bind(KafkaProducers.BEAN, kafkaRecords);
        context.addService(kafkaRecords, true, true);
        p.check();
        List<Resource> routes = new ArrayList<>();
        for (String file : List.of("hook", "hook-errors", destinations.get(HOOK).sink())) {
            routes.add(ResourceHelper.resolveMandatoryResource(context, "file:routes/" + file + ".camel.yaml"));
        }
        PluginHelper.getRoutesLoader(context).loadRoutes(routes);
        // as camel-main does: the templated routes once every template is known
        ConfiguredRoutes configured = new ConfiguredRoutes(List.of(), List.of(), hooks.values(), destinations,
                new ImportStates(store));
        configured.addRoutesToCamelContext(context);
        configured.addTemplatedRoutesToCamelContext(context);
    }

    /** The shipped {@code camel.component.*} keys (e.g. no automatic HTTP retries), as camel-main applies them. */
    private void configureComponentsAsShipped() throws Exception {
        Properties shipped = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("application.properties"))) {
            shipped.load(in);
        }
        for (String key : shipped.stringPropertyNames()) {
            if (key.startsWith("camel.component.")) {
                String[] parts = key.split("\\.", 4);
                PropertyBindingSupport.build().withCamelContext(context).withTarget(context.getComponent(parts[2]))
                        .withProperty(camelCase(parts[3]), shipped.getProperty(key).strip()).withMandatory(true).bind();
            }
        }
    }

    private static String camelCase(String kebab) {
        StringBuilder name = new StringBuilder();
        for (String part : kebab.split("-")) {
            name.append(name.isEmpty() ? part : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return name.toString();
    }

    HookConfig hook() {
        return hook;
    }

    DefaultCamelContext context() {
        return context;
    }

    /** Changes route {@code routeId} (say, the sink's endpoint for a mock) before the routes start. */
    HookRoutes advise(String routeId, ThrowingConsumer<AdviceWithRouteBuilder, Exception> advice) throws Exception {
        AdviceWith.adviceWith(context, routeId, advice);
        return this;
    }

    HookRoutes start() {
        context.start();
        return this;
    }

    /** Publishes {@code count} events to the event log, as one import's file would; returns their ids in order. */
    List<String> publish(int count, String eventType) {
        List<EventLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = "00000000-0000-4000-8000-" + String.format("%012d", ++eventCount);
            entries.add(new EventLog.Entry(0, id, eventType, "{\"event_id\":\"" + id + "\",\"event_type\":\""
                    + eventType + "\",\"profile\":{\"external_id\":\"c-" + eventCount + "\"}}"));
        }
        store.inTransaction(c -> {
            long segment = events.openSegment(c, runId, Instant.now());
            events.append(c, segment, entries);
            return events.publish(c, segment, Instant.now());
        });
        return entries.stream().map(EventLog.Entry::eventId).toList();
    }

    HookStates.State state() {
        return states.get(HOOK);
    }

    List<DeadLetters.DeadLetter> deadLetters() {
        return deadLetters.list(HOOK, 100, 0);
    }

    /** Waits (at most 20 s) until the hook's state satisfies {@code done}, and returns it. */
    HookStates.State awaitState(String what, Predicate<HookStates.State> done) throws Exception {
        return RelayUnderTest.await(what, Duration.ofSeconds(20), this::state, done);
    }

    @Override
    public void close() {
        context.stop();
        if (ownsStore) {
            store.stop();
        }
    }
}
