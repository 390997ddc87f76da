package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.eventrelay.model.EventJson;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The {@code http} destination: one POST of {@code {"hook", "batch_id", "sent_at", "events"}} with
 * {@code Idempotency-Key: <batch_id>}, signed as Standard Webhooks specifies when the hook has a secret.
 */
public final class HttpDestination implements Destination {

    private final WebhookSigner signer;
    private final Clock clock;

    /** @param signer null when the hook has no secret */
    public HttpDestination(WebhookSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public String sink() {
        return "hook-sink-http";
    }

    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        StringBuilder body = new StringBuilder(batch.events().size() * 600 + 200)
                .append("{\"hook\":\"").append(JsonStringEncoder.getInstance().quoteAsString(batch.hook()))
                .append("\",\"batch_id\":\"").append(batch.batchId())
                .append("\",\"sent_at\":\"").append(EventJson.rfc3339(now))
                .append("\",\"events\":[");
        for (int i = 0; i < batch.events().size(); i++) {
            body.append(i == 0 ? "" : ",").append(batch.events().get(i).json());
        }
        String json = body.append("]}").toString();
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        message.setHeader("Idempotency-Key", batch.batchId());
        if (signer != null) {
            long timestamp = now.getEpochSecond();
            message.setHeader("webhook-id", batch.batchId());
            message.setHeader("webhook-timestamp", String.valueOf(timestamp));
            message.setHeader("webhook-signature", signer.sign(batch.batchId(), timestamp, json));
        }
        message.setBody(json);
    }
}
