-- Inboxes: whom each unfinished dossier waits on (motcua.DutiesOf): a role
-- at an agency (user_id 0), or one person at an agency the work was
-- assigned to (role ''). One row per duty, kept with the dossier's
-- next_due_at at every change, so that an officer's inbox is one index
-- range scan per duty, already in deadline order. The rows of dossiers
-- open before this migration are written by the program right after it
-- (sqlstore/migrate_work.go).
CREATE TABLE dossier_work (
    agency_id   BIGINT NOT NULL,
    role        TEXT   NOT NULL,
    user_id     BIGINT NOT NULL,
    next_due_at BIGINT NOT NULL,
    dossier_id  BIGINT NOT NULL REFERENCES dossiers(id),
    PRIMARY KEY (agency_id, role, user_id, next_due_at, dossier_id)
) WITHOUT ROWID;
CREATE INDEX dossier_work_dossier ON dossier_work (dossier_id);
