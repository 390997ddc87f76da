-- SQLite's copy of db/postgresql/V3__import_state.sql (the PostgreSQL file stays byte for byte as it was: Flyway checks
-- its checksum on every existing store). Differences: INTEGER PRIMARY KEY AUTOINCREMENT for identity columns
-- (ids ascend and are never reused, as PostgreSQL's); timestamps hold ISO-8601 UTC text of a fixed width (state/StateStore).
-- What ops decided about an import or a warehouse sync (both are imports in the ops API): paused by
-- POST /api/imports/{name}/pause until POST .../resume. Kept here so a pause survives a restart and
-- holds for every instance that shares the store. A row exists once the import was first paused.
CREATE TABLE import_state (
    import_name VARCHAR(200)  PRIMARY KEY,
    paused      BOOLEAN       NOT NULL,
    paused_at   TIMESTAMP WITH TIME ZONE,
    reason      VARCHAR(1000),
    changed_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
