package dev.eventrelay.delivery;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Return;
import org.springframework.amqp.AmqpException;
import org.springframework.amqp.rabbit.connection.PublisherCallbackChannel;
import org.springframework.amqp.rabbit.connection.PublisherCallbackChannelImpl;

import java.io.IOException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;

/**
 * A publisher channel that makes a broker's "no" fail the send. {@link RabbitDestination#publish} publishes a page
 * of messages and then waits once for the broker's confirms of all of them on the same channel; on this channel:
 * <ul>
 *   <li>every message is published <em>mandatory</em>, so the broker returns a message that no queue takes
 *       (a queue that does not exist, an exchange without a matching binding) instead of dropping it; the return
 *       reaches the client before the confirm, and {@link #waitForConfirms(long)} then throws;</li>
 *   <li>a nack (the broker could not take the message) throws too, naming the exchange and routing key, where the
 *       bare channel would only answer false;</li>
 *   <li>a channel the broker closed (for example 404 when the exchange does not exist) throws its
 *       {@code ShutdownSignalException}, as the bare channel does.</li>
 * </ul>
 * {@link RabbitConnections} installs it as the publisher channel factory of every connection it binds. A channel is
 * used by one page at a time (taken from the connection's channel cache and given back after the wait), so the state
 * below is per page.
 */
public final class ReturnCheckingChannel extends PublisherCallbackChannelImpl {

    /** The first message the broker returned among the sends (a page) that the next wait covers. */
    private volatile Return returned;
    /** Whether messages were published since the last wait (the first publish after a wait forgets old returns). */
    private volatile boolean publishing;
    private volatile String lastExchange = "";
    private volatile String lastRoutingKey = "";

    public ReturnCheckingChannel(Channel delegate, ExecutorService executor) {
        super(delegate, executor);
        // runs on the connection's thread, in frame order: before the confirm of the same message is processed
        delegate.addReturnListener(r -> {
            if (returned == null) {
                returned = r;
            }
        });
    }

    /**
     * Not registered: each page learns of its own returns and nacks from {@link #waitForConfirms(long)}. A Spring
     * RabbitTemplate would register here as a listener and stay for the life of the cached channel.
     */
    @Override
    public void addListener(PublisherCallbackChannel.Listener listener) {
        // deliberately empty
    }

    @Override
    public void basicPublish(String exchange, String routingKey, boolean mandatory, AMQP.BasicProperties props,
                             byte[] body) throws IOException {
        if (!publishing) {
            returned = null;
            publishing = true;
        }
        lastExchange = exchange;
        lastRoutingKey = routingKey;
        super.basicPublish(exchange, routingKey, true, props, body);
    }

    @Override
    public void basicPublish(String exchange, String routingKey, AMQP.BasicProperties props, byte[] body)
            throws IOException {
        basicPublish(exchange, routingKey, true, props, body);
    }

    @Override
    public boolean waitForConfirms(long timeout) throws InterruptedException, TimeoutException {
        try {
            check(super.waitForConfirms(timeout));
            return true;
        } finally {
            publishing = false;
        }
    }

    @Override
    public boolean waitForConfirms() throws InterruptedException {
        try {
            check(super.waitForConfirms());
            return true;
        } finally {
            publishing = false;
        }
    }

    @Override
    public void waitForConfirmsOrDie(long timeout) throws InterruptedException, TimeoutException {
        waitForConfirms(timeout);
    }

    @Override
    public void waitForConfirmsOrDie() throws InterruptedException {
        waitForConfirms();
    }

    private void check(boolean acked) {
        Return r = returned;
        returned = null;
        if (r != null) {
            String where = r.getExchange() == null || r.getExchange().isEmpty()
                    ? "there is no queue named '" + r.getRoutingKey() + "'"
                    : "no queue is bound to exchange '" + r.getExchange() + "' for routing key '" + r.getRoutingKey() + "'";
            throw new AmqpException("RabbitMQ returned the message as unroutable (" + r.getReplyCode() + " "
                    + r.getReplyText() + "): " + where);
        }
        if (!acked) {
            throw new AmqpException("RabbitMQ refused a message of the page (nack) on exchange " + describe(lastExchange)
                    + " with routing key '" + lastRoutingKey + "'");
        }
    }

    private static String describe(String exchange) {
        return exchange == null || exchange.isEmpty() ? "'' (the default exchange)" : "'" + exchange + "'";
    }
}
