package dev.eventrelay.delivery;

import dev.eventrelay.state.HookStates;

import java.time.Instant;

/**
 * Told of the transitions of hook delivery, after they are stored: a batch went to dead letters, a hook was
 * disabled by its receiver (HTTP 410 Gone), a hook's circuit opened (it stops attempting) or closed again.
 * {@link HookDelivery#listen} adds one; it is called on the delivery thread, so it must be quick and must not
 * throw (a failure is logged and ignored).
 */
public interface DeliveryListener {

    /** {@code events} events of batch {@code batchId} went to dead letters (a replay that failed again included). */
    default void batchDeadLettered(String hook, String batchId, int events, HookStates.Failure failure, Instant at) {
    }

    /** The receiver answered 410 Gone: the hook attempts nothing until ops resume it. */
    default void hookDisabled(String hook, String reason, Instant at) {
    }

    /** Too many failures: the hook stops attempting and probes once per interval (status {@code Failed}). */
    default void circuitOpened(String hook, String reason, Instant at) {
    }

    /** A probe succeeded: the hook delivers as usual again. */
    default void circuitClosed(String hook, Instant at) {
    }
}
