-- SQLite's copy of db/postgresql/V1__runs_ledger_event_log.sql (the PostgreSQL file stays byte for byte as it was: Flyway checks
-- its checksum on every existing store). Differences: INTEGER PRIMARY KEY AUTOINCREMENT for identity columns
-- (ids ascend and are never reused, as PostgreSQL's); timestamps hold ISO-8601 UTC text of a fixed width (state/StateStore).
-- Runs of imports, with their files, rejected rows and the file ledger.
CREATE TABLE import_run (
    id                    VARCHAR(36)  PRIMARY KEY,
    import_name           VARCHAR(200) NOT NULL,
    kind                  VARCHAR(20)  NOT NULL,
    trigger_kind          VARCHAR(20)  NOT NULL,
    fetch_status          VARCHAR(20)  NOT NULL,
    fetch_started_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    fetch_ended_at        TIMESTAMP WITH TIME ZONE,
    processing_status     VARCHAR(20),
    processing_started_at TIMESTAMP WITH TIME ZONE,
    processing_ended_at   TIMESTAMP WITH TIME ZONE,
    reason                VARCHAR(4000)
);
CREATE INDEX import_run_by_import ON import_run (import_name, fetch_started_at);

CREATE TABLE run_file (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id         VARCHAR(36)   NOT NULL REFERENCES import_run (id),
    file_name      VARCHAR(1000) NOT NULL,
    size_bytes     BIGINT,
    modified_at    BIGINT,
    status         VARCHAR(20)   NOT NULL,
    rows_total     BIGINT        NOT NULL DEFAULT 0,
    rows_processed BIGINT        NOT NULL DEFAULT 0,
    rows_errored   BIGINT        NOT NULL DEFAULT 0,
    rows_warnings  BIGINT        NOT NULL DEFAULT 0,
    reason         VARCHAR(4000),
    started_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    ended_at       TIMESTAMP WITH TIME ZONE
);
CREATE INDEX run_file_by_run ON run_file (run_id, id);

CREATE TABLE rejected_row (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id      VARCHAR(36)   NOT NULL REFERENCES import_run (id),
    run_file_id BIGINT        NOT NULL REFERENCES run_file (id),
    row_number  BIGINT        NOT NULL,
    reason      VARCHAR(4000) NOT NULL,
    raw_line    VARCHAR       NOT NULL
);
CREATE INDEX rejected_row_by_run ON rejected_row (run_id, id);

-- One entry per imported file of an import: claimed when its import starts, kept when it ends.
CREATE TABLE file_ledger (
    import_name VARCHAR(200)  NOT NULL,
    file_name   VARCHAR(1000) NOT NULL,
    size_bytes  BIGINT        NOT NULL,
    modified_at BIGINT        NOT NULL,
    run_file_id BIGINT        NOT NULL REFERENCES run_file (id),
    PRIMARY KEY (import_name, file_name)
);

-- Names and changes reported once, so the error log does not repeat them at every run.
CREATE TABLE reported_file (
    import_name VARCHAR(200)  NOT NULL,
    file_name   VARCHAR(1000) NOT NULL,
    fingerprint VARCHAR(200)  NOT NULL,
    PRIMARY KEY (import_name, file_name, fingerprint)
);

-- The error log of the contract: summary, code, external message, date.
CREATE TABLE error_log (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    source           VARCHAR(200)  NOT NULL,
    summary          VARCHAR(4000) NOT NULL,
    code             VARCHAR(100)  NOT NULL,
    external_message VARCHAR(4000)
);
CREATE INDEX error_log_by_date ON error_log (occurred_at);

-- The durable hand-off between ingestion and delivery. Accepted events are written in batches
-- (a file, later a warehouse page) that stay invisible to hooks until the batch is published;
-- publishing gives the batch the next sequence number under a lock on publish_counter, so batches
-- become visible in sequence order and a hook's cursor never skips one.
CREATE TABLE event_batch (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id       VARCHAR(36) NOT NULL REFERENCES import_run (id),
    status       VARCHAR(20) NOT NULL,
    publish_seq  BIGINT UNIQUE,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    published_at TIMESTAMP WITH TIME ZONE
);

CREATE TABLE event_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id    BIGINT       NOT NULL REFERENCES event_batch (id),
    event_id    VARCHAR(36)  NOT NULL,
    event_type  VARCHAR(64)  NOT NULL,
    body        VARCHAR      NOT NULL
);
CREATE INDEX event_log_by_batch ON event_log (batch_id, id);

CREATE TABLE publish_counter (
    id       INT    PRIMARY KEY,
    last_seq BIGINT NOT NULL
);
INSERT INTO publish_counter (id, last_seq) VALUES (1, 0);

-- Each hook's delivery state: its position over the published batches (the batch sequence and the
-- last event read there), the page being retried (its end, so a retry sends exactly the same events
-- under the same batch id), when the next attempt is due, counts and the last error.
CREATE TABLE hook_state (
    hook               VARCHAR(200) PRIMARY KEY,
    batch_seq          BIGINT       NOT NULL,
    event_log_id       BIGINT       NOT NULL,
    pending_batch_seq  BIGINT,
    pending_log_id     BIGINT,
    pending_events     INT          NOT NULL DEFAULT 0,
    attempts           INT          NOT NULL DEFAULT 0,
    next_attempt_at    TIMESTAMP WITH TIME ZONE,
    delivered          BIGINT       NOT NULL DEFAULT 0,
    dead_lettered      BIGINT       NOT NULL DEFAULT 0,
    last_delivered_at  TIMESTAMP WITH TIME ZONE,
    last_outcome       VARCHAR(20),
    last_error_summary VARCHAR(4000),
    last_error_code    VARCHAR(100),
    last_error_message VARCHAR(4000),
    last_error_at      TIMESTAMP WITH TIME ZONE
);

-- Batches that a hook could not deliver: the hook messages as sent, so a replay sends them again
-- with the same event ids and batch id.
CREATE TABLE dead_letter (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    hook             VARCHAR(200)  NOT NULL,
    batch_id         VARCHAR(36)   NOT NULL,
    payload          VARCHAR       NOT NULL,
    event_count      INT           NOT NULL,
    attempts         INT           NOT NULL,
    error_summary    VARCHAR(4000) NOT NULL,
    error_code       VARCHAR(100)  NOT NULL,
    external_message VARCHAR(4000),
    failed_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    status           VARCHAR(20)   NOT NULL,
    replayed_at      TIMESTAMP WITH TIME ZONE
);
CREATE INDEX dead_letter_by_hook ON dead_letter (hook, status, id);
