package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One hook, read from {@code relay.hook.<name>.*}: whether it is on, what it captures, its
 * {@code custom_data} template, its destination with the destination's settings (the parameters
 * of the destination's route template), its batching, its retry policy, its rate limits and its circuit breaker.
 *
 * @param endpoint the route template parameters of the destination (folder, url, queue, …)
 * @param secret   the HTTP signing secret, never a route parameter so it never reaches a log
 */
public record HookConfig(String name, boolean enabled, HookFilter filter, CustomDataTemplate customData,
                         String destination, Map<String, String> endpoint, String secret, int batchMaxEvents,
                         Duration pollInterval, RetryPolicy retry, DeliveryLimits limits, CircuitPolicy circuit) {

    public static final String PREFIX = "relay.hook.";

    /** Leaves the secret out. */
    @Override
    public String toString() {
        return "HookConfig[" + name + ", " + destination + (secret == null ? "" : ", signed") + "]";
    }

    public static final String DEFAULTS = "relay.delivery.";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public static HookConfig read(String name, PropertyReader p) {
        String prefix = PREFIX + name + ".";
        if (!NAME.matcher(name).matches()) {
            p.problem(prefix + "*", "names a hook '" + name + "'; use lower-case letters, digits and '-'");
        }
        String destination = p.string(prefix + "destination", "file");
        DestinationKind kind = Destinations.kind(destination);
        if (kind == null) {
            p.problem(prefix + "destination", "'" + destination + "' is not one of " + Destinations.names());
        }
        Map<String, String> endpoint = kind == null ? Map.of() : kind.endpoint(destination, prefix, p);
        CustomDataTemplate customData;
        try {
            customData = CustomDataTemplate.parse(name, p.verbatim(prefix + "custom-data", "{}"));
        } catch (IllegalArgumentException e) {
            p.problem(prefix + "custom-data", "is wrong: " + e.getMessage());
            customData = CustomDataTemplate.parse(name, "{}");
        }
        Map<String, String> propertyEquals = new LinkedHashMap<>();
        for (String path : p.middles(prefix + "filter.property.", ".equals")) {
            propertyEquals.put(path, p.string(prefix + "filter.property." + path + ".equals", ""));
        }
        HookFilter filter = new HookFilter(Set.copyOf(p.list(prefix + "event-types")),
                Set.copyOf(p.list(prefix + "filter.imports")), Set.copyOf(p.list(prefix + "filter.channels")),
                Set.copyOf(p.list(prefix + "filter.event-codes")), propertyEquals);
        Duration defaultPoll = p.seconds(DEFAULTS + "poll-interval.seconds", Duration.ofSeconds(1), Duration.ofMillis(10));
        return new HookConfig(name, p.bool(prefix + "enabled", true), filter, customData, destination, endpoint,
                kind == null ? null : kind.secret(prefix, p),
                p.integer(prefix + "batch.max-events", p.integer(DEFAULTS + "batch.max-events", 500, 1, 100_000), 1,
                        100_000),
                p.seconds(prefix + "batch.max-wait.seconds", defaultPoll, Duration.ofMillis(10)),
                retry(prefix, p), limits(prefix, destination, p), circuit(prefix, p));
    }

    /** Rates for every destination; requests per second and batches in flight for http only. */
    private static DeliveryLimits limits(String prefix, String destination, PropertyReader p) {
        int events = p.integer(prefix + "rate.events-per-second", 0, 0, 1_000_000);
        if (!"http".equals(destination)) {
            return new DeliveryLimits(events, 0, 1);
        }
        return new DeliveryLimits(events, p.integer(prefix + "http.requests-per-second", 0, 0, 100_000),
                p.integer(prefix + "http.in-flight", 1, 1, 10));
    }

    private static CircuitPolicy circuit(String prefix, PropertyReader p) {
        int failures = p.integer(DEFAULTS + "circuit.failures", 20, 0, 1_000_000);
        int hours = p.integer(DEFAULTS + "circuit.failing.hours", 24, 0, 8760);
        Duration probe = p.seconds(DEFAULTS + "circuit.probe-interval.seconds", Duration.ofMinutes(5),
                Duration.ofMillis(10));
        return new CircuitPolicy(p.integer(prefix + "circuit.failures", failures, 0, 1_000_000),
                Duration.ofHours(p.integer(prefix + "circuit.failing.hours", hours, 0, 8760)),
                p.seconds(prefix + "circuit.probe-interval.seconds", probe, Duration.ofMillis(10)));
    }

    private static RetryPolicy retry(String prefix, PropertyReader p) {
        int times = p.integer(DEFAULTS + "retry.times", 4, 0, 1000);
        Duration period = p.seconds(DEFAULTS + "retry.period.seconds", Duration.ofSeconds(15), Duration.ofMillis(10));
        Duration maxPeriod = p.seconds(DEFAULTS + "retry.max-period.seconds", Duration.ofMinutes(10), Duration.ofMillis(10));
        return new RetryPolicy(
                p.integer(prefix + "retry.times", times, 0, 1000),
                p.seconds(prefix + "retry.period.seconds", period, Duration.ofMillis(10)),
                p.bool(prefix + "retry.exponential", p.bool(DEFAULTS + "retry.exponential", false)),
                p.seconds(prefix + "retry.max-period.seconds", maxPeriod, Duration.ofMillis(10)),
                p.seconds(DEFAULTS + "retry-after.max.seconds", Duration.ofMinutes(5), Duration.ZERO));
    }
}
