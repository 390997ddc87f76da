-- Retention (state/Retention) deletes runs only when no segment of the event log and no file ledger entry points
-- at them: these two indexes let it ask that without reading the whole table. Plain CREATE INDEX, which every
-- dialect of the store runs.
CREATE INDEX event_segment_by_run ON event_segment (run_id);
CREATE INDEX file_ledger_by_run_file ON file_ledger (run_file_id);
-- Delivered dead letters are deleted by the date of their replay.
CREATE INDEX dead_letter_by_status ON dead_letter (status, replayed_at);
