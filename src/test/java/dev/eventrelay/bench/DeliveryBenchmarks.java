package dev.eventrelay.bench;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.eventrelay.delivery.HookMessage;
import dev.eventrelay.systemevents.SystemEvents;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.StoreDatabases;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.state.StateStore;
import dev.eventrelay.support.TestKafkaBroker;
import dev.eventrelay.support.TestSftpServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Delivery benchmarks: events/s that each destination of Event Relay delivers from its event log,
 * against the raw client sending the same hook messages in pages of the same size to the same
 * peer in the same run (each side warmed by an untimed pass first: the raw client's runs before the service's,
 * so the peer in this JVM is as warm for both) — the JDK HttpClient posting the batches, amqp-client publishing persistent
 * messages with publisher confirms, a KafkaProducer with acks=all and idempotence.
 */
final class DeliveryBenchmarks {

    /** One measure of the table: {@code bar} is the least Event Relay ÷ raw the issue asks for. */
    record Row(String measure, double relayPerSecond, double rawPerSecond, Benchmarks.HeapWatch.Peak heap, double bar,
               long events) {
    }

    private static final int PAGE = 500;
    /** Timed passes of each side per measure; the table gives the medians. */
    private static final int ROUNDS = 3;

    private DeliveryBenchmarks() {
    }

    /** Imports {@code events} rows once, then lets one hook per destination deliver them all. */
    static List<Row> run(Path work, int events) throws Exception {
        Path store = work.resolve("delivery-store");
        String storeUrl = BenchStores.embedded(store);
        LocalDate yesterday = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        String fileName = Benchmarks.CHANNEL + "-" + Benchmarks.EVENT_CODE + "-"
                + yesterday.format(DateTimeFormatter.BASIC_ISO_DATE) + "-1.csv";
        List<Row> rows = new ArrayList<>();
        try (TestSftpServer sftp = new TestSftpServer(work.resolve("delivery-sftp"))) {
            Benchmarks.CsvGenerator.write(sftp.root().resolve(fileName), events, yesterday);
            Map<String, String> base = new LinkedHashMap<>(sftp.importConfig("default", Benchmarks.CHANNEL, "ed25519"));
            base.put("relay.store.url", storeUrl);
            base.put("relay.hook.all-events.enabled", "false");
            base.put("relay.event-type." + Benchmarks.EVENT_CODE + ".name", "Purchase");
            base.put("relay.event-type." + Benchmarks.EVENT_CODE + ".attributes", Benchmarks.CsvGenerator.ATTRIBUTES);
            try (RelayUnderTest relay = new RelayUnderTest(base).start()) {
                relay.runImport("default");
            }
            List<String> messages = hookMessages(storeUrl);
            System.out.printf("Delivery: %,d events in the event log%n", messages.size());
            rows.add(http(base, messages));
            rows.add(rabbit(base, messages));
            rows.add(kafka(base, messages));
        }
        return rows;
    }

