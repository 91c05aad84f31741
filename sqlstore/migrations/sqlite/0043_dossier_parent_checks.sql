-- Nothing on SQLite: the PostgreSQL migration of the same number checks
-- the dossiers' keys to agencies, procedures and reception points once a
-- statement instead of once a row; SQLite's foreign keys are checked in
-- the writing process, without a query each, and stay. The number is kept
-- so that both engines share their schema versions.
SELECT 1;
