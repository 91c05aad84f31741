-- Imports from the national database of procedures, kept for review: one
-- run per import, stored whole when its comparison is complete, and one
-- item per procedure compared. data holds the rest of each record (JSON:
-- counts and list differences of a run; diffs, the national record and the
-- review of an item). Times are milliseconds since the epoch, UTC.
CREATE TABLE catalogue_import_runs (
    id          INTEGER PRIMARY KEY,
    started_at  BIGINT  NOT NULL,
    finished_at BIGINT  NOT NULL,
    started_by  BIGINT  NOT NULL,
    data        TEXT    NOT NULL
);

CREATE TABLE catalogue_import_items (
    id      INTEGER PRIMARY KEY,
    run_id  BIGINT  NOT NULL REFERENCES catalogue_import_runs(id),
    seq     INTEGER NOT NULL,
    kind    TEXT    NOT NULL,
    code    TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    data    TEXT    NOT NULL,
    UNIQUE (run_id, seq)
);
CREATE INDEX catalogue_import_items_kind ON catalogue_import_items (run_id, kind, seq);
