-- Reports from the dossiers in one pass (issue 15): a period's receptions
-- are read from dossiers_received, which now also holds what a finish adds
-- (finish_class, ontime_766, handle_ms), so that the finishes of the
-- dossiers received in the period come from the same index entries and
-- need no second pass over dossiers_finished. The index keeps its name and
-- its leading columns: every query that used it still can.
DROP INDEX dossiers_received;
CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at, finish_class, ontime_766, handle_ms)
    WHERE received_at IS NOT NULL;
