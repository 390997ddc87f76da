package dev.eventrelay.ops;

import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.delivery.HookTester;
import dev.eventrelay.mapping.EventTypes;
import dev.eventrelay.model.EventType;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.HookStates;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What ops do to one hook at run time, called by the routes of {@code routes/hook-control.camel.yaml}: pause and
 * resume (kept in the state store, seen by every instance), send a test event, recover the dead letters since a
 * time, and list the recent attempts.
 */
public final class HookControl {

    private static final Logger LOG = LoggerFactory.getLogger(HookControl.class);

    private final HookDelivery delivery;
    private final HooksApi hooksApi;
    private final HookStates states;
    private final DeadLetters deadLetters;
    private final HookTester tester;
    private final EventTypes eventTypes;
    private final Clock clock;

    public HookControl(HookDelivery delivery, HooksApi hooksApi, HookStates states, DeadLetters deadLetters,
                       HookTester tester, EventTypes eventTypes, Clock clock) {
        this.delivery = delivery;
        this.hooksApi = hooksApi;
        this.states = states;
        this.deadLetters = deadLetters;
        this.tester = tester;
        this.eventTypes = eventTypes;
        this.clock = clock;
    }

    /**
     * {@code POST /api/hooks/{name}/pause?reason=}: the hook sends nothing and keeps its position until resumed;
     * a batch in flight finishes. Pausing a paused hook keeps the first pause. Answers the hook.
     */
    public void pause(Exchange exchange) {
        HookConfig hook = runningHook(exchange);
        if (hook == null) {
            return;
        }
        HttpAnswers.Reason reason = HttpAnswers.reason(exchange);
        if (reason == null) {
            return;
        }
        states.pause(hook.name(), reason.text(), clock.instant());
        LOG.info("Hook {} paused by ops{}", hook.name(), reason.text() == null ? "" : " (" + reason.text() + ")");
        HttpAnswers.json(exchange, 200, hooksApi.item(hook));
    }

    /**
     * {@code POST /api/hooks/{name}/resume}: the hook delivers what waited, from where it stood; a hook disabled by
     * its receiver (410 Gone) attempts again, and an open circuit probes at once. Answers the hook.
     */
    public void resume(Exchange exchange) {
        HookConfig hook = runningHook(exchange);
        if (hook == null) {
            return;
        }
        String circuit = states.resume(hook.name());
        LOG.info("Hook {} resumed by ops{}", hook.name(), circuit == null ? "" : " (its circuit was " + circuit + ")");
        HttpAnswers.json(exchange, 200, hooksApi.item(hook));
    }

    /**
     * {@code POST /api/hooks/{name}/test?event_type=}: a sample event of the event type (its name or event code)
     * through the hook's template and destination; answers what the destination said, 200 whether it took the
     * event or not.
     */
    public void test(Exchange exchange) {
        HookConfig hook = runningHook(exchange);
        if (hook == null) {
            return;
        }
        String wanted = exchange.getMessage().getHeader("event_type", String.class);
        if (wanted == null || wanted.isBlank()) {
            HttpAnswers.error(exchange, 400, "parameter 'event_type' is required: an event type's name or event"
                    + " code, one of " + names());
            return;
        }
        Optional<EventType> type = eventTypes.byCode(wanted.strip()).or(() -> eventTypes.all().values().stream()
                .filter(t -> t.name().equals(wanted.strip())).findFirst());
        if (type.isEmpty()) {
            HttpAnswers.error(exchange, 400, "parameter 'event_type' names '" + wanted + "', which is no configured"
                    + " event type; use one of " + names());
            return;
        }
        HookTester.Result result = tester.test(hook.name(), type.get());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("hook", hook.name());
        answer.put("event_type", type.get().name());
        answer.put("test", true);
        answer.put("batch_id", result.batchId());
        answer.put("event_id", result.eventId());
        answer.put("delivered", result.delivered());
        answer.put("status", result.status());
        answer.put("latency_ms", result.latencyMs());
        answer.put("error", result.error());
        answer.put("answer", result.answer());
        HttpAnswers.json(exchange, 200, answer);
    }

    /** {@code POST /api/hooks/{name}/recover?since=<RFC 3339>}: queues every dead letter that failed since then. */
    public void recover(Exchange exchange) {
        HookConfig hook = knownHook(exchange);
        if (hook == null) {
            return;
        }
        String text = exchange.getMessage().getHeader("since", String.class);
        Instant since;
        try {
            since = OffsetDateTime.parse(text == null ? "" : text.strip()).toInstant();
        } catch (DateTimeParseException e) {
            HttpAnswers.error(exchange, 400, "parameter 'since' must be an RFC 3339 time such as"
                    + " 2026-11-22T08:00:00Z, not '" + text + "'");
            return;
        }
        int replaying = deadLetters.replaySince(hook.name(), since);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("hook", hook.name());
        answer.put("since", HttpAnswers.time(since));
        answer.put("replaying", replaying);
        HttpAnswers.json(exchange, 202, answer);
    }

    /** {@code GET /api/hooks/{name}/attempts?limit=&offset=}: the hook's recent attempts, newest first. */
    public void attempts(Exchange exchange) {
        HookConfig hook = knownHook(exchange);
        if (hook == null) {
            return;
        }
        HttpAnswers.Page page = HttpAnswers.page(exchange, 50, HookStates.KEEP_ATTEMPTS);
        if (page == null) {
            return;
        }
        List<Map<String, Object>> list = states.attempts(hook.name(), page.limit(), page.offset()).stream()
                .map(HookControl::attempt).toList();
        HttpAnswers.json(exchange, 200, page.answer("attempts", list, states.attemptCount(hook.name())));
    }

    private static Map<String, Object> attempt(HookStates.Attempt attempt) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("time", HttpAnswers.time(attempt.at()));
        item.put("batch_id", attempt.batchId());
        item.put("events", attempt.events());
        item.put("outcome", attempt.outcome());
        item.put("status", attempt.status());
        item.put("duration_ms", attempt.durationMs());
        item.put("answer", attempt.answer());
        item.put("test", attempt.test());
        return item;
    }

    /** The hook named in the path; otherwise answers 404 and returns null. */
    private HookConfig knownHook(Exchange exchange) {
        String name = exchange.getMessage().getHeader("name", String.class);
        HookConfig hook = delivery.hooks().get(name);
        if (hook == null) {
            HttpAnswers.error(exchange, 404, "no hook is named '" + name + "'");
        }
        return hook;
    }

    /** The hook named in the path when it is enabled (it has routes); otherwise answers 404 or 409 and returns null. */
    private HookConfig runningHook(Exchange exchange) {
        HookConfig hook = knownHook(exchange);
        if (hook != null && !hook.enabled()) {
            HttpAnswers.error(exchange, 409, "hook '" + hook.name() + "' is disabled (relay.hook." + hook.name()
                    + ".enabled=false); it has no delivery to steer");
            return null;
        }
        return hook;
    }

    private List<String> names() {
        return eventTypes.all().values().stream().map(EventType::name).sorted().toList();
    }
}
