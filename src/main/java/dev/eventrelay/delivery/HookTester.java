package dev.eventrelay.delivery;

import dev.eventrelay.mapping.NestedProperties;
import dev.eventrelay.model.AttributeType;
import dev.eventrelay.model.Event;
import dev.eventrelay.model.EventIds;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.model.EventType;
import dev.eventrelay.model.Origin;
import dev.eventrelay.state.HookStates;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.DefaultExchange;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Test events ({@code POST /api/hooks/{name}/test}): a sample event of an event type, its attributes filled with
 * sample values of their types, rendered through the hook's real {@code custom_data} template and sent once
 * through the hook's real sink route, outside the hook's cursor, with no retry. The hook message carries
 * {@code "test": true} and the batch id is new; the attempt is recorded as a test and never counted as a
 * delivery. Answers what the destination said.
 */
public final class HookTester {

    /** What the destination said to a test event. */
    public record Result(String batchId, String eventId, boolean delivered, String status, long latencyMs,
                         String error, String answer) {
    }

    private final HookDelivery delivery;
    private final HookStates states;
    private final CamelContext context;
    private final Clock clock;
    private volatile ProducerTemplate producer;

    public HookTester(HookDelivery delivery, HookStates states, CamelContext context, Clock clock) {
        this.delivery = delivery;
        this.states = states;
        this.context = context;
        this.clock = clock;
    }

    /** Sends a sample event of {@code type} to the hook's destination and answers what it said. */
    public Result test(String hookName, EventType type) {
        HookConfig hook = delivery.hooks().get(hookName);
        Destination destination = delivery.destinations().get(hookName);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String eventJson = EventJson.write(sample(type, now));
        String message = HookMessage.of(eventJson, hookName, hook.customData().render(eventJson));
        message = message.substring(0, message.length() - 1) + ",\"test\":true}";
        String batchId = EventIds.nameBased("test-batch\n" + hookName + "\n" + UUID.randomUUID());
        Outgoing outgoing = new Outgoing(message, sampleId(message), type.name(), "test-profile", now.toEpochMilli());
        HookBatch batch = new HookBatch(hookName, batchId, List.of(outgoing), null, null);
        Exchange exchange = new DefaultExchange(context);
        destination.prepare(batch, exchange);
        exchange.setProperty(HookDelivery.BATCH, batch);
        long started = System.nanoTime();
        Exchange answered = producer().send("direct:sink-" + hookName, exchange);
        long latency = (System.nanoTime() - started) / 1_000_000;
        destination.settled(batch);
        Result result;
        if (answered.getException() == null) {
            result = new Result(batchId, outgoing.eventId(), true, destination.status(answered), latency, null,
                    destination.answer(answered));
        } else {
            DeliveryFailure failure = DeliveryFailure.of(answered.getException(), hookName, clock.instant());
            result = new Result(batchId, outgoing.eventId(), false, failure.status(), latency,
                    failure.failure().summary(), failure.answer());
        }
        HookStates.Attempt attempt = new HookStates.Attempt(now, batchId, 1, result.delivered()
                ? HookStates.DELIVERED : HookStates.FAILED, result.status(), latency, result.answer(), true);
        states.tested(hookName, attempt);
        return new Result(result.batchId(), result.eventId(), result.delivered(), result.status(), latency,
                result.error(), attempt.answer());
    }

    /** A sample event: a test profile, every attribute of the type with a sample value of its type. */
    static Event sample(EventType type, Instant now) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeType> attribute : type.attributes().entrySet()) {
            Object value = switch (attribute.getValue()) {
                case STRING -> "sample " + attribute.getKey();
                case NUMBER -> new BigDecimal("1.5");
                case BOOLEAN -> Boolean.TRUE;
                case DATE -> EventJson.rfc3339(now);
            };
            NestedProperties.put(properties, attribute.getKey(), value);
        }
        String id = EventIds.nameBased("test\n" + type.code() + "\n" + UUID.randomUUID());
        return new Event(id, type.name(), now, now, Map.of("external_id", "test-profile"), null, null, List.of(),
                null, properties, new Origin("system", null, null, type.code(), null, 0, null));
    }

    private static String sampleId(String message) {
        int at = message.indexOf("\"event_id\":\"") + 12;
        return message.substring(at, message.indexOf('"', at));
    }

    private ProducerTemplate producer() {
        if (producer == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = context.createProducerTemplate();
                }
            }
        }
        return producer;
    }
}
