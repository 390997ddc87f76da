package dev.eventrelay.backbone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.eventrelay.support.PostgresStores;
import dev.eventrelay.support.RelayUnderTest;
import dev.eventrelay.support.TestHttpReceiver;
import dev.eventrelay.support.TestHttpReceiver.Answer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static dev.eventrelay.support.RelayUnderTest.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kafka backbone end to end with PostgreSQL as the state store, and two instances (two Camel contexts on one
 * store) as members of each hook's consumer group: the topic's partitions are split between them, every event
 * arrives under one batch id, and a batch that failed on one instance is sent again under the same batch id by the
 * instance that takes its partition over.
 */
class KafkaBackboneFlowOnPostgresTest extends KafkaBackboneFlowTest {

    private final PostgresStores stores = new PostgresStores();
    private RelayUnderTest second;

    @Override
    protected String newStoreUrl() throws Exception {
        return stores.fresh(config);
    }

    @AfterEach
    void stopSecondAndDropDatabases() throws SQLException {
        if (second != null) {
            second.close();
        }
        stores.dropAll(relay);
    }

    @Test
    void twoInstancesSplitTheHooksPartitionsAndEveryEventArrivesUnderOneBatchId() throws Exception {
        config.put("relay.hook.webhook.batch.max-events", "5");
        relay = new RelayUnderTest(instance("relay-a")).start();
        second = new RelayUnderTest(instance("relay-b")).start();
        awaitGroupMembers(2);

        assertThat(upload("many.csv", rows(60)).statusCode()).isEqualTo(200);

        await("60 events at the receiver", Duration.ofSeconds(30), this::received, e -> e.size() >= 60);
        Map<String, List<String>> byBatch = new LinkedHashMap<>();
        for (TestHttpReceiver.Request request : receiver.requests()) {
            JsonNode body = JSON.readTree(request.body());
            List<String> ids = body.get("events").findValuesAsText("event_id");
            List<String> before = byBatch.putIfAbsent(body.get("batch_id").asText(), ids);
            assertThat(before == null || before.equals(ids)).as("batch %s sent with other events", body.get("batch_id"))
                    .isTrue();
        }
        List<String> all = byBatch.values().stream().flatMap(List::stream).toList();
        assertThat(all).hasSize(60).doesNotHaveDuplicates();
        assertThat(received()).hasSize(60);
    }

    @Test
    void aBatchThatFailedOnOneInstanceIsSentAgainUnderItsBatchIdByTheInstanceThatTakesItsPartitionOver()
            throws Exception {
        config.put("relay.hook.webhook.retry.period.seconds", "2");
        receiver.answer(Answer.of(503));
        relay = new RelayUnderTest(instance("relay-a")).start();
        upload("one.csv", rows(1));
        await("the first attempt", Duration.ofSeconds(20), receiver::requests, r -> !r.isEmpty());
        String key = receiver.requests().get(0).header("Idempotency-Key");
        relay.stop();

        second = new RelayUnderTest(instance("relay-b")).start();

        await("the event delivered by the second instance", Duration.ofSeconds(30), () -> second.hook("webhook"),
                h -> h.get("delivered").asLong() == 1);
        assertThat(receiver.requests()).extracting(r -> r.header("Idempotency-Key")).containsOnly(key);
        assertThat(JSON.readTree(receiver.requests().get(receiver.requests().size() - 1).body()).get("events"))
                .isEqualTo(JSON.readTree(receiver.requests().get(0).body()).get("events"));
    }

    private Map<String, String> instance(String id) {
        Map<String, String> own = new LinkedHashMap<>(config);
        own.put("relay.instance.id", id);
        return own;
    }

    private static byte[] rows(int count) {
        StringBuilder csv = new StringBuilder("event,customer_id,email,timestamp\n");
        for (int i = 0; i < count; i++) {
            csv.append("group_event,").append(1000 + i).append(",,2026-11-22T04:19:42Z\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void awaitGroupMembers(int members) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            await(members + " members of relay-hook-webhook, each with partitions", Duration.ofSeconds(30), () -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("relay-hook-webhook"))
                        .all().get(10, TimeUnit.SECONDS).get("relay-hook-webhook");
                List<Integer> partitions = new ArrayList<>();
                Set<String> clients = new HashSet<>();
                for (MemberDescription member : group.members()) {
                    member.assignment().topicPartitions().forEach(p -> partitions.add(p.partition()));
                    if (!member.assignment().topicPartitions().isEmpty()) {
                        clients.add(member.clientId());
                    }
                }
                return clients.size() + " members with partitions " + partitions;
            }, seen -> seen.startsWith(members + " members") && seen.chars().filter(ch -> ch == ',').count() == 2);
        }
    }
}
