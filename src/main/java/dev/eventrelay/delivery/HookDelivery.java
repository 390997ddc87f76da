package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eventrelay.model.EventIds;
import dev.eventrelay.common.RelayMetrics;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.EventLog;
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

/**
 * The bean the hook routes call. {@link #next} reads the hook's next batch — a dead letter queued for
 * replay first, else the events after the hook's cursor (exactly the same events again while a batch
 * is being retried) — and shapes it for the destination; {@link #delivered} moves the cursor once the
 * destination took it; {@link #failed} schedules a retry or, when retries are spent or the failure
 * is permanent, stores the batch in dead letters and moves on. Delivery is at least once. A dead letter raises the
 * system event {@code relay_batch_dead_lettered} in its own transaction, and a hook never captures a system event
 * about itself ({@link SystemEvents}).
 */
public final class HookDelivery {

    private static final Logger LOG = LoggerFactory.getLogger(HookDelivery.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exchange property: the {@link HookBatch} being delivered. */
    public static final String BATCH = "relayBatch";
    /** Exchange property: whether more events may be waiting after this batch. */
    public static final String MORE = "relayMore";

    private final Map<String, HookConfig> hooks;
    private final Map<String, Destination> destinations;
    private final EventLog events;
    private final HookStates states;
    private final DeadLetters deadLetters;
    private final ErrorLog errors;
    private final Clock clock;
    private final RelayMetrics metrics;
    private final SystemEvents systemEvents;
    private final Set<String> waitingForStore = ConcurrentHashMap.newKeySet();

    public HookDelivery(Map<String, HookConfig> hooks, Map<String, Destination> destinations, EventLog events,
                        HookStates states, DeadLetters deadLetters, ErrorLog errors, Clock clock, RelayMetrics metrics,
                        SystemEvents systemEvents) {
        this.hooks = Collections.unmodifiableMap(new LinkedHashMap<>(hooks));
        this.destinations = Map.copyOf(destinations);
        this.events = events;
        this.states = states;
        this.deadLetters = deadLetters;
        this.errors = errors;
        this.clock = clock;
        this.metrics = metrics;
        this.systemEvents = systemEvents;
    }

    public Map<String, HookConfig> hooks() {
        return hooks;
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
        try {
            nextBatch(hookName, exchange);
            if (waitingForStore.remove(hookName)) {
                LOG.info("Hook {}: the state store answers again", hookName);
            }
        } catch (StateStoreException e) {
            if (waitingForStore.add(hookName)) {
                LOG.warn("Hook {} waits for the state store: {}", hookName, e.getMessage());
            } else {
                LOG.debug("Hook {} still waits for the state store: {}", hookName, e.getMessage());
            }
        }
    }

    private void nextBatch(String hookName, Exchange exchange) {
        HookConfig hook = hooks.get(hookName);
        HookStates.State state = states.get(hookName);
        if (state.nextAttemptAt() != null && clock.instant().isBefore(state.nextAttemptAt())) {
            return;
        }
        Optional<HookBatch> batch = state.retrying() ? Optional.empty() : deadLetters.nextReplay(hookName).map(this::replay);
        if (batch.isEmpty()) {
            EventLog.Page read = events.read(state.cursor(), hook.batchMaxEvents(), state.pending());
            List<Outgoing> captured = capture(hook, read.entries());
            exchange.setProperty(MORE, read.entries().size() == hook.batchMaxEvents());
            if (captured.isEmpty()) {
                if (!read.entries().isEmpty()) {
                    states.skipped(hookName, read.next());
                }
                return;
            }
            String batchId = EventIds.nameBased("batch\n" + hookName + "\n" + state.cursor().segmentSeq() + ":"
                    + state.cursor().logId() + "\n" + read.next().segmentSeq() + ":" + read.next().logId());
            batch = Optional.of(new HookBatch(hookName, batchId, captured, read.next(), null));
        } else {
            exchange.setProperty(MORE, true);
        }
        destinations.get(hookName).prepare(batch.get(), exchange);
        // set last: the hooks' error policy (routes/hook-errors.camel.yaml) takes only failures with a batch in flight
        exchange.setProperty(BATCH, batch.get());
    }

    /** The destination took the batch. */
    public void delivered(String hookName, Exchange exchange) {
        HookBatch batch = exchange.getProperty(BATCH, HookBatch.class);
        if (batch.isReplay()) {
            deadLetters.replayed(batch.deadLetterId(), clock.instant());
            states.delivered(hookName, states.get(hookName).cursor(), batch.events().size(), clock.instant());
        } else {
            states.delivered(hookName, batch.end(), batch.events().size(), clock.instant());
        }
        Instant confirmedAt = clock.instant();
        metrics.delivered(hookName, batch.events().size());
        for (Outgoing event : batch.events()) {
            Instant receivedAt = ReceivedAt.of(event.json());
            if (receivedAt != null) {
                metrics.latency(hookName, receivedAt, confirmedAt);
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
        String hookName = batch.hook();
        Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Instant now = clock.instant();
        DeliveryFailure failure = DeliveryFailure.of(error, hookName, now);
        HookStates.State state = states.get(hookName);
        RetryPolicy retry = hooks.get(hookName).retry();
        int attempts = state.attempts() + 1;
        errors.record(hookName, failure.failure().code(), failure.failure().summary(),
                failure.failure().externalMessage(), now);
        if (!failure.permanent() && attempts <= retry.times()) {
            Duration delay = retry.delayBefore(attempts, failure.retryAfter());
            // a replay stays Replaying and is read again when the retry is due; a log batch is pinned
            states.retryLater(hookName, batch.isReplay() ? null : batch.end(), batch.events().size(), attempts,
                    now.plus(delay), failure.failure(), now);
            metrics.retried(hookName, batch.events().size());
            LOG.warn("{}; retry {} of {} in {} ms", failure.failure().summary(), attempts, retry.times(), delay.toMillis());
            return;
        }
        states.deadLettered(hookName, batch.isReplay() ? null : batch.end(), failure.failure(), now, c -> {
            if (batch.isReplay()) {
                deadLetters.deadAgain(c, batch.deadLetterId(), attempts, failure.failure(), now);
            } else {
                deadLetters.add(c, hookName, batch.batchId(), batch.payload(), batch.events().size(), attempts,
                        failure.failure(), now);
            }
            if (SystemEvents.raisesEvent(batch.events().stream().map(Outgoing::eventType).toList())) {
                systemEvents.batchDeadLettered(c, hookName, batch.batchId(), batch.events().size(), attempts,
                        failure.failure().code(), failure.failure().summary());
            }
        });
        metrics.deadLettered(hookName, batch.events().size());
        LOG.warn("{}; {} event(s) of batch {} went to dead letters after {} attempt(s)", failure.failure().summary(),
                batch.events().size(), batch.batchId(), attempts);
    }

    private List<Outgoing> capture(HookConfig hook, List<EventLog.Entry> entries) {
        boolean readsEvent = hook.filter().needsEvent() || !hook.customData().isEmpty()
                || destinations.get(hook.name()).needsKey();
        List<Outgoing> captured = new ArrayList<>(entries.size());
        for (EventLog.Entry entry : entries) {
            if (!hook.filter().capturesType(entry.eventType())) {
                continue;
            }
            boolean system = SystemEvents.isSystem(entry.eventType());
            JsonNode event = readsEvent || system ? parse(entry.json()) : null;
            if (event != null && (!hook.filter().captures(event) || system && SystemEvents.concerns(event, hook.name()))) {
                continue;
            }
            String customData = event == null ? "{}" : hook.customData().render(event);
            captured.add(new Outgoing(HookMessage.of(entry.json(), hook.name(), customData), entry.eventId(),
                    entry.eventType(), event == null ? null : key(event)));
        }
        return captured;
    }

    private HookBatch replay(DeadLetters.DeadLetter letter) {
        List<Outgoing> outgoing = new ArrayList<>(letter.eventCount());
        for (JsonNode message : parse(letter.payload())) {
            outgoing.add(new Outgoing(message.toString(), message.path("event_id").asText(),
                    message.path("event_type").asText(), key(message)));
        }
        return new HookBatch(letter.hook(), letter.batchId(), outgoing, null, letter.id());
    }

    /** The Kafka key: the first present of external_id, customer_id, email, phone. */
    private static String key(JsonNode event) {
        JsonNode profile = event.path("profile");
        for (String id : List.of("external_id", "customer_id", "email", "phone")) {
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
