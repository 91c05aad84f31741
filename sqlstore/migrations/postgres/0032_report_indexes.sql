-- Report indexes on PostgreSQL (issue 15, docs/deployment.md §17).
--
-- The two indexes by agency (receptions by channel, finishes by verdict)
-- become one. Report 06a counts per agency from it: PostgreSQL reads the
-- whole index in agency order with the period tested in each entry and
-- adds up without hashing, which costs about as much with one index as
-- with the two (measured on 1.6 million dossiers, one backend: 212 + 268
-- against 170 + 292 ms of CPU), for 58 bytes per dossier against about
-- 100 for the two (72 + 86 on a generated province, where updates leave
-- them less full). The drill-down of one agency's receptions or finishes
-- reads it too. SQLite keeps its two (it counts their ranges).
--
-- The two time-ordered indexes and that of the unfinished dossiers carry
-- the dossier's id (INCLUDE: stored, not ordered by), so that "pending at
-- T" — the dossiers received before T and not finished then, with their
-- ids for the replay of their history — is read from indexes alone. Those
-- finished since T were a sequential scan of the table (the planner
-- overestimates the rows, received and finished times being correlated),
-- most of report 06a for a past month; the unfinished ones were fetched
-- from the table one by one (24,525 on 1.6 million dossiers: 98 ms
-- against 18).
DROP INDEX dossiers_agency_received;
DROP INDEX dossiers_agency_finished;
CREATE INDEX dossiers_agency ON dossiers (competent_agency_id, channel, finish_class, ontime_766, received_at, finished_at)
    WHERE received_at IS NOT NULL;
DROP INDEX dossiers_received;
CREATE INDEX dossiers_received ON dossiers (received_at, competent_agency_id, procedure_id, channel, report_flags, finished_at, finish_class, ontime_766, handle_ms)
    INCLUDE (id) WHERE received_at IS NOT NULL;
DROP INDEX dossiers_finished;
CREATE INDEX dossiers_finished ON dossiers (finished_at, competent_agency_id, procedure_id, finish_class, ontime_766, handle_ms, received_at)
    INCLUDE (id) WHERE received_at IS NOT NULL AND finished_at IS NOT NULL;
DROP INDEX dossiers_pending;
CREATE INDEX dossiers_pending ON dossiers (received_at, competent_agency_id, procedure_id, state, due_at, supp_count, supp_last_at, last_event_at, finished_at)
    INCLUDE (id) WHERE received_at IS NOT NULL AND finished_at IS NULL;
