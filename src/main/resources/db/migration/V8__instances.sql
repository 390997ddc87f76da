-- Instances of one store (issue 13). Each instance has a lease here that it renews every third of its length
-- (state/Instances): an instance is live while expires_at is after the reader's now. A graceful stop deletes
-- the row; an instance that died leaves it to expire. Times are bound by the service (never NOW()).
CREATE TABLE relay_instance (
    id            VARCHAR(200)  PRIMARY KEY,
    host          VARCHAR(255)  NOT NULL,
    pid           BIGINT        NOT NULL,
    started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    renewed_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    lease_seconds INT           NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The instance that executes a run (and so owns its file claims, its staged segments and a sync's page).
-- NULL for runs recorded before this migration: they count as abandoned at the next start.
ALTER TABLE import_run ADD COLUMN owner_instance VARCHAR(200);

-- One run of an import or a sync under way at a time, across every instance: a second insert of an active run
-- of the same import fails, and the service answers it as the refusal "run … is still …". Uploads run beside
-- other runs and are left out; so are runs without an owner (recorded before this migration, failed at start).
CREATE UNIQUE INDEX import_run_one_under_way ON import_run (import_name)
    WHERE owner_instance IS NOT NULL AND kind <> 'upload'
      AND (fetch_status = 'Fetching' OR processing_status = 'Processing');
