package dev.eventrelay.delivery;

import java.time.Clock;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** The {@link Destination} of each hook, by hook name. */
public final class Destinations {

    private Destinations() {
    }

    public static Map<String, Destination> of(Collection<HookConfig> hooks, Clock clock) {
        Map<String, Destination> destinations = new HashMap<>();
        for (HookConfig hook : hooks) {
            destinations.put(hook.name(), switch (hook.destination()) {
                case "http" -> new HttpDestination(hook.secret() == null ? null : new WebhookSigner(hook.secret()), clock);
                case "rabbitmq-queue", "rabbitmq-exchange" -> new RabbitDestination();
                case "kafka" -> new KafkaDestination();
                default -> new FileDestination();
            });
        }
        return destinations;
    }
}
