-- Sessions are found by their user: ending them all when a password is
-- reset, an account locked or its roles changed, and listing a user's own.
-- Written to run again harmlessly (IF NOT EXISTS), as every statement here.
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id, created_at);

-- The access log is append-only: the program never changes or removes an
-- entry, and neither may anything else going through the database
-- (a mistaken statement, a compromised account of the application).
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be deleted');
END;
