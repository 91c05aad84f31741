-- Nothing on PostgreSQL: the SQLite migration of the same number adds the
-- packed index of the reports' one pass (issue 15); PostgreSQL adds the
-- period's receptions up itself with a hash aggregate over
-- dossiers_received. The number is kept so that both engines share their
-- schema versions.
SELECT 1;
