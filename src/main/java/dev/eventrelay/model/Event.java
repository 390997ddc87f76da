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

    /** The identifiers in the order the profile key takes them. */
    public static final List<String> PROFILE_KEY_ORDER = List.of("external_id", "customer_id", "email", "phone");

    /**
     * The profile key (the Kafka record key of the contract): the first present of external_id, customer_id,
     * email, phone, or null when the profile has none.
     */
    public String profileKey() {
        return profileKey(profile);
    }

    /** {@link #profileKey()} of a profile map. */
    public static String profileKey(Map<String, String> profile) {
        if (profile == null) {
            return null;
        }
        for (String id : PROFILE_KEY_ORDER) {
            String value = profile.get(id);
            if (value != null) {
                return value;
            }
        }
        return null;
    }
}