    private static Row http(Map<String, String> base, List<String> messages) throws Exception {
        try (TestHttpReceiver relayReceiver = new TestHttpReceiver(RelayUnderTest.freePort()).start();
             TestHttpReceiver rawReceiver = new TestHttpReceiver(RelayUnderTest.freePort()).start()) {
            Map<String, String> config = hook(base, "bench-http", "http");
            config.put("relay.hook.bench-http.http.url", relayReceiver.url());
            HttpClient client = HttpClient.newHttpClient();
            RawPass pass = () -> {
                try (RawLog log = new RawLog(base.get("relay.store.url"))) {
                    for (List<String> page = log.next(PAGE); !page.isEmpty(); page = log.next(PAGE)) {
                        String body = "{\"hook\":\"bench-raw\",\"batch_id\":\"" + UUID.randomUUID() + "\",\"sent_at\":\""
                                + java.time.Instant.now() + "\",\"events\":[" + String.join(",", page) + "]}";
                        HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create(rawReceiver.url()))
                                .header("Content-Type", "application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException("raw HTTP post answered " + response.statusCode());
                        }
                        log.commit();
                    }
                }
            };
            // what each receiver kept of a pass goes before the next
            Compared compared = compare(config, messages.size(), () -> countEvents(relayReceiver.requests()), pass,
                    relayReceiver::take, rawReceiver::take);
            return new Row("http: JSON batches of " + PAGE + " (JDK HttpClient)", compared.relay(), compared.raw(),
                    compared.heap(), 0.9, messages.size());
        }
    }

    private static Row rabbit(Map<String, String> base, List<String> messages) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection("event-relay-bench"); Channel channel = connection.createChannel()) {
            String relayQueue = "bench-relay-" + UUID.randomUUID();
            String rawQueue = "bench-raw-" + UUID.randomUUID();
            channel.queueDeclare(relayQueue, true, false, true, null);
            channel.queueDeclare(rawQueue, true, false, true, null);
            Map<String, String> config = hook(base, "bench-rabbit", "rabbitmq-queue");
            config.put("relay.hook.bench-rabbit.rabbitmq.queue", relayQueue);
            channel.confirmSelect();
            RawPass pass = () -> {
                try (RawLog log = new RawLog(base.get("relay.store.url"))) {
                    for (List<String> page = log.next(PAGE); !page.isEmpty(); page = log.next(PAGE)) {
                        for (String message : page) {
                            Map<String, Object> headers = new HashMap<>();
                            headers.put("event_type", "Purchase");
                            headers.put("hook", "bench-raw");
                            channel.basicPublish("", rawQueue, true, new AMQP.BasicProperties.Builder()
                                    .messageId(UUID.randomUUID().toString()).contentType("application/json").deliveryMode(2)
                                    .headers(headers).build(), message.getBytes(StandardCharsets.UTF_8));
                        }
                        channel.waitForConfirmsOrDie(30_000);
                        log.commit();
                    }
                }
            };
            Compared compared = compare(config, messages.size(), () -> messageCount(channel, relayQueue), pass,
                    () -> purge(channel, relayQueue), () -> purge(channel, rawQueue));
            channel.queueDelete(relayQueue);
            channel.queueDelete(rawQueue);
            return new Row("rabbitmq-queue: persistent, confirmed (amqp-client, confirms per " + PAGE + ")",
                    compared.relay(), compared.raw(), compared.heap(), 0.7, messages.size());
        }
    }

    private static Row kafka(Map<String, String> base, List<String> messages) throws Exception {
        try (TestKafkaBroker broker = TestKafkaBroker.start(Map.of())) {
            broker.createTopic("bench-relay", 3);
            broker.createTopic("bench-raw", 3);
            Map<String, String> config = hook(base, "bench-kafka", "kafka");
            config.put("relay.hook.bench-kafka.kafka.topic", "bench-relay");
            config.put("relay.hook.bench-kafka.kafka.bootstrap-servers", broker.bootstrapServers());
            Properties admin = new Properties();
            admin.put("bootstrap.servers", broker.bootstrapServers());
            try (Admin client = Admin.create(admin)) {
                Properties settings = new Properties();
                settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
                settings.put(ProducerConfig.ACKS_CONFIG, "all");
                settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
                settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
                RawPass pass = () -> {
                    try (KafkaProducer<String, String> producer = new KafkaProducer<>(settings);
                         RawLog log = new RawLog(base.get("relay.store.url"))) {
                        int i = 0;
                        for (List<String> page = log.next(PAGE); !page.isEmpty(); page = log.next(PAGE)) {
                            for (String message : page) {
                                ProducerRecord<String, String> record = new ProducerRecord<>("bench-raw", "c-" + (i++ % 1000),
                                        message);
                                record.headers().add("event_type", "Purchase".getBytes(StandardCharsets.UTF_8));
                                record.headers().add("event_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                                record.headers().add("hook", "bench-raw".getBytes(StandardCharsets.UTF_8));
                                producer.send(record);
                            }
                            producer.flush();
                            log.commit();
                        }
                    }
                };
                Compared compared = compare(config, messages.size(), () -> endOffsets(client, "bench-relay"), pass,
                        () -> { }, () -> { });
                return new Row("kafka: acks=all, idempotent (KafkaProducer, flush per " + PAGE + ")", compared.relay(),
                        compared.raw(), compared.heap(), 0.8, messages.size());
            }
        }
    }

    private record Measured(double perSecond, Benchmarks.HeapWatch.Peak heap) {
    }

    /** One pass of a raw client over the whole event log, from the start. */
    @FunctionalInterface
    private interface RawPass {
        void run() throws Exception;
    }

    /** The medians of the timed passes of each side, and the service's highest heap. */
    private record Compared(double relay, double raw, Benchmarks.HeapWatch.Peak heap) {
    }

    /**
     * Warms both sides with an untimed pass each (the raw client first, so the peer in this JVM — Kafka broker, HTTP
     * receiver — is as warm for both), then runs {@link #ROUNDS} rounds of one timed pass of the service and one of
     * the raw client, and returns the medians (a pass of a second or two on this shared machine is noisy).
     * {@code resetRelayPeer} and {@code resetRawPeer} clear what a peer kept of the pass before (outside the timing).
     */
    private static Compared compare(Map<String, String> config, int events, LongSupplier delivered, RawPass raw,
                                    Runnable resetRelayPeer, Runnable resetRawPeer) throws Exception {
        raw.run();
        resetRawPeer.run();
        try (RelayUnderTest relay = new RelayUnderTest(config).start()) {
            RelayUnderTest.await(events + " events delivered (warm-up)", Duration.ofMinutes(10), delivered::getAsLong,
                    count -> count >= events);
        }
        List<Double> relayRates = new ArrayList<>();
        List<Double> rawRates = new ArrayList<>();
        Benchmarks.HeapWatch.Peak heap = null;
        for (int round = 0; round < ROUNDS; round++) {
            resetRelayPeer.run();
            rewind(config);
            Measured measured = relay(config, events, delivered);
            relayRates.add(measured.perSecond());
            heap = heap == null || measured.heap().used() > heap.used() ? measured.heap() : heap;
            long start = System.nanoTime();
            raw.run();
            rawRates.add(perSecond(events, System.nanoTime() - start));
            resetRawPeer.run();
        }
        String destination = config.entrySet().stream().filter(e -> e.getKey().startsWith("relay.hook.bench-")
                && e.getKey().endsWith(".destination")).map(Map.Entry::getValue).findFirst().orElse("?");
        System.out.printf(Locale.ROOT, "Delivery, %s: service %s, raw %s events/s (the table: medians)%n", destination,
                rates(relayRates), rates(rawRates));
        return new Compared(median(relayRates), median(rawRates), heap);
    }

    private static double median(List<Double> rates) {
        List<Double> sorted = rates.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String rates(List<Double> rates) {
        return rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList().toString();
    }

    private static void purge(Channel channel, String queue) {
        try {
            channel.queuePurge(queue);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The raw client's side of the event log, with the durability a hook has: each page read from the store the
     * service delivers from (keyset on the id, the hook messages as {@link #hookMessages} builds them), and once the
     * peer took it, the position committed in that store (a one-row UPDATE in its own transaction, as a hook moves
     * its cursor). The store is opened as the service opens it ({@link StateStore}: same URL and durability).
     */
    static final class RawLog implements AutoCloseable {
        private final StateStore store;
        private long after;
        private long last;

        RawLog(String url) {
            store = new StateStore(url, BenchStores.user(url), BenchStores.password(url), 2);
            store.start();
            store.inTransaction(c -> {
                try (Statement ddl = c.createStatement()) {
                    ddl.executeUpdate("CREATE TABLE IF NOT EXISTS bench_raw_cursor (id INTEGER PRIMARY KEY, log_id BIGINT)");
                    ddl.executeUpdate("DELETE FROM bench_raw_cursor");
                    ddl.executeUpdate("INSERT INTO bench_raw_cursor (id, log_id) VALUES (1, 0)");
                }
                return null;
            });
        }

        /** The next {@code page} hook messages after the committed position (empty at the end). */
        List<String> next(int page) {
            return store.read(c -> {
                List<String> messages = new ArrayList<>(page);
                try (java.sql.PreparedStatement query = c.prepareStatement(
                        "SELECT id, body, event_type FROM event_log WHERE id > ? ORDER BY id LIMIT ?")) {
                    query.setLong(1, after);
                    query.setInt(2, page);
                    try (ResultSet rows = query.executeQuery()) {
                        while (rows.next()) {
                            last = rows.getLong(1);
                            if (!SystemEvents.isSystem(rows.getString(3))) {
                                messages.add(HookMessage.of(rows.getString(2), "bench-raw", "{}"));
                            }
                        }
                    }
                }
                return messages;
            });
        }

        /** The peer took the page: its position committed. */
        void commit() {
            after = last;
            store.inTransaction(c -> {
                try (java.sql.PreparedStatement update = c.prepareStatement(
                        "UPDATE bench_raw_cursor SET log_id = ? WHERE id = 1")) {
                    update.setLong(1, after);
                    update.executeUpdate();
                }
                return null;
            });
        }

        @Override
        public void close() {
            store.stop();
        }
    }

    /**
     * One timed pass of the service over the rewound event log: a new instance, timed from the first page the peer
     * took to every event taken by the peer again.
     */
    private static Measured relay(Map<String, String> config, int events, LongSupplier delivered) throws Exception {
        long before = delivered.getAsLong();
        try (Benchmarks.HeapWatch heap = new Benchmarks.HeapWatch();
             RelayUnderTest relay = new RelayUnderTest(config).start()) {
            // timed from the first page the peer took, so the instance's start-up (routes, first connection) is out
            long first = RelayUnderTest.await("a first page delivered", Duration.ofMinutes(10), delivered::getAsLong,
                    count -> count > before) - before;
            long start = System.nanoTime();
            RelayUnderTest.await(events + " events delivered", Duration.ofMinutes(10), delivered::getAsLong,
                    count -> count >= before + events);
            long nanos = System.nanoTime() - start;
            return new Measured(perSecond(events - first, nanos), heap.stop());
        }
    }

    /** Moves every bench hook of {@code config} back to the start of the event log. */
    private static void rewind(Map<String, String> config) throws Exception {
        String url = config.get("relay.store.url");
        try (java.sql.Connection c = DriverManager.getConnection(url, BenchStores.user(url), BenchStores.password(url));
             java.sql.PreparedStatement rewind = c.prepareStatement("UPDATE hook_state SET segment_seq = 0,"
                     + " event_log_id = 0, pending_segment_seq = NULL, pending_log_id = NULL, pending_events = 0,"
                     + " attempts = 0, next_attempt_at = NULL WHERE hook LIKE 'bench-%'")) {
            rewind.executeUpdate();
        }
    }

    private static Map<String, String> hook(Map<String, String> base, String name, String destination) {
        Map<String, String> config = new LinkedHashMap<>(base);
        config.put("relay.hook." + name + ".destination", destination);
        config.put("relay.hook." + name + ".batch.max-events", String.valueOf(PAGE));
        config.put("relay.hook." + name + ".batch.max-wait.seconds", "0.05");
        return config;
    }

    /** The hook messages the hooks will send, read from the event log as a raw client would be given them. */
    private static List<String> hookMessages(String storeUrl) throws Exception {
        List<String> messages = new ArrayList<>();
        try (java.sql.Connection c = DriverManager.getConnection(storeUrl, BenchStores.user(storeUrl),
                BenchStores.password(storeUrl));
             Statement query = c.createStatement();
             ResultSet rows = query.executeQuery("SELECT body, event_type FROM event_log ORDER BY id")) {
            while (rows.next()) {
                // the import's own relay_run_processed is in the log too; a hook without event types skips it
                if (!SystemEvents.isSystem(rows.getString(2))) {
                    messages.add(HookMessage.of(rows.getString(1), "bench-raw", "{}"));
                }
            }
        }
        return messages;
    }

    /** The events in the bodies of hook requests. */
    static long countEvents(List<TestHttpReceiver.Request> requests) {
        long count = 0;
        for (TestHttpReceiver.Request request : requests) {
            for (int at = request.body().indexOf("\"event_id\":"); at >= 0;
                 at = request.body().indexOf("\"event_id\":", at + 1)) {
                count++;
            }
        }
        return count;
    }

    private static long messageCount(Channel channel, String queue) {
        try {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot count queue " + queue, e);
        }
    }

    private static long endOffsets(Admin admin, String topic) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int partition = 0; partition < 3; partition++) {
                latest.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of " + topic, e);
        }
    }

    private static double perSecond(long events, long nanos) {
        return events / (nanos / 1e9);
    }
}
