package dev.eventrelay.backbone;

import dev.eventrelay.model.EventIds;
import dev.eventrelay.state.EventLog;
import dev.eventrelay.state.KafkaBatches;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One hook's member of its consumer group ({@code relay-hook-<name>}) on the backbone's topic: reads a batch from one
 * partition at a time, {@code read_committed}, and commits the partition's offset only once the batch is passed
 * (delivered or dead-lettered). Before a batch goes out its offsets are recorded in the store ({@link KafkaBatches}):
 * whoever holds the partition next — this consumer after a failure, a restarted instance, another instance after a
 * rebalance — reads exactly that batch again, under the same batch id, before anything new. Not thread-safe: the
 * hook's route calls it from one exchange at a time.
 */
final class HookConsumer implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REREAD = Duration.ofSeconds(15);

    private final String hook;
    private final String topic;
    private final KafkaBatches batches;
    private final Clock clock;
    private final KafkaConsumer<String, String> consumer;
    private boolean subscribed;
    private int rotation;

    HookConsumer(String hook, BackboneConfig config, String instanceId, int maxEvents, KafkaBatches batches,
                 Clock clock) {
        this.hook = hook;
        this.topic = config.topic();
        this.batches = batches;
        this.clock = clock;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, groupId(hook),
                ConsumerConfig.CLIENT_ID_CONFIG, "relay-" + instanceId + "-hook-" + hook,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(1, maxEvents)),
                new StringDeserializer(), new StringDeserializer());
    }

    /** The consumer group of a hook. */
    static String groupId(String hook) {
        return "relay-hook-" + hook;
    }

    /** The recorded batch of a partition this consumer holds, else up to {@code max} new events of one partition. */
    HookFeed.Read read(int max) {
        if (!subscribed) {
            consumer.subscribe(List.of(topic));
            subscribed = true;
        }
        if (consumer.assignment().isEmpty()) {
            unread(consumer.poll(POLL)); // joins the group
        }
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            return HookFeed.Read.empty(EventLog.Cursor.START);
        }
        Set<TopicPartition> free = new HashSet<>(assigned);
        for (KafkaBatches.Range range : batches.of(hook).values()) {
            TopicPartition partition = new TopicPartition(topic, range.partition());
            free.remove(partition);
            if (!assigned.contains(partition)) {
                continue;
            }
            OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
            if (committed != null && committed.offset() >= range.end()) {
                batches.passed(hook, range.partition(), range.end());
                continue;
            }
            return again(partition, range);
        }
        return next(max, free);
    }

    /** The batch {@code range} read again, record for record. */
    private HookFeed.Read again(TopicPartition partition, KafkaBatches.Range range) {
        consumer.pause(consumer.assignment());
        consumer.resume(Set.of(partition));
        consumer.seek(partition, range.from());
        List<EventLog.Entry> entries = new ArrayList<>();
        Instant deadline = clock.instant().plus(REREAD);
        try {
            while (consumer.position(partition) < range.end()) {
                if (clock.instant().isAfter(deadline) || !consumer.assignment().contains(partition)) {
                    throw new KafkaException("the batch of partition " + range.partition() + " (offsets "
                            + range.from() + " to " + range.end() + ") could not be read again now");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL).records(partition)) {
                    if (record.offset() < range.end()) {
                        entries.add(BackboneRecords.entry(record));
                    }
                }
            }
            if (consumer.position(partition) > range.end()) {
                consumer.seek(partition, range.end());
            }
        } finally {
            consumer.resume(consumer.paused());
        }
        return new HookFeed.Read(entries, end(range), batchId(range));
    }

    /**
     * New events of one of the {@code free} partitions (held, and no batch recorded for them; those that have events
     * take turns); what the poll returned of the others is left unread, also of a partition that a rebalance
     * during the poll brought, whose recorded batch (if any) goes first at the next read.
     */
    private HookFeed.Read next(int max, Set<TopicPartition> free) {
        ConsumerRecords<String, String> records = consumer.poll(POLL);
        List<TopicPartition> partitions = records.partitions().stream().filter(free::contains)
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
        if (partitions.isEmpty()) {
            unread(records);
            return HookFeed.Read.empty(EventLog.Cursor.START);
        }
        TopicPartition pick = partitions.get(Math.floorMod(rotation++, partitions.size()));
        for (TopicPartition other : records.partitions()) {
            if (!other.equals(pick)) {
                consumer.seek(other, records.records(other).get(0).offset());
            }
        }
        List<ConsumerRecord<String, String>> taken = records.records(pick);
        boolean more = records.partitions().size() > 1 || taken.size() > max;
        if (taken.size() > max) {
            taken = taken.subList(0, max);
            consumer.seek(pick, taken.get(max - 1).offset() + 1);
        }
        KafkaBatches.Range range = new KafkaBatches.Range(pick.partition(), taken.get(0).offset(),
                taken.get(taken.size() - 1).offset() + 1);
        batches.record(hook, range, clock.instant());
        return new HookFeed.Read(taken.stream().map(BackboneRecords::entry).toList(), end(range), batchId(range), more);
    }

    /** The batch ending at {@code end} (partition, end offset) is passed: commit the offset, then drop the record. */
    void passed(EventLog.Cursor end) {
        int partition = (int) end.segmentSeq();
        consumer.commitSync(Map.of(new TopicPartition(topic, partition), new OffsetAndMetadata(end.logId())));
        batches.passed(hook, partition, end.logId());
    }

    private String batchId(KafkaBatches.Range range) {
        return EventIds.nameBased("batch\n" + hook + "\nkafka\n" + topic + "\n" + range.partition() + ":"
                + range.from() + "-" + range.end());
    }

    /** A batch's end as the hook's state pins it: the partition as the segment, the end offset as the event. */
    private static EventLog.Cursor end(KafkaBatches.Range range) {
        return new EventLog.Cursor(range.partition(), range.end());
    }

    /** Puts back what a poll returned: the next poll returns it again. */
    private void unread(ConsumerRecords<String, String> records) {
        for (TopicPartition partition : records.partitions()) {
            consumer.seek(partition, records.records(partition).get(0).offset());
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
