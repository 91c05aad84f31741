-- The inbox's filters on the inbox rows (issue 15, docs/deployment.md §17).
--
-- An inbox filtered by state, procedure or channel read its duty's whole
-- range of dossier_work and looked every row's dossier up to test the
-- filter: the reception office of the busiest agency of a 1.6-million-
-- dossier province waits on 11,358 dossiers, and a state it holds none of
-- read them all to show nothing (about 20 ms). The rows now carry what the
-- filters test — the dossier's state (written with the rows at every
-- change, sqlstore/dossier.go saveDuties), its procedure and channel
-- (which never change) — and two indexes make a page filtered by state or
-- by procedure one range read in deadline order, cut at the page. Their
-- trailing columns answer the other filters from the index itself. A
-- channel (three values, each a large share of any inbox) is tested on
-- the rows of the primary-key range, without a dossier look-up.
ALTER TABLE dossier_work ADD COLUMN state TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier_work ADD COLUMN procedure_id BIGINT NOT NULL DEFAULT 0;
ALTER TABLE dossier_work ADD COLUMN channel INTEGER NOT NULL DEFAULT 0;
UPDATE dossier_work SET state = d.state, procedure_id = d.procedure_id, channel = d.channel
    FROM dossiers d WHERE d.id = dossier_work.dossier_id;
CREATE INDEX dossier_work_state ON dossier_work (agency_id, role, user_id, state, next_due_at, dossier_id, procedure_id, channel);
CREATE INDEX dossier_work_procedure ON dossier_work (agency_id, role, user_id, procedure_id, next_due_at, dossier_id, state, channel);
-- The planner needs the new columns' statistics at once: without them a
-- channel filter of a busy office took 14–20 ms instead of 5 (measured on
-- the 1.6 M copy before and after ANALYZE).
ANALYZE dossier_work;
