package dev.eventrelay.state;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static dev.eventrelay.state.Sql.update;
import static dev.eventrelay.state.StateStore.utc;

/**
 * On the kafka backbone, the batch each hook is sending from each partition of the topic ({@code hook_kafka_batch}):
 * its offsets, recorded before the batch goes out, so that a retry, a restart or another instance that took the
 * partition over forms exactly the same batch again. A hook sends one batch per partition at a time.
 */
public final class KafkaBatches {

    /** The offsets of a batch: from {@code from} up to {@code end}, exclusive. */
    public record Range(int partition, long from, long end) {
    }

    private final StateStore store;

    public KafkaBatches(StateStore store) {
        this.store = store;
    }

    /** The hook's recorded batches, by partition. */
    public Map<Integer, Range> of(String hook) {
        return store.read(c -> {
            Map<Integer, Range> ranges = new TreeMap<>();
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT kafka_partition, from_offset, end_offset FROM hook_kafka_batch WHERE hook = ?")) {
                query.setString(1, hook);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        ranges.put(rows.getInt(1), new Range(rows.getInt(1), rows.getLong(2), rows.getLong(3)));
                    }
                }
            }
            return ranges;
        });
    }

    /** Records the batch the hook is about to send from {@code range.partition()}. */
    public void record(String hook, Range range, Instant now) {
        store.inTransaction(c -> update(c, """
                INSERT INTO hook_kafka_batch (hook, kafka_partition, from_offset, end_offset, recorded_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (hook, kafka_partition)
                DO UPDATE SET from_offset = excluded.from_offset, end_offset = excluded.end_offset,
                  recorded_at = excluded.recorded_at""", hook, range.partition(), range.from(), range.end(), utc(now)));
    }

    /** The batch of {@code partition} is passed (delivered, dead-lettered, or its offsets committed already). */
    public void passed(String hook, int partition, long end) {
        store.inTransaction(c -> update(c,
                "DELETE FROM hook_kafka_batch WHERE hook = ? AND kafka_partition = ? AND end_offset <= ?",
                hook, partition, end));
    }
}
