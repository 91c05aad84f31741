-- The dossiers held by an agency, open ones only, as on PostgreSQL (see the
-- PostgreSQL migration of the same number): DossierFilter.HolderAgencyIDs
-- selects unfinished dossiers, and the index lists only those.
DROP INDEX dossiers_holder;
CREATE INDEX dossiers_holder ON dossiers (holder_agency_id, next_due_at, id) WHERE finished_at IS NULL;
