-- The dossiers held by an agency, open ones only (issue 15, bytes per
-- dossier, docs/deployment.md §17).
--
-- dossiers_holder listed every dossier by the agency holding it: 66 bytes
-- a dossier on a new province (its pages 55 % full: each agency inserts at
-- its own place in it), for the one filter that reads it,
-- DossierFilter.HolderAgencyIDs, which now selects the unfinished dossiers
-- held by an agency (a finished one is settled; its holder column only
-- says who settled it last). About one dossier in fifty of a province is
-- unfinished, so the index now costs a few bytes a dossier, and the
-- update that finishes a dossier no longer inserts into it.
DROP INDEX dossiers_holder;
CREATE INDEX dossiers_holder ON dossiers (holder_agency_id, next_due_at, id) WHERE finished_at IS NULL;

-- dossiers_agency, (competent_agency_id, channel, finish_class, ontime_766,
-- received_at, finished_at), is dropped: 94 bytes a dossier on a new
-- province (its pages 52 % full: a dossier that finishes moves to another
-- place in its agency's range) and one index fewer for every intake and
-- every finishing update to insert into. Its only readers were 06a's
-- receptions and finishes per agency (ReceivedByAgency, FinishedByAgency),
-- which read the whole index and tested the period in each entry; they
-- are now a range of the period in dossiers_received or dossiers_finished,
-- which hold every column they count (index-only either way). Measured in
-- docs/deployment.md §17 ("Bytes per dossier on PostgreSQL, fourth pass").
DROP INDEX dossiers_agency;
