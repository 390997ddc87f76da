package dev.eventrelay.delivery;

import dev.eventrelay.config.RelayProperties;
import org.apache.camel.CamelContext;

import java.util.Collection;

/** The RabbitMQ connections that hooks name, read from {@code relay.rabbitmq.<connection>.*}. */
public final class RabbitConnections {

    private RabbitConnections() {
    }

    /** Binds a connection factory {@code rabbitmq-<connection>} for every connection a hook names. */
    public static void bind(CamelContext context, RelayProperties p, Collection<HookConfig> hooks) {
        // filled in with the rabbitmq destinations
    }
}
