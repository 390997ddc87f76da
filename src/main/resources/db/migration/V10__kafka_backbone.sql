-- The kafka backbone (relay.backbone.kind = kafka): the batch each hook is sending from each partition of the
-- topic, recorded before it goes out, so that a retry, a restart or the instance that takes the partition over
-- reads exactly the same records again (offsets from_offset up to end_offset, exclusive) under the same batch id.
-- The row goes once the consumer group's offset for the partition has passed end_offset.
CREATE TABLE hook_kafka_batch (
    hook            VARCHAR(200) NOT NULL,
    kafka_partition INT          NOT NULL,
    from_offset     BIGINT       NOT NULL,
    end_offset      BIGINT       NOT NULL,
    recorded_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (hook, kafka_partition)
);
