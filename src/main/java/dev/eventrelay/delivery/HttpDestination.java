package dev.eventrelay.delivery;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.eventrelay.model.EventIds;
import dev.eventrelay.model.EventJson;
import dev.eventrelay.settings.PropertyReader;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code http} destination: one POST of {@code {"hook", "batch_id", "sent_at", "events"}} with
 * {@code Idempotency-Key: <batch_id>}, signed as Standard Webhooks specifies when the hook has a secret.
 *
 * <p>With {@code http.in-flight} above 1, {@link #prepare} splits a batch by profile key into that many requests,
 * each under its own batch id (derived from the batch's, so the same on every retry), which the sink route sends
 * at once; one profile's events are always in the same request, so they keep their order. The batch is delivered
 * when every request is; a retry sends only the requests not answered 2xx yet (this instance remembers them until
 * the batch is settled; after a restart they go again, with the same ids).
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
            return new HttpDestination(hook.secret() == null ? null : new WebhookSigner(hook.secret()), clock,
                    hook.limits().inFlight());
        }
    };

    /** Exchange property of a split turn of the sink route: the {@link Request} it sends. */
    static final String REQUEST = "relayHttpRequest";

    private final WebhookSigner signer;
    private final Clock clock;
    private final int inFlight;
    /** Batch ids of requests answered 2xx whose batch is not settled yet. */
    private final Set<String> answered = ConcurrentHashMap.newKeySet();

    /** @param signer null when the hook has no secret */
    public HttpDestination(WebhookSigner signer, Clock clock, int inFlight) {
        this.signer = signer;
        this.clock = clock;
        this.inFlight = inFlight;
    }

    /** One POST: its batch id, headers and JSON body; what the receiver answered once it answered 2xx. */
    public final class Request {
        private final String batchId;
        private final Map<String, String> headers;
        private final String body;
        private volatile String status;
        private volatile String answer;

        private Request(String batchId, Map<String, String> headers, String body) {
            this.batchId = batchId;
            this.headers = headers;
            this.body = body;
        }

        /** Makes the split turn's message this request. */
        void prepare(Message message) {
            message.removeHeaders("*");
            headers.forEach(message::setHeader);
            message.setBody(body);
        }

        /** The receiver answered 2xx: remembered until the batch is settled. */
        void answered(String status, String answer) {
            this.status = status;
            this.answer = answer;
            HttpDestination.this.answered.add(batchId);
        }

        @Override
        public String toString() {
            return "POST of batch " + batchId;
        }
    }

    @Override
    public String status(Exchange exchange) {
        List<String> statuses = requests(exchange).stream().map(r -> r.status).filter(Objects::nonNull).distinct()
                .toList();
        return statuses.isEmpty() ? "HTTP 2xx" : String.join(", ", statuses);
    }

    @Override
    public String answer(Exchange exchange) {
        return requests(exchange).stream().map(r -> r.answer).filter(Objects::nonNull).findFirst().orElse(null);
    }

    @Override
    public String sink() {
        return "hook-sink-http";
    }

    @Override
    public boolean needsKey() {
        return inFlight > 1;
    }

    /** Sets the body to the batch's requests ({@code List<Request>}), those answered 2xx before left out. */
    @Override
    public void prepare(HookBatch batch, Exchange exchange) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        List<List<Outgoing>> lanes = lanes(batch);
        List<Request> requests = new ArrayList<>(lanes.size());
        for (int lane = 0; lane < lanes.size(); lane++) {
            String id = laneId(batch, lane);
            if (!lanes.get(lane).isEmpty() && !answered.contains(id)) {
                requests.add(request(batch.hook(), id, lanes.get(lane), now));
            }
        }
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setBody(requests);
    }

    @Override
    public List<Outgoing> undelivered(HookBatch batch) {
        List<List<Outgoing>> lanes = lanes(batch);
        List<Outgoing> left = new ArrayList<>(batch.events().size());
        for (int lane = 0; lane < lanes.size(); lane++) {
            if (!answered.contains(laneId(batch, lane))) {
                left.addAll(lanes.get(lane));
            }
        }
        return left;
    }

    @Override
    public void settled(HookBatch batch) {
        for (int lane = 0; lane < inFlight; lane++) {
            answered.remove(laneId(batch, lane));
        }
    }

    private Request request(String hook, String batchId, List<Outgoing> events, Instant now) {
        StringBuilder body = new StringBuilder(events.size() * 600 + 200)
                .append("{\"hook\":\"").append(JsonStringEncoder.getInstance().quoteAsString(hook))
                .append("\",\"batch_id\":\"").append(batchId)
                .append("\",\"sent_at\":\"").append(EventJson.rfc3339(now))
                .append("\",\"events\":[");
        for (int i = 0; i < events.size(); i++) {
            body.append(i == 0 ? "" : ",").append(events.get(i).json());
        }
        String json = body.append("]}").toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(Exchange.HTTP_METHOD, "POST");
        headers.put(Exchange.CONTENT_TYPE, "application/json");
        headers.put("Idempotency-Key", batchId);
        if (signer != null) {
            long timestamp = now.getEpochSecond();
            headers.put("webhook-id", batchId);
            headers.put("webhook-timestamp", String.valueOf(timestamp));
            headers.put("webhook-signature", signer.sign(batchId, timestamp, json));
        }
        return new Request(batchId, headers, json);
    }

    /** The batch's events by profile key, {@code inFlight} lanes; one lane (the batch) when one is in flight. */
    private List<List<Outgoing>> lanes(HookBatch batch) {
        if (inFlight == 1) {
            return List.of(batch.events());
        }
        List<List<Outgoing>> lanes = new ArrayList<>(inFlight);
        for (int i = 0; i < inFlight; i++) {
            lanes.add(new ArrayList<>());
        }
        for (Outgoing event : batch.events()) {
            lanes.get(event.key() == null ? 0 : Math.floorMod(event.key().hashCode(), inFlight)).add(event);
        }
        return lanes;
    }

    /** The batch id of a lane: the batch's own when one is in flight, else one derived from it. */
    private String laneId(HookBatch batch, int lane) {
        return inFlight == 1 ? batch.batchId() : EventIds.nameBased(batch.batchId() + "\nrequest " + lane);
    }

    @SuppressWarnings("unchecked")
    private static List<Request> requests(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body instanceof List<?> list ? (List<Request>) list : List.of();
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
