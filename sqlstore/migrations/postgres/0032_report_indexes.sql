-- Report indexes on PostgreSQL (issue 15, docs/deployment.md §17). The
-- four report indexes of dossiers overlapped and took 357 bytes per
-- dossier. Reports on PostgreSQL now read a period from the dossiers in
-- one pass over dossiers_received (sqlstore/periodfacts.go; report 06a
-- too, which counted per agency), so the indexes by agency, whose only
-- other readers are the drill-down pages of one agency (served from the
-- two time-ordered indexes, with the agency tested in the index), go.
-- SQLite keeps them (its report 06a counts index ranges per agency).
-- The two time-ordered indexes carry the dossier's id (INCLUDE: stored,
-- not ordered by), so that "pending at T" — the dossiers received before
-- T and finished since, with their ids for the replay of their history —
-- is read from the index alone: it was a sequential scan of the table
-- (the planner overestimates the rows, received and finished times being
-- correlated), the bulk of report 06a for a past month.
DROP INDEX dossiers_agency_received;
DROP INDEX dossiers_agency_finished;
DROP INDEX dossiers_received;
CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at, finish_class, ontime_766, handle_ms)
    INCLUDE (id) WHERE received_at IS NOT NULL;
DROP INDEX dossiers_finished;
CREATE INDEX dossiers_finished ON dossiers (finished_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, received_at)
    INCLUDE (id) WHERE received_at IS NOT NULL AND finished_at IS NOT NULL;
