package dev.eventrelay.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The common event model of the contract. Optional values are null (or empty) when absent, and
 * {@link EventJson} leaves them out. {@code profile} holds only the identifiers that are present,
 * keyed by their contract names (external_id, email, phone, customer_id); {@code utm} is null or
 * holds all five keys; {@code properties} may nest maps.
 */
public record Event(String eventId, String eventType, Instant eventDate, Instant receivedAt,
                    Map<String, String> profile, BigDecimal value, String valueCurrency,
                    List<String> productIds, Map<String, String> utm, Map<String, Object> properties,
                    Origin origin) {

    /** The UTM keys in the order the contract writes them. */
    public static final List<String> UTM_KEYS = List.of("source", "medium", "campaign", "term", "content");

    /** The profile identifiers in the contract's order, which is also the Kafka key preference minus order. */
    public static final List<String> PROFILE_KEYS = List.of("external_id", "email", "phone", "customer_id");
}
