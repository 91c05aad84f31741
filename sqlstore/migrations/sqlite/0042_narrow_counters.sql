-- Nothing on SQLite: the PostgreSQL migration of the same number stores
-- the live counters' keys as SMALLINT and INTEGER; SQLite stores small
-- integers in a few bytes already. The number is kept so that both
-- engines share their schema versions.
SELECT 1;
