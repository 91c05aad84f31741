-- Sessions are found by their user: ending them all when a password is
-- reset, an account locked or its roles changed, and listing a user's own.
-- Written to run again harmlessly (IF NOT EXISTS, OR REPLACE), as every
-- statement here.
CREATE INDEX IF NOT EXISTS sessions_user ON sessions (user_id, created_at);

-- The access log is append-only: the program never changes or removes an
-- entry, and neither may anything else going through the database
-- (a mistaken statement, a compromised account of the application). Only
-- the owner of the table, dropping the trigger on purpose, can.
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: entries cannot be changed or deleted';
END
$$;
CREATE OR REPLACE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
