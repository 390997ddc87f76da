package dev.eventrelay.ops;

import dev.eventrelay.common.DeliveryActivity;
import dev.eventrelay.delivery.HookConfig;
import dev.eventrelay.delivery.HookDelivery;
import dev.eventrelay.state.DeadLetters;
import dev.eventrelay.state.ErrorLog;
import dev.eventrelay.state.HookLease;
import dev.eventrelay.state.HookStates;
import org.apache.camel.Exchange;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hook side of the ops API: hooks with their status words and counts, dead letters and their
 * replay, and the error log. Called by the routes of {@code routes/ops-api.camel.yaml}.
 */
public final class HooksApi {

    private final HookDelivery delivery;
    private final HookStates states;
    private final DeadLetters deadLetters;
    private final ErrorLog errors;
    private final Clock clock;
    private final DeliveryActivity activity;
    private final HookLease lease;

    /** @param lease who delivers each hook now (its {@code owner}) */
    public HooksApi(HookDelivery delivery, HookStates states, DeadLetters deadLetters, ErrorLog errors, Clock clock,
                    DeliveryActivity activity, HookLease lease) {
        this.activity = activity;
        this.lease = lease;
        this.delivery = delivery;
        this.states = states;
        this.deadLetters = deadLetters;
        this.errors = errors;
        this.clock = clock;
    }

    /** {@code GET /api/hooks?limit=&offset=}: each hook's status word, destination, counts, freshness and last error. */
    public void listHooks(Exchange exchange) {
        HttpAnswers.Page page = HttpAnswers.page(exchange, 50, 500);
        if (page == null) {
            return;
        }
        List<HookConfig> hooks = List.copyOf(delivery.hooks().values());
        List<Map<String, Object>> list = new ArrayList<>();
        for (HookConfig hook : page.of(hooks)) {
            list.add(item(hook));
        }
        HttpAnswers.json(exchange, 200, page.answer("hooks", list, hooks.size()));
    }

    /** One hook as {@code GET /api/hooks} lists it. */
    Map<String, Object> item(HookConfig hook) {
        HookStates.State state = states.get(hook.name());
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("name", hook.name());
        item.put("status", status(hook, state));
        item.put("destination", hook.destination());
        item.put("owner", hook.enabled() ? lease.owner(hook.name()).orElse(null) : null);
        item.put("event_types", hook.filter().eventTypes());
        item.put("delivered", state.delivered());
        item.put("retrying", state.attempts() > 0 ? state.pendingEvents() : 0);
        item.put("dead_lettered", deadLetters.pendingEvents(hook.name()));
        item.put("attempts", state.attempts());
        item.put("next_attempt_at", HttpAnswers.time(state.nextAttemptAt()));
        item.put("last_delivered_at", HttpAnswers.time(state.lastDeliveredAt()));
        item.put("freshness_seconds", state.lastDeliveredAt() == null ? null
                : Duration.between(state.lastDeliveredAt(), clock.instant()).toSeconds());
        item.put("last_error", state.lastErrorAt() == null ? null : error(state.lastErrorSummary(),
                state.lastErrorCode(), state.lastErrorMessage(), state.lastErrorAt()));
        DeliveryActivity.Recent recent = activity.recent(hook.name());
        item.put("delivered_per_minute", recent.deliveredPerMinute());
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("mean", recent.latencyMeanMs());
        latency.put("max", recent.latencyMaxMs());
        item.put("delivery_latency_ms", latency);
        item.put("retry", Map.of("times", hook.retry().times(), "period_seconds",
                hook.retry().period().toMillis() / 1000.0, "exponential", hook.retry().exponential()));
        item.put("paused_at", HttpAnswers.time(state.pausedAt()));
        item.put("paused_reason", state.pauseReason());
        Map<String, Object> circuit = new LinkedHashMap<>();
        circuit.put("state", state.circuit() == null ? "Closed" : state.circuit());
        circuit.put("reason", state.circuitReason());
        circuit.put("since", HttpAnswers.time(state.circuitAt()));
        circuit.put("consecutive_failures", state.failures());
        circuit.put("failing_since", HttpAnswers.time(state.failingSince()));
        item.put("circuit", circuit);
        return item;
    }

    /** {@code GET /api/dead-letters?hook=&limit=&offset=}: dead letters, newest first. */
    public void listDeadLetters(Exchange exchange) {
        String hook = exchange.getMessage().getHeader("hook", String.class);
        if (hook != null && !delivery.hooks().containsKey(hook)) {
            HttpAnswers.error(exchange, 404, "no hook is named '" + hook + "'");
            return;
        }
        HttpAnswers.Page page = HttpAnswers.page(exchange, 50, 500);
        if (page == null) {
            return;
        }
        List<Map<String, Object>> list = deadLetters.list(hook, page.limit(), page.offset()).stream()
                .map(HooksApi::deadLetter).toList();
        HttpAnswers.json(exchange, 200, page.answer("dead_letters", list, deadLetters.count(hook)));
    }

