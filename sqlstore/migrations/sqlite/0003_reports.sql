-- Reports (issue 5): what report 06a and the QĐ 766 index read of each
-- dossier, kept in columns at every change (see motcua.ReportFacts), the
-- appointment after each event, and the live counters.

ALTER TABLE dossiers ADD COLUMN finish_class  TEXT    NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN ontime_766    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN handle_ms     BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN supp_count    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN supp_last_at  BIGINT;
ALTER TABLE dossiers ADD COLUMN report_flags  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN last_event_at BIGINT;

ALTER TABLE dossier_events ADD COLUMN due_at BIGINT;

-- Report 06a counts, per agency, the receptions of a period by channel and
-- the finishes by verdict: each count is a range of one of these two
-- indexes, read without touching the rows.
CREATE INDEX dossiers_agency_received ON dossiers (competent_agency_id, channel, received_at)
    WHERE received_at IS NOT NULL;
CREATE INDEX dossiers_agency_finished ON dossiers (competent_agency_id, finish_class, ontime_766, finished_at, received_at)
    WHERE received_at IS NOT NULL AND finished_at IS NOT NULL;
-- The index of QĐ 766 and the dossiers pending at a moment read these
-- (covering) ones by time.
CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at)
    WHERE received_at IS NOT NULL;
CREATE INDEX dossiers_finished ON dossiers (finished_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, received_at)
    WHERE received_at IS NOT NULL AND finished_at IS NOT NULL;
-- The unfinished dossiers are few (those of the last weeks): their index
-- holds all that report 06a reads of them.
CREATE INDEX dossiers_pending ON dossiers (received_at, competent_agency_id, procedure_id, state, due_at, supp_count, supp_last_at, last_event_at, finished_at)
    WHERE received_at IS NOT NULL AND finished_at IS NULL;

-- Live counters (motcua.Rollup): per agency by day, month and year; per
-- agency and procedure by month and year (procedure_id 0 otherwise).
-- Flows count the period's receptions and finishes; stocks hold changes,
-- a stock at the end of a day being the sum of its changes up to it.
CREATE TABLE stat_counts (
    scale        INTEGER NOT NULL,
    metric       INTEGER NOT NULL,
    period       BIGINT  NOT NULL,
    agency_id    BIGINT  NOT NULL,
    procedure_id BIGINT  NOT NULL,
    n            BIGINT  NOT NULL,
    PRIMARY KEY (scale, metric, period, agency_id, procedure_id)
) WITHOUT ROWID;
