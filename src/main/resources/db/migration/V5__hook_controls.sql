-- Hook controls (issue 14). Each hook's state gains what ops and the circuit breaker decide, read from the
-- store on every look so that every instance sharing the store sees it:
-- - paused / paused_at / pause_reason: POST /api/hooks/{name}/pause until .../resume; a paused hook keeps its
--   cursor and sends nothing;
-- - circuit: NULL (closed: attempts as usual), 'Open' (too many failures: one probe per interval) or
--   'Disabled' (the receiver answered 410 Gone: no attempt until ops resume the hook), with its reason and time;
-- - failures / failing_since: consecutive failed attempts and the time of the first of them (reset by a success);
-- - attempt_seq: the sequence of the hook's attempts, the second half of hook_attempt's key.
ALTER TABLE hook_state ADD COLUMN paused BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE hook_state ADD COLUMN paused_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE hook_state ADD COLUMN pause_reason VARCHAR(1000);
ALTER TABLE hook_state ADD COLUMN circuit VARCHAR(20);
ALTER TABLE hook_state ADD COLUMN circuit_reason VARCHAR(4000);
ALTER TABLE hook_state ADD COLUMN circuit_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE hook_state ADD COLUMN failures INT DEFAULT 0 NOT NULL;
ALTER TABLE hook_state ADD COLUMN failing_since TIMESTAMP WITH TIME ZONE;
ALTER TABLE hook_state ADD COLUMN attempt_seq BIGINT DEFAULT 0 NOT NULL;

-- Recent delivery attempts of each hook (GET /api/hooks/{name}/attempts): keyed by hook and a sequence the
-- service computes (hook_state.attempt_seq), no identity column. Only the newest attempts of a hook are kept
-- (the newest 1000).
CREATE TABLE hook_attempt (
    hook         VARCHAR(200)  NOT NULL,
    seq          BIGINT        NOT NULL,
    attempted_at TIMESTAMP WITH TIME ZONE NOT NULL,
    batch_id     VARCHAR(36)   NOT NULL,
    events       INT           NOT NULL,
    outcome      VARCHAR(20)   NOT NULL,
    status       VARCHAR(200),
    duration_ms  BIGINT        NOT NULL,
    answer       VARCHAR(1100),
    test         BOOLEAN       DEFAULT FALSE NOT NULL,
    PRIMARY KEY (hook, seq)
);
