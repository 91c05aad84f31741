-- Nothing on PostgreSQL: the SQLite migration of the same number adds the
-- index of the dossiers finished 30 days or more after their reception,
-- which bounds SQLite's search for the dossiers pending at a past moment
-- (sqlstore/pending.go). PostgreSQL keeps its own plan (its indexes are
-- another migration's). The number is kept so that both engines share
-- their schema versions.
SELECT 1;
