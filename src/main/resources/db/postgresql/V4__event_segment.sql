-- The events of one file or one sync page, staged while they are read and published in one
-- transaction, are a segment of the event log ("batch" is what a hook sends in one delivery attempt).
-- The names of the tables, columns and index say so. Dead letters keep batch_id: that is the hook
-- batch id of the contract.
ALTER TABLE event_batch RENAME TO event_segment;
ALTER TABLE event_log RENAME COLUMN batch_id TO segment_id;
ALTER INDEX event_log_by_batch RENAME TO event_log_by_segment;
ALTER TABLE hook_state RENAME COLUMN batch_seq TO segment_seq;
ALTER TABLE hook_state RENAME COLUMN pending_batch_seq TO pending_segment_seq;
