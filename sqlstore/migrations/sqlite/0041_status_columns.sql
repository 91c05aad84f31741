-- The dossier's appraiser and its result's number as columns (issue 15,
-- bytes per dossier): nearly every dossier has both, and as keys of the
-- status document they took 42 of its 63 bytes on a generated province
-- (sqlstore/compact.go, statusExtra). The program moves them out of the
-- documents after this file (moveStatusColumns).
ALTER TABLE dossiers ADD COLUMN appraiser_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE dossiers ADD COLUMN result_number TEXT NOT NULL DEFAULT '';
