-- SQLite's copy of db/postgresql/V4__event_segment.sql. SQLite (3.25 and later) renames tables and columns and
-- rewrites the references to them; it has no ALTER INDEX, so the index is dropped and made again under its new name.
ALTER TABLE event_batch RENAME TO event_segment;
ALTER TABLE event_log RENAME COLUMN batch_id TO segment_id;
DROP INDEX event_log_by_batch;
CREATE INDEX event_log_by_segment ON event_log (segment_id, id);
ALTER TABLE hook_state RENAME COLUMN batch_seq TO segment_seq;
ALTER TABLE hook_state RENAME COLUMN pending_batch_seq TO pending_segment_seq;
