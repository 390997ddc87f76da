package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code http} destination: one POST of {@code {"hook", "batch_id", "sent_at", "events"}} with
 * {@code Idempotency-Key: <batch_id>}, signed as Standard Webhooks specifies when the hook has a secret.
 */
public final class HttpDestination implements Destination {

    /** {@code destination = http}: {@code http.url}, {@code http.timeout.ms} and the signing {@code http.secret}. */
    public static final DestinationKind KIND = new DestinationKind() {
        @Override
        public List<String> names() {
            return List.of("http");
        }

        @Override
        public Map<String, String> endpoint(String destination, String prefix, PropertyReader p) {
            Map<String, String> endpoint = new LinkedHashMap<>();
            String url = p.required(prefix + "http.url", "the URL the batches are POSTed to");
            if (url != null && !isHttpUrl(url)) {
                p.problem(prefix + "http.url", "'" + url + "' is not an http:// or https:// URL with a host,"
                        + " e.g. https://receiver.example/hooks");
            }
            endpoint.put("url", url);
            endpoint.put("timeoutMs", String.valueOf(p.integer(prefix + "http.timeout.ms", 10_000, 100, 600_000)));
            return endpoint;
        }

        @Override
        public String secret(String prefix, PropertyReader p) {
            return p.string(prefix + "http.secret", null);
        }

        @Override
        public Destination create(HookConfig hook, Clock clock) {
            return new HttpDestination(hook.secret() == null ? null : new WebhookSigner(hook.secret()), clock);
        }
    };

    private final WebhookSigner signer;
    private final Clock clock;

    /** @param signer null when the hook has no secret */
    public HttpDestination(WebhookSigner signer, Clock clock) {
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public String status(Exchange exchange) {
        return "HTTP " + exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, "2xx", String.class);
    }

    @Override
    public String answer(Exchange exchange) {
        return exchange.getMessage().getBody(String.class);
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

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
