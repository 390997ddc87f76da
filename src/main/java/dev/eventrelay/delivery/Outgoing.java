package dev.eventrelay.delivery;

/**
 * One hook message on its way: its JSON, and what brokers put beside it (message id, event type,
 * the Kafka key: the first present of external_id, customer_id, email, phone), and the event's
 * {@code received_at} in epoch milliseconds for the delivery latency (null when unknown).
 */
public record Outgoing(String json, String eventId, String eventType, String key, Long receivedAtMs) {
}
