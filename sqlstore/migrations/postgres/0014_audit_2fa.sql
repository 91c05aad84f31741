-- The audit log's hash chain (see auditchain.go in the root package): one
-- link per sealed entry, or per run of ids that no entry was committed
-- under (gap). A link is keyed by its first id; links are contiguous from
-- id 1. Append-only, like the log it seals (the function comes from 0010).
CREATE TABLE IF NOT EXISTS audit_chain (
    id        BIGINT  PRIMARY KEY,
    last_id   BIGINT  NOT NULL,
    gap       BOOLEAN NOT NULL DEFAULT FALSE,
    hash      TEXT    NOT NULL,
    sealed_at BIGINT  NOT NULL
);
CREATE OR REPLACE TRIGGER audit_chain_no_change BEFORE UPDATE OR DELETE ON audit_chain
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE OR REPLACE TRIGGER audit_chain_no_truncate BEFORE TRUNCATE ON audit_chain
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Two-factor sign-in (TOTP, RFC 6238). The secret is never shown again
-- after enrolment; confirmed is false while an enrolment awaits its first
-- code. last_step is the last time step whose code was accepted: a code is
-- accepted once.
CREATE TABLE IF NOT EXISTS user_totp (
    user_id    BIGINT  PRIMARY KEY REFERENCES users(id),
    secret     TEXT    NOT NULL,
    confirmed  BOOLEAN NOT NULL DEFAULT FALSE,
    last_step  BIGINT  NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL
);
-- One-time recovery codes, as SHA-256 hashes; a used code is deleted.
CREATE TABLE IF NOT EXISTS recovery_codes (
    user_id   BIGINT NOT NULL REFERENCES users(id),
    code_hash TEXT   NOT NULL,
    PRIMARY KEY (user_id, code_hash)
);
-- Half-signed-in browsers: the password was right, the code is awaited.
-- Short-lived; the token lives in the browser's cookie, its hash here.
CREATE TABLE IF NOT EXISTS signin_challenges (
    token_hash TEXT    PRIMARY KEY,
    user_id    BIGINT  NOT NULL REFERENCES users(id),
    enrol      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    user_agent TEXT    NOT NULL DEFAULT '',
    ip         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS signin_challenges_expiry ON signin_challenges (expires_at);