    /** {@code GET /api/dead-letters/{id}}: one dead letter with its payload (the batch as it was sent). */
    public void getDeadLetter(Exchange exchange) {
        String text = exchange.getMessage().getHeader("id", String.class);
        Long id = deadLetterId(exchange, text);
        if (id == null) {
            return;
        }
        Optional<DeadLetters.DeadLetter> letter = deadLetters.find(id);
        if (letter.isEmpty()) {
            HttpAnswers.error(exchange, 404, "no dead letter has id " + id);
            return;
        }
        Map<String, Object> item = deadLetter(letter.get());
        item.put("payload", letter.get().payload());
        HttpAnswers.json(exchange, 200, item);
    }

    private static Long deadLetterId(Exchange exchange, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            HttpAnswers.error(exchange, 400, "dead letter id must be a number, not '" + text + "'");
            return null;
        }
    }

    /** {@code POST /api/dead-letters/{id}/replay}: queues one dead letter for its hook to send again. */
    public void replayOne(Exchange exchange) {
        Long id = deadLetterId(exchange, exchange.getMessage().getHeader("id", String.class));
        if (id == null) {
            return;
        }
        Optional<DeadLetters.DeadLetter> letter = deadLetters.find(id);
        if (letter.isEmpty()) {
            HttpAnswers.error(exchange, 404, "no dead letter has id " + id);
        } else if (!deadLetters.replay(id)) {
            HttpAnswers.error(exchange, 409, "dead letter " + id + " is " + letter.get().status() + ", not Dead");
        } else {
            HttpAnswers.json(exchange, 202, Map.of("replaying", 1, "dead_letter", id));
        }
    }

    /** {@code POST /api/hooks/{name}/replay}: queues every dead letter of the hook. */
    public void replayHook(Exchange exchange) {
        String hook = exchange.getMessage().getHeader("name", String.class);
        if (!delivery.hooks().containsKey(hook)) {
            HttpAnswers.error(exchange, 404, "no hook is named '" + hook + "'");
            return;
        }
        HttpAnswers.json(exchange, 202, Map.of("replaying", deadLetters.replayAll(hook), "hook", hook));
    }

    /** {@code GET /api/errors?since=&limit=&offset=}: the error log, newest first, by default the last 24 hours. */
    public void listErrors(Exchange exchange) {
        String sinceText = exchange.getMessage().getHeader("since", String.class);
        Instant since;
        try {
            since = sinceText == null || sinceText.isBlank() ? clock.instant().minus(Duration.ofHours(24))
                    : Instant.parse(sinceText.trim());
        } catch (DateTimeParseException e) {
            HttpAnswers.error(exchange, 400, "parameter 'since' must be an RFC 3339 UTC time such as "
                    + "2026-11-22T00:00:00Z, not '" + sinceText + "'");
            return;
        }
        HttpAnswers.Page page = HttpAnswers.page(exchange, 100, 1000);
        if (page == null) {
            return;
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (ErrorLog.Entry entry : errors.since(since, page.limit(), page.offset())) {
            Map<String, Object> item = error(entry.summary(), entry.code(), entry.externalMessage(), entry.occurredAt());
            item.put("source", entry.source());
            list.add(item);
        }
        Map<String, Object> answer = page.answer("errors", list, errors.count(since));
        answer.put("since", HttpAnswers.time(since));
        HttpAnswers.json(exchange, 200, answer);
    }

    /** The sync health words of the contract, for a hook. */
    static String status(HookConfig hook, HookStates.State state) {
        if (!hook.enabled() || state.disabled()) {
            return "Disabled";
        }
        if (state.paused()) {
            return "Paused";
        }
        if (state.open()) {
            return "Failed";
        }
        if (state.attempts() > 0) {
            return "Error";
        }
        if (HookStates.DEAD_LETTERED.equals(state.lastOutcome())) {
            return "Failed";
        }
        return "Scheduled";
    }

    private static Map<String, Object> deadLetter(DeadLetters.DeadLetter letter) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", letter.id());
        item.put("hook", letter.hook());
        item.put("batch_id", letter.batchId());
        item.put("status", letter.status());
        item.put("events", letter.eventCount());
        item.put("attempts", letter.attempts());
        item.put("last_error", error(letter.errorSummary(), letter.errorCode(), letter.externalMessage(),
                letter.failedAt()));
        item.put("replayed_at", HttpAnswers.time(letter.replayedAt()));
        return item;
    }

    static Map<String, Object> error(String summary, String code, String externalMessage, Instant at) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("summary", summary);
        error.put("code", code);
        error.put("external_message", externalMessage);
        error.put("date", HttpAnswers.time(at));
        return error;
    }
}
