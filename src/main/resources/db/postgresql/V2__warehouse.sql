-- Each warehouse sync's position: the change timestamp and the row key of the last row whose page
-- was published (row_key is null when the sync has no unique id: then pages end on a whole
-- change timestamp). Written in the same transaction that publishes the page's events.
CREATE TABLE warehouse_cursor (
    sync_name  VARCHAR(200)  PRIMARY KEY,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    row_key    VARCHAR(4000),
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
