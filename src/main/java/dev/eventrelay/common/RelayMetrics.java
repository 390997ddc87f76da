package dev.eventrelay.common;

import dev.eventrelay.model.RowCounts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The service's Prometheus metrics, counted where the work happens (this instance, since its start):
 * rows read / accepted / rejected and files per import, run durations per import and kind, events
 * delivered / retried / dead-lettered per hook and their delivery latency, plus JVM memory, threads,
 * CPU and uptime. {@code GET /metrics} answers {@link #scrape} in the Prometheus text format.
 *
 * <p>Meters are built once per name and tags and kept: the delivery path records one latency per event,
 * and building a Micrometer meter (a registry look-up under a lock, a builder, tags) per event costs more
 * than recording it.
 */
public final class RelayMetrics {

    /** Buckets of the delivery latency histogram. */
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(100), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(1),
            Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofHours(1), Duration.ofHours(6)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    /** Meters already built, by name and tag values (NUL-separated, a character no name holds). */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> latencies = new ConcurrentHashMap<>();
    private final DeliveryActivity activity = new DeliveryActivity(Clock.systemUTC());

    public RelayMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Shows every configured import and hook from the start, at zero. */
    public void known(Collection<String> imports, Collection<String> hooks) {
        imports.forEach(name -> rows(name, RowCounts.NONE));
        hooks.forEach(name -> {
            delivered(name, 0);
            retried(name, 0);
            deadLettered(name, 0);
        });
    }

    /** Rows of an import read from a file or a warehouse page: read, accepted, rejected. */
    public void rows(String importName, RowCounts counts) {
        counter("relay.import.rows.read", "Rows read", "import", importName).increment(counts.total());
        counter("relay.import.rows.accepted", "Rows accepted as events", "import", importName)
                .increment(counts.processed());
        counter("relay.import.rows.rejected", "Rows rejected with a reason", "import", importName)
                .increment(counts.errored());
    }

    /** A file of an import ended with {@code status} (Imported, Rejected, Failed). */
    public void file(String importName, String status) {
        Counter.builder("relay.import.files").description("Files imported, rejected whole or failed")
                .tag("import", importName).tag("status", status).register(registry).increment();
    }

    /** A run ended: {@code kind} sftp, upload or warehouse; {@code outcome} Processed or Failed. */
    public void runEnded(String importName, String kind, String outcome, Duration took) {
        Timer.builder("relay.run.duration").description("Time a run took, from its start to its end")
                .tag("import", importName).tag("kind", kind).tag("outcome", outcome).register(registry).record(took);
    }

    /** The destination confirmed {@code events} events of the hook. */
    public void delivered(String hook, long events) {
        counter("relay.hook.events.delivered", "Events the destination confirmed", "hook", hook).increment(events);
        activity.delivered(hook, events);
    }

    /** One delivered event waited {@code latency} from its reception to the destination's confirm. */
    public void latency(String hook, Instant receivedAt, Instant confirmedAt) {
        latency(hook, receivedAt.toEpochMilli(), confirmedAt.toEpochMilli());
    }

    /** One delivered event waited from its reception to the destination's confirm, both in epoch milliseconds. */
    public void latency(String hook, long receivedAtMs, long confirmedAtMs) {
        latency(hook).record(confirmedAtMs - receivedAtMs, TimeUnit.MILLISECONDS);
        activity.latency(hook, Duration.ofMillis(confirmedAtMs - receivedAtMs));
    }

    private Timer latency(String hook) {
        return latencies.computeIfAbsent(hook, h -> Timer.builder("relay.hook.delivery.latency")
                .description("Time from an event's reception (received_at) to the destination's confirm")
                .tag("hook", h).serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
    }

    /** A transient failure: {@code events} events wait for a retry. */
    public void retried(String hook, long events) {
        counter("relay.hook.events.retried", "Events whose attempt failed and that wait for a retry", "hook", hook)
                .increment(events);
    }

    /** {@code events} events went to dead letters. */
    public void deadLettered(String hook, long events) {
        counter("relay.hook.events.dead.lettered", "Events that went to dead letters", "hook", hook)
                .increment(events);
    }

    /** A hook's circuit went {@code to} open, closed or disabled (410 Gone). */
    public void circuit(String hook, String to) {
        Counter.builder("relay.hook.circuit.transitions").description("Times a hook's circuit opened, closed or"
                + " was disabled by its receiver").tag("hook", hook).tag("to", to).register(registry).increment();
    }

    /** The hooks' deliveries of the last hour, minute by minute (for the ops API and its console). */
    public DeliveryActivity activity() {
        return activity;
    }

    /** The metrics in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private Counter counter(String name, String description, String tag, String value) {
        return counters.computeIfAbsent(name + '\u0000' + value,
                k -> Counter.builder(name).description(description).tag(tag, value).register(registry));
    }
}
