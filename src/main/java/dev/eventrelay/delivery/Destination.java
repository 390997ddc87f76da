package dev.eventrelay.delivery;

import org.apache.camel.Exchange;

import java.util.List;

/**
 * One kind of hook destination, seen from the hook's route ({@code routes/hook.camel.yaml}): {@link #prepare} shapes
 * a batch into the body and headers that the destination's sink route sends, and {@link #sink} names the route
 * template of that sink ({@code routes/hook-sink-*.camel.yaml}), which {@code ConfiguredRoutes} makes once per hook
 * with the hook's {@link HookConfig#endpoint()} as its parameters.
 */
public interface Destination {

    /** The id of the sink's route template, e.g. {@code hook-sink-http}. */
    String sink();

    /** Sets the exchange's body and headers to what the sink sends for {@code batch}. */
    void prepare(HookBatch batch, Exchange exchange);

    /** What the destination said about a batch it took, for the attempts list, e.g. {@code HTTP 200}, {@code confirmed}. */
    default String status(Exchange exchange) {
        return "accepted";
    }

    /** The answer the destination gave with it, when it gives one (an HTTP body); null otherwise. */
    default String answer(Exchange exchange) {
        return null;
    }

    /** The events of {@code batch} the destination has not taken yet (all, but for a batch sent in parts). */
    default List<Outgoing> undelivered(HookBatch batch) {
        return batch.events();
    }

    /** The batch is delivered or dead-lettered: forget what the destination remembers of it. */
    default void settled(HookBatch batch) {
    }

    /** Whether {@link #prepare} uses each event's {@link Outgoing#key()} (the profile key), so events must be read. */
    default boolean needsKey() {
        return false;
    }
}
