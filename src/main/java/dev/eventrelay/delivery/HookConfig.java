package dev.eventrelay.delivery;

import dev.eventrelay.settings.PropertyReader;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One hook, read from {@code relay.hook.<name>.*}: whether it is on, what it captures, its
 * {@code custom_data} template, its destination with the destination's settings (the parameters
 * of the destination's route template), its batching and its retry policy.
 *
 * @param endpoint the route template parameters of the destination (folder, url, queue, …)
 * @param secret   the HTTP signing secret, never a route parameter so it never reaches a log
 */
public record HookConfig(String name, boolean enabled, HookFilter filter, CustomDataTemplate customData,
                         String destination, Map<String, String> endpoint, String secret, int batchMaxEvents,
                         Duration pollInterval, RetryPolicy retry) {

    public static final String PREFIX = "relay.hook.";

    /** Leaves the secret out. */
    @Override
    public String toString() {
        return "HookConfig[" + name + ", " + destination + (secret == null ? "" : ", signed") + "]";
    }

    public static final String DEFAULTS = "relay.delivery.";
    public static final List<String> DESTINATIONS = List.of("file", "http", "rabbitmq-queue", "rabbitmq-exchange",
            "kafka");
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern BROKER = Pattern.compile("[A-Za-z0-9._-]+:[0-9]+|\\[[0-9A-Fa-f:]+]:[0-9]+");

    public static HookConfig read(String name, PropertyReader p) {
        String prefix = PREFIX + name + ".";
        if (!NAME.matcher(name).matches()) {
            p.problem(prefix + "*", "names a hook '" + name + "'; use lower-case letters, digits and '-'");
        }
        String destination = p.string(prefix + "destination", "file");
        if (!DESTINATIONS.contains(destination)) {
            p.problem(prefix + "destination", "'" + destination + "' is not one of " + DESTINATIONS);
        }
        Map<String, String> endpoint = endpoint(destination, prefix, p);
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
                "http".equals(destination) ? p.string(prefix + "http.secret", null) : null,
                p.integer(prefix + "batch.max-events", p.integer(DEFAULTS + "batch.max-events", 500, 1, 100_000), 1,
                        100_000),
                p.seconds(prefix + "batch.max-wait.seconds", defaultPoll, Duration.ofMillis(10)),
                retry(prefix, p));
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

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean isPort(String digits) {
        return digits.length() <= 5 && Integer.parseInt(digits) >= 1 && Integer.parseInt(digits) <= 65535;
    }

    private static Map<String, String> endpoint(String destination, String prefix, PropertyReader p) {
        Map<String, String> endpoint = new LinkedHashMap<>();
        switch (destination) {
            case "file" -> endpoint.put("folder", p.required(prefix + "file.folder",
                    "the folder that receives the hook's JSON lines files"));
            case "http" -> {
                String url = p.required(prefix + "http.url", "the URL the batches are POSTed to");
                if (url != null && !isHttpUrl(url)) {
                    p.problem(prefix + "http.url", "'" + url + "' is not an http:// or https:// URL with a host,"
                            + " e.g. https://receiver.example/hooks");
                }
                endpoint.put("url", url);
                endpoint.put("timeoutMs", String.valueOf(p.integer(prefix + "http.timeout.ms", 10_000, 100, 600_000)));
            }
            case "rabbitmq-queue", "rabbitmq-exchange" -> {
                endpoint.put("connection", "rabbitmq-" + p.string(prefix + "rabbitmq.connection", "default"));
                if (destination.equals("rabbitmq-queue")) {
                    endpoint.put("exchange", "default");
                    endpoint.put("routingKey", p.required(prefix + "rabbitmq.queue", "the queue the events go to"));
                } else {
                    endpoint.put("exchange", p.required(prefix + "rabbitmq.exchange", "the exchange the events go to"));
                    endpoint.put("routingKey", p.string(prefix + "rabbitmq.routing-key", ""));
                }
            }
            case "kafka" -> {
                endpoint.put("topic", p.required(prefix + "kafka.topic", "the topic the events go to"));
                String brokers = p.required(prefix + "kafka.bootstrap-servers", "the Kafka brokers, host:port,host:port");
                for (String broker : p.list(prefix + "kafka.bootstrap-servers")) {
                    if (!BROKER.matcher(broker).matches() || !isPort(broker.substring(broker.lastIndexOf(':') + 1))) {
                        p.problem(prefix + "kafka.bootstrap-servers", "has '" + broker + "'; write each broker as"
                                + " host:port with a port from 1 to 65535, e.g. kafka.example:9092");
                    }
                }
                endpoint.put("brokers", brokers);
                int requestTimeout = p.integer(prefix + "kafka.request-timeout.ms", 10_000, 100, 600_000);
                int deliveryTimeout = p.integer(prefix + "kafka.delivery-timeout.ms", 20_000, 100, 3_600_000);
                if (deliveryTimeout < requestTimeout) {
                    p.problem(prefix + "kafka.delivery-timeout.ms", "is " + deliveryTimeout + "; it must be at least "
                            + prefix + "kafka.request-timeout.ms (" + requestTimeout + ")");
                }
                endpoint.put("maxBlockMs", String.valueOf(p.integer(prefix + "kafka.max-block.ms", 5_000, 100, 600_000)));
                endpoint.put("requestTimeoutMs", String.valueOf(requestTimeout));
                endpoint.put("deliveryTimeoutMs", String.valueOf(deliveryTimeout));
            }
            default -> { }
        }
        return endpoint;
    }
}
