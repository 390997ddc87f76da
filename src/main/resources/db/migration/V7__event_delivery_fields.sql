-- What delivery needs beside each event's body, written when the event is accepted so that delivery never parses
-- the body again for it: the profile key (the Kafka record key: the first present of external_id, customer_id,
-- email, phone; NULL when the profile has none) and received_at in epoch milliseconds (for the delivery latency).
-- Both are NULL for events stored before this migration; delivery reads those from the body.
ALTER TABLE event_log ADD COLUMN profile_key VARCHAR;
ALTER TABLE event_log ADD COLUMN received_at_ms BIGINT;
