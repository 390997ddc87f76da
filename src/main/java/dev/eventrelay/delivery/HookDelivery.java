package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.backbone.HookFeed;
import dev.eventrelay.backbone.StoreHookFeed;
import dev.eventrelay.model.Event;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.HookLease;
import dev.eventrelay.state.HookLeaseLost;
import dev.eventrelay.state.HookStates;
import dev.eventrelay.state.StateStoreException;
import dev.eventrelay.systemevents.SystemEvents;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bean the hook routes call. {@link #next} reads the hook's next batch — a dead letter queued for
 * replay first, else the events after the hook's cursor (exactly the same events again while a batch
 * is being retried) — and shapes it for the destination; {@link #delivered} moves the cursor once the
 * destination took it; {@link #failed} schedules a retry or, when retries are spent or the failure
 * is permanent, stores the batch in dead letters and moves on. Delivery is at least once. A dead letter raises the
 * system event {@code relay_batch_dead_lettered} in its own transaction, and a hook never captures a system event
 * about itself ({@link SystemEvents}).
 *
 * <p>It also applies what ops and the hook's keys decide, read from the store on every look so that every instance
 * sees it: a paused hook or one disabled by {@code 410 Gone} sends nothing and keeps its cursor; a hook whose
 * circuit is open ({@link CircuitPolicy}) sends one probe per interval and closes on the first success; the
 * {@link HookPacer} keeps the hook within its rates. Every attempt is recorded ({@code GET /api/hooks/{name}/attempts});
 * {@link DeliveryListener}s hear of dead letters, disabled hooks and circuit transitions.
 *
 * <p>In a cluster a hook reads its next batch only while this instance holds the hook's {@link HookLease}; an update
 * that finds the lease lost ({@link HookLeaseLost}) changes nothing, and the batch is left to the new owner.
 */
public final class HookDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(HookDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** How often each hook's timer asks {@link #next} (or its poll interval, when shorter): see {@link HookPolls}. */
    public static final Duration TICK = Duration.ofMillis(100);
    /** Exchange property: the {@link HookBatch} being delivered. */
    public static final String BATCH = "relayBatch";
    /** Exchange property: whether more events may be waiting after this batch. */
    public static final String MORE = "relayMore";
    /** Exchange property: when the attempt started ({@link System#nanoTime()}). */
    private static final String STARTED = "relayAttemptStarted";
    /** Exchange property: the hook's circuit was open when the batch was read (the batch is a probe). */
    private static final String PROBE = "relayProbe";

    private final Map<String, HookConfig> hooks;
    private final Map<String, Destination> destinations;
    private final HookFeed feed;
    private final HookStates states;
    private final DeadLetters deadLetters;
    private final ErrorLog errors;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final SystemEvents systemEvents;
    private final HookLease lease;
    private final Set<String> waitingForStore = ConcurrentHashMap.newKeySet();
    private final Map<String, HookPacer> pacers = new ConcurrentHashMap<>();
    private final HookPolls polls;
    private final ReadAhead readAhead;
    private final List<DeliveryListener> listeners = new CopyOnWriteArrayList<>();

    /** Hooks that read the event log of the state store (the store backbone). */
    public HookDelivery(Map<String, HookConfig> hooks, Map<String, Destination> destinations, EventLog events,
                        HookStates states, DeadLetters deadLetters, ErrorLog errors, Clock clock, RelayMetrics metrics,
                        SystemEvents systemEvents, HookLease lease) {
        this(hooks, destinations, new StoreHookFeed(events, states), states, deadLetters, errors, clock, metrics,
                systemEvents, lease);
    }

    /** Hooks that read their events from {@code feed} (the store's event log, or the kafka backbone's topic). */
    public HookDelivery(Map<String, HookConfig> hooks, Map<String, Destination> destinations, HookFeed feed,
                        HookStates states, DeadLetters deadLetters, ErrorLog errors, Clock clock, RelayMetrics metrics,
                        SystemEvents systemEvents, HookLease lease) {
        this.lease = lease;
        this.hooks = Collections.unmodifiableMap(new LinkedHashMap<>(hooks));
        this.destinations = Map.copyOf(destinations);
        this.feed = feed;
        this.polls = new HookPolls(feed);
        this.readAhead = new ReadAhead(feed);
        this.states = states;
        this.deadLetters = deadLetters;
        this.errors = errors;
        this.clock = clock;
        this.metrics = metrics;
        this.hooks.values().forEach(hook -> pacers.put(hook.name(), new HookPacer(hook.limits(), clock)));
        this.systemEvents = systemEvents;
    }

    public Map<String, HookConfig> hooks() {
        return hooks;
    }

    /** The destination of each hook, by hook name. */
    public Map<String, Destination> destinations() {
        return destinations;
    }

    /** Adds a listener of dead letters, disabled hooks and circuit transitions. */
    public void listen(DeliveryListener listener) {
        listeners.add(listener);
    }

    /**
     * Sets the body to the next batch for the destination, or to null when there is nothing to send now. While the
     * state store is down there is nothing to send: that is logged once per outage (health reports it), not as a
     * stack trace on every poll.
     */
    public void next(String hookName, Exchange exchange) {
        exchange.setProperty(MORE, false);
        exchange.removeProperty(BATCH);
        exchange.getMessage().setBody(null);
        if (!polls.due(hooks.get(hookName))) {
            return;
        }
        long published = polls.published();
        try {
            nextBatch(hookName, exchange);
            if (waitingForStore.remove(hookName)) {
                LOG.info("Hook {}: the state store answers again", hookName);
            }
        } catch (HookLeaseLost e) {
            lost(hookName, null, exchange);
        } catch (StateStoreException e) {
            if (waitingForStore.add(hookName)) {
                LOG.warn("Hook {} waits for the state store: {}", hookName, e.getMessage());
            } else {
                LOG.debug("Hook {} still waits for the state store: {}", hookName, e.getMessage());
            }
        }
        polls.read(hookName, exchange.getProperty(BATCH) != null || exchange.getProperty(MORE, false, Boolean.class),
                published);
    }

    private void nextBatch(String hookName, Exchange exchange) {
        if (!lease.holds(hookName)) {
            return;
        }
        HookConfig hook = hooks.get(hookName);
        HookStates.State state = states.get(hookName);
        if (state.paused() || state.disabled()
                || (state.nextAttemptAt() != null && clock.instant().isBefore(state.nextAttemptAt()))) {
            return;
        }
        HookPacer pacer = pacers.get(hookName);
        int allowance = pacer.events();
        if (allowance < 1 || (state.retrying() && !pacer.allows(state.pendingEvents()))) {
            return;
        }
        Optional<HookBatch> batch = state.retrying() ? Optional.empty() : deadLetters.nextReplay(hookName).map(this::replay);
        if (batch.isPresent() && !pacer.allows(batch.get().events().size())) {
            return;
        }
        if (batch.isEmpty()) {
            int max = hook.batchMaxEvents() * hook.limits().inFlight();
            int limit = state.retrying() ? max : Math.min(max, allowance);
            ReadAhead.Page ahead = readAhead.take(hookName, state, limit);
            HookFeed.Read read = ahead != null ? ahead.read() : feed.read(hookName, state, limit);
            List<Outgoing> captured = ahead != null ? ahead.captured() : capture(hook, read.entries());
            boolean more = read.more() || read.entries().size() == limit;
            exchange.setProperty(MORE, more);
            if (captured.isEmpty()) {
                if (!read.entries().isEmpty()) {
                    feed.skipped(hookName, read);
                }
                return;
            }
            batch = Optional.of(new HookBatch(hookName, read.batchId(), captured, read.end(), null));
            if (more && !state.retrying()) {
                readAhead.start(hookName, state.movedTo(read.end()), limit, next -> capture(hook, next.entries()));
            }
        } else {
            exchange.setProperty(MORE, true);
        }
        pacer.spend(batch.get().events().size(), hook.limits().inFlight());
        destinations.get(hookName).prepare(batch.get(), exchange);
        exchange.setProperty(PROBE, state.open());
        exchange.setProperty(STARTED, System.nanoTime());
        // set last: the hooks' error policy (routes/hook-errors.camel.yaml) takes only failures with a batch in flight
        exchange.setProperty(BATCH, batch.get());
    }

    /** The destination took the batch. */
    public void delivered(String hookName, Exchange exchange) {
        HookBatch batch = exchange.getProperty(BATCH, HookBatch.class);
        Destination destination = destinations.get(hookName);
        HookStates.Attempt attempt = attempt(batch, exchange, HookStates.DELIVERED, destination.status(exchange),
                destination.answer(exchange), false);
        try {
            if (batch.isReplay()) {
                deadLetters.replayed(batch.deadLetterId(), clock.instant());
                states.delivered(hookName, states.get(hookName).cursor(), batch.events().size(), clock.instant(), attempt);
            } else {
                states.delivered(hookName, batch.end(), batch.events().size(), clock.instant(), attempt);
                feed.passed(hookName, batch.end());
            }
        } catch (HookLeaseLost e) {
            lost(hookName, batch, exchange);
            return;
        }
        destination.settled(batch);
        Instant confirmedAt = clock.instant();
        long confirmedAtMs = confirmedAt.toEpochMilli();
        if (exchange.getProperty(PROBE, false, Boolean.class)) {
            transition(hookName, "closed", "hook-circuit-closed", "hook " + hookName + ": a probe was delivered;"
                    + " the circuit is closed and the hook delivers again", confirmedAt);
            tell(listener -> listener.circuitClosed(hookName, confirmedAt));
        }
        metrics.delivered(hookName, batch.events().size());
        for (Outgoing event : batch.events()) {
            Long receivedAtMs = event.receivedAtMs();
            if (receivedAtMs == null) {
                Instant receivedAt = ReceivedAt.of(event.json());
                receivedAtMs = receivedAt == null ? null : receivedAt.toEpochMilli();
            }
            if (receivedAtMs != null) {
                metrics.latency(hookName, receivedAtMs, confirmedAtMs);
            }
        }
    }

    /**
     * The destination refused or could not be reached: retry later, or dead-letter the batch. Called by the hooks'
     * error policy with the batch in flight ({@link #BATCH}) and the failure ({@link Exchange#EXCEPTION_CAUGHT}).
     */
    public void failed(Exchange exchange) {
        exchange.setProperty(MORE, false);
        HookBatch batch = exchange.getProperty(BATCH, HookBatch.class);
        try {
            failed(batch, exchange);
        } catch (HookLeaseLost e) {
            lost(batch.hook(), batch, exchange);
        }
    }

    private void failed(HookBatch batch, Exchange exchange) {
        String hookName = batch.hook();
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Instant now = clock.instant();
        DeliveryFailure failure = DeliveryFailure.of(error, hookName, now);
        HookConfig hook = hooks.get(hookName);
        HookStates.Failing failing = states.failedAttempt(hookName, attempt(batch, exchange, HookStates.FAILED,
                failure.status(), failure.answer(), false));
        HookStates.State state = states.get(hookName);
        RetryPolicy retry = hook.retry();
        int attempts = state.attempts() + 1;
        errors.record(hookName, failure.failure().code(), failure.failure().summary(),
                failure.failure().externalMessage(), now);
        EventLog.Cursor pinned = batch.isReplay() ? null : batch.end();
        if (failure.gone()) {
            // the batch stays pinned: resuming the hook sends it again, nothing is lost
            states.retryLater(hookName, pinned, batch.events().size(), attempts, now, failure.failure(), now);
            String reason = failure.failure().summary();
            if (states.trip(hookName, HookStates.DISABLED, reason, now, null)) {
                transition(hookName, "disabled", "hook-disabled", reason, now);
                tell(listener -> listener.hookDisabled(hookName, reason, now));
            }
            return;
        }
        boolean opens = !state.open() && hook.circuit().trips(failing, now);
        if (!failure.permanent() && (state.open() || opens)) {
            // an open circuit keeps the batch pinned and probes again after the interval; it goes nowhere else
            Instant probeAt = now.plus(hook.circuit().probeInterval());
            states.retryLater(hookName, pinned, batch.events().size(), attempts, probeAt, failure.failure(), now);
            metrics.retried(hookName, batch.events().size());
            if (opens) {
                open(hookName, hook.circuit().reason(failing, now), now, probeAt);
            } else {
                LOG.debug("{}; the circuit stays open, next probe at {}", failure.failure().summary(), probeAt);
            }
            return;
        }
        if (!failure.permanent() && attempts <= retry.times()) {
            Duration delay = retry.delayBefore(attempts, failure.retryAfter());
            // a replay stays Replaying and is read again when the retry is due; a log batch is pinned
            states.retryLater(hookName, pinned, batch.events().size(), attempts,
                    now.plus(delay), failure.failure(), now);
            metrics.retried(hookName, batch.events().size());
            LOG.warn("{}; retry {} of {} in {} ms", failure.failure().summary(), attempts, retry.times(), delay.toMillis());
            return;
        }
        // a batch sent in parts keeps in dead letters only the parts the destination did not take
        HookBatch left = new HookBatch(hookName, batch.batchId(), destinations.get(hookName).undelivered(batch),
                batch.end(), batch.deadLetterId());
        states.deadLettered(hookName, pinned, failure.failure(), now, c -> {
            if (batch.isReplay()) {
                deadLetters.deadAgain(c, batch.deadLetterId(), attempts, failure.failure(), now);
            } else {
                deadLetters.add(c, hookName, batch.batchId(), left.payload(), left.events().size(), attempts,
                        failure.failure(), now);
            }
            if (SystemEvents.raisesEvent(batch.events().stream().map(Outgoing::eventType).toList())) {
                systemEvents.batchDeadLettered(c, hookName, batch.batchId(), batch.events().size(), attempts,
                        failure.failure().code(), failure.failure().summary());
            }
        });
        if (pinned != null) {
            feed.passed(hookName, pinned);
        }
        destinations.get(hookName).settled(batch);
        metrics.deadLettered(hookName, batch.events().size());
        LOG.warn("{}; {} event(s) of batch {} went to dead letters after {} attempt(s)", failure.failure().summary(),
                batch.events().size(), batch.batchId(), attempts);
        tell(listener -> listener.batchDeadLettered(hookName, batch.batchId(), batch.events().size(),
                failure.failure(), now));
        Instant probeAt = now.plus(hook.circuit().probeInterval());
        if (opens) {
            open(hookName, hook.circuit().reason(failing, now), now, probeAt);
        } else if (state.open()) {
            states.trip(hookName, HookStates.OPEN, state.circuitReason(), now, probeAt); // the next probe
        }
    }

    /**
     * This instance lost the hook's lease (another took it: this one was stalled past the lease): stop, change no
     * state, forget what the destination remembers of the batch; the new owner sends it again from the store's state.
     */
    private void lost(String hookName, HookBatch batch, Exchange exchange) {
        exchange.setProperty(MORE, false);
        lease.lost(hookName);
        if (batch != null) {
            destinations.get(hookName).settled(batch);
        }
        LOG.warn("Hook {}: this instance lost the hook's lease{}; it changed no state and leaves the hook to its new"
                + " owner", hookName, batch == null ? "" : " with batch " + batch.batchId() + " in flight");
    }

    private void open(String hookName, String reason, Instant now, Instant probeAt) {
        if (states.trip(hookName, HookStates.OPEN, reason, now, probeAt)) {
            String summary = "hook " + hookName + ": the circuit is open after " + reason;
            transition(hookName, "open", "hook-circuit-open", summary, now);
            tell(listener -> listener.circuitOpened(hookName, reason, now));
        }
    }

    /** A circuit transition, said once: in the log, in the error log and in the metrics. */
    private void transition(String hookName, String to, String code, String summary, Instant now) {
        if ("closed".equals(to)) {
            LOG.info(summary);
        } else {
            LOG.error(summary);
        }
        errors.record(hookName, code, summary, null, now);
        metrics.circuit(hookName, to);
    }

    private void tell(java.util.function.Consumer<DeliveryListener> call) {
        for (DeliveryListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                LOG.warn("A delivery listener failed: {}", e.toString());
            }
        }
    }

    private HookStates.Attempt attempt(HookBatch batch, Exchange exchange, String outcome, String status,
                                       String answer, boolean test) {
        Long started = exchange.getProperty(STARTED, Long.class);
        long millis = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        return new HookStates.Attempt(clock.instant(), batch.batchId(), batch.events().size(), outcome, status,
                millis, answer, test);
    }

    /**
     * The hook messages of the entries the hook captures. An event's JSON is parsed only when the hook's filter or
     * custom data read it; the Kafka key and {@code received_at} come from the event log's columns beside the body
     * (for events stored before those columns existed, from the body).
     */
    private List<Outgoing> capture(HookConfig hook, List<EventLog.Entry> entries) {
        boolean readsEvent = hook.filter().needsEvent() || !hook.customData().isEmpty();
        boolean needsKey = destinations.get(hook.name()).needsKey();
        List<Outgoing> captured = new ArrayList<>(entries.size());
        for (EventLog.Entry entry : entries) {
            if (!hook.filter().capturesType(entry.eventType())) {
                continue;
            }
            boolean legacy = !entry.hasDeliveryFields();
            boolean system = SystemEvents.isSystem(entry.eventType());
            JsonNode event = readsEvent || system || (needsKey && legacy) ? parse(entry.json()) : null;
            if (event != null && (!hook.filter().captures(event) || system && SystemEvents.concerns(event, hook.name()))) {
                continue;
            }
            String customData = event == null || !readsEvent ? "{}" : hook.customData().render(event);
            String key = !needsKey ? null : legacy ? key(event) : entry.profileKey();
            captured.add(new Outgoing(HookMessage.of(entry.json(), hook.name(), customData), entry.eventId(),
                    entry.eventType(), key, entry.receivedAtMs()));
        }
        return captured;
    }

    private HookBatch replay(DeadLetters.DeadLetter letter) {
        List<Outgoing> outgoing = new ArrayList<>(letter.eventCount());
        for (JsonNode message : parse(letter.payload())) {
            outgoing.add(new Outgoing(message.toString(), message.path("event_id").asText(),
                    message.path("event_type").asText(), key(message), null));
        }
        return new HookBatch(letter.hook(), letter.batchId(), outgoing, null, letter.id());
    }

    /** The Kafka key of a parsed event or message: the first present of external_id, customer_id, email, phone. */
    private static String key(JsonNode event) {
        JsonNode profile = event.path("profile");
        for (String id : Event.PROFILE_KEY_ORDER) {
            if (profile.hasNonNull(id)) {
                return profile.get(id).asText();
            }
        }
        return null;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the event log holds JSON that does not parse", e);
        }
    }
}
