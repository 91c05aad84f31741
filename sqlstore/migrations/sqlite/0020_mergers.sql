-- Mergers of agencies inside one database (issue 14). A merger moves the
-- predecessors' staff roles, reception points, procedures and open
-- dossiers to the successor in one transaction; merger_moves logs every
-- row it moved so that an undo restores exactly the previous assignment.
-- agency_successors holds the "merged into" link of each inactive agency.
-- Times are milliseconds since the epoch, UTC. data is the merger as JSON
-- (predecessors, decision, the successor's former code).
CREATE TABLE mergers (
    id           INTEGER PRIMARY KEY,
    successor_id BIGINT  NOT NULL REFERENCES agencies(id),
    effective_at BIGINT  NOT NULL,
    created_by   BIGINT  NOT NULL,
    created_at   BIGINT  NOT NULL,
    undone_by    BIGINT  NOT NULL DEFAULT 0,
    undone_at    BIGINT,
    data         TEXT    NOT NULL
);

CREATE TABLE merger_moves (
    merger_id      BIGINT  NOT NULL REFERENCES mergers(id),
    seq            INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    row_id         BIGINT  NOT NULL,
    role           TEXT    NOT NULL DEFAULT '',
    from_agency_id BIGINT  NOT NULL,
    to_agency_id   BIGINT  NOT NULL,
    ref            BIGINT  NOT NULL DEFAULT 0,
    reception_from BIGINT  NOT NULL DEFAULT 0,
    reception_to   BIGINT  NOT NULL DEFAULT 0,
    holder_from    BIGINT  NOT NULL DEFAULT 0,
    holder_to      BIGINT  NOT NULL DEFAULT 0,
    PRIMARY KEY (merger_id, seq)
);
-- The reports' "as they were" view reads the moved dossiers.
CREATE INDEX merger_moves_kind ON merger_moves (kind, row_id);

CREATE TABLE agency_successors (
    agency_id    BIGINT PRIMARY KEY REFERENCES agencies(id),
    successor_id BIGINT NOT NULL REFERENCES agencies(id),
    merger_id    BIGINT NOT NULL REFERENCES mergers(id),
    effective_at BIGINT NOT NULL
);
