-- The readiness probe's heartbeat: one row, rewritten by every probe, so
-- that /readyz proves that a write reaches the disk (SQLite) or the server
-- (PostgreSQL) instead of only that a read works. It is the instance's
-- state, not the province's: backups and copies leave it out. at is
-- milliseconds since the epoch, UTC.
CREATE TABLE heartbeat (
    id INTEGER PRIMARY KEY,
    at BIGINT  NOT NULL
);
