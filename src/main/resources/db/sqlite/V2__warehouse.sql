-- SQLite's copy of db/postgresql/V2__warehouse.sql (the PostgreSQL file stays byte for byte as it was: Flyway checks
-- its checksum on every existing store). Differences: INTEGER PRIMARY KEY AUTOINCREMENT for identity columns
-- (ids ascend and are never reused, as PostgreSQL's); timestamps hold ISO-8601 UTC text of a fixed width (state/StateStore).
-- Each warehouse sync's position: the change timestamp and the row key of the last row whose page
-- was published (row_key is null when the sync has no unique id: then pages end on a whole
-- change timestamp). Written in the same transaction that publishes the page's events.
CREATE TABLE warehouse_cursor (
    sync_name  VARCHAR(200)  PRIMARY KEY,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    row_key    VARCHAR(4000),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
