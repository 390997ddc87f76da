package dev.eventrelay.backbone;

import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.SealedSegments;
import dev.eventrelay.support.Slow;
import dev.eventrelay.support.TestKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * KafkaSegments against a real broker: a segment is one transaction that readers with read_committed see whole or
 * not at all; a discarded one never; and one left open by an instance that died is aborted as soon as the instance
 * starts again with the same relay.instance.id, so the readers behind it go on.
 */
@Slow
class KafkaSegmentsTest {

    /** These segments are published or dropped without a seal: nothing is written to a store. */
    private static final SealedSegments NEVER_SEALED = new SealedSegments(null, null);
    static TestKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = TestKafkaBroker.start(Map.of());
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @Test
    void aPublishedSegmentIsReadWholeADiscardedOneNever() throws Exception {
        BackboneConfig config = config();
        try (KafkaSegments segments = new KafkaSegments(config, "test-a", NEVER_SEALED)) {
            long kept = segments.openSegment(null, "run-1", Instant.now());
            segments.append(null, kept, entries("kept", 3));
            long dropped = segments.openSegment(null, "run-1", Instant.now());
            segments.append(null, dropped, entries("dropped", 2));
            segments.discard(null, dropped);
            long later = segments.openSegment(null, "run-1", Instant.now());
            segments.append(null, later, entries("later", 2));
            segments.publish(null, later, Instant.now());

            assertThat(committed(config.topic(), 2)).extracting(ConsumerRecord::value)
                    .containsExactlyInAnyOrder("{\"later\":0}", "{\"later\":1}");
        }
    }

    @Test
    void aSegmentLeftOpenByADeadInstanceIsAbortedWhenItStartsAgainWithItsId() throws Exception {
        BackboneConfig config = config();
        KafkaSegments died = new KafkaSegments(config, "test-b", NEVER_SEALED);
        long open = died.openSegment(null, "run-1", Instant.now());
        died.append(null, open, entries("lost", 2));
        died.writerFlush(open);

        try (KafkaSegments again = new KafkaSegments(config, "test-b", NEVER_SEALED)) {
            long next = again.openSegment(null, "run-2", Instant.now());
            again.append(null, next, entries("next", 1));
            again.publish(null, next, Instant.now());

            // read_committed readers stop at an open transaction: they see the next file only once the old one is over
            assertThat(committed(config.topic(), 1)).extracting(ConsumerRecord::value).containsExactly("{\"next\":0}");
        } finally {
            died.close();
        }
    }

    @Test
    void aSegmentLeftOpenByADeadInstanceIsAbortedByTheInstanceThatFindsItsLeaseExpired() throws Exception {
        BackboneConfig config = config();
        KafkaSegments died = new KafkaSegments(config, "test-c", NEVER_SEALED);
        long open = died.openSegment(null, "run-1", Instant.now());
        died.append(null, open, entries("lost", 2));
        died.writerFlush(open);

        try (KafkaSegments alive = new KafkaSegments(config, "test-c2", NEVER_SEALED)) {
            long next = alive.openSegment(null, "run-2", Instant.now());
            alive.append(null, next, entries("next", 1));
            alive.publish(null, next, Instant.now());
            // the open transaction (timeout 10 minutes) holds the readers before "next"
            assertThat(committed(config.topic(), 1)).isEmpty();

            assertThat(alive.abandoned("test-c")).isEqualTo(1);

            assertThat(committed(config.topic(), 1)).extracting(ConsumerRecord::value).containsExactly("{\"next\":0}");
            assertThat(alive.abandoned("test-c")).isZero();
        } finally {
            died.close();
        }
    }

    private static BackboneConfig config() throws Exception {
        String topic = "segments-" + UUID.randomUUID();
        broker.createTopic(topic, 1);
        return new BackboneConfig("kafka", broker.bootstrapServers(), topic, 1, (short) 1, 600_000);
    }

    private static List<EventLog.Entry> entries(String name, int count) {
        List<EventLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            entries.add(new EventLog.Entry(0, name + "-" + i, "test_event", "{\"" + name + "\":" + i + "}", "k" + i,
                    1L));
        }
        return entries;
    }

    /** The committed records of the topic's one partition, once {@code count} have arrived (and no more come). */
    private static List<ConsumerRecord<String, String>> committed(String topic, int count) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = broker.consumer()) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            Instant deadline = Instant.now().plusSeconds(20);
            while (records.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
