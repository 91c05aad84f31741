-- The dossiers pending at a past moment T (reports 06a and QĐ 766 for a
-- past period: those carried over into it and those pending at its end)
-- are the unfinished ones received before T and those received before T
-- and finished since. Found from the receptions, the latter meant reading
-- every reception before T (1.2 million on a 1.6-million-dossier year for
-- the end of September) to keep the 25,000 finished since. Most
-- dossiers finish within 30 days: those found among the receptions of the
-- 30 days before T; this index holds the others (finished 30 days or more
-- after their reception: 3 % of the dossiers of a generated year), so the
-- read is bounded by 30 days of receptions plus the long dossiers finished
-- since T, which for the recent periods reports are asked for is a few.
-- sqlstore/pending.go (longDossierSQL) writes the same condition,
-- character for character, so that the planner can use the index.
CREATE INDEX dossiers_long ON dossiers (finished_at, received_at, competent_agency_id, procedure_id)
    WHERE received_at IS NOT NULL AND finished_at IS NOT NULL AND finished_at - received_at >= 2592000000;
