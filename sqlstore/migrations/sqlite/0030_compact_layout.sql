-- Bytes per dossier (issue 15, docs/deployment.md §17). The facts
-- documents no longer repeat the applicant's ID number and name (the
-- columns applicant_id_number and applicant_name hold them) nor a stored
-- fee's paid flags (always false: payments are rows of their own). The
-- rewrite is done by the program right after this file (compactFacts in
-- sqlstore/facts.go), on both engines. The rest of PostgreSQL's migration
-- 0030 (the events' column order and indexes) has nothing to gain on
-- SQLite, whose rows have no alignment padding and whose integers are
-- variable-length.
SELECT 1;
