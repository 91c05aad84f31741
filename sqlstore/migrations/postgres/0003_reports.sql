-- Reports (issue 5): what report 06a and the QĐ 766 index read of each
-- dossier, kept in columns at every change (see motcua.ReportFacts), the
-- appointment after each event, and the live counters.

ALTER TABLE dossiers ADD COLUMN finish_class  TEXT    NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN ontime_766    BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE dossiers ADD COLUMN handle_ms     BIGINT  NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN supp_count    INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN report_flags  INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN last_event_at BIGINT;

ALTER TABLE dossier_events ADD COLUMN due_at BIGINT;

-- A period's receptions and finishes are index range scans that never touch
-- the table rows (covering indexes).
CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags)
    WHERE received_at IS NOT NULL;
CREATE INDEX dossiers_finished ON dossiers (finished_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, received_at)
    WHERE received_at IS NOT NULL AND finished_at IS NOT NULL;
-- Dossiers still pending are found by this one.
CREATE INDEX dossiers_pending ON dossiers (received_at) WHERE received_at IS NOT NULL AND finished_at IS NULL;

-- Live counters per agency and Vietnam-time day (days since 1970-01-01).
-- Received and finished counts are the day's; stock metrics hold changes,
-- a stock at the end of a day being the sum of its changes up to it.
CREATE TABLE stat_counts (
    day       INTEGER NOT NULL,
    agency_id BIGINT  NOT NULL,
    metric    INTEGER NOT NULL,
    n         BIGINT  NOT NULL,
    PRIMARY KEY (day, agency_id, metric)
);
