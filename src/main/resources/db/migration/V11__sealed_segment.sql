-- The kafka backbone: a segment (a file's events, a sync page's) whose Kafka transaction is about to be committed.
-- The row is written in its own store transaction just before that commit, with the position of one record of the
-- transaction, and deleted by the store transaction after it, the one that records the file imported or moves the
-- sync's cursor to the page's end. A row left behind means the instance stopped between the two: the instance that
-- takes the run over asks Kafka whether the record at kafka_partition / kafka_offset was committed and, when it was,
-- records what that second transaction would have recorded (state/SealedSegments).
CREATE TABLE sealed_segment (
    run_file_id       BIGINT       PRIMARY KEY,
    run_id            VARCHAR(36)  NOT NULL,
    writer            VARCHAR(300) NOT NULL,
    kafka_partition   INT          NOT NULL,
    kafka_offset      BIGINT       NOT NULL,
    sync_name         VARCHAR(200),
    cursor_changed_at TIMESTAMP WITH TIME ZONE,
    cursor_row_key    VARCHAR(4000),
    sealed_at         TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX sealed_segment_run ON sealed_segment (run_id);
