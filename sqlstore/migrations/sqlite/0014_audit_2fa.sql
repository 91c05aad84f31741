-- The audit log's hash chain (see auditchain.go in the root package): one
-- link per sealed entry, or per run of ids that no entry was committed
-- under (gap = 1). A link is keyed by its first id; links are contiguous
-- from id 1. Append-only, like the log it seals.
CREATE TABLE IF NOT EXISTS audit_chain (
    id        INTEGER PRIMARY KEY,
    last_id   BIGINT  NOT NULL,
    gap       INTEGER NOT NULL DEFAULT 0,
    hash      TEXT    NOT NULL,
    sealed_at BIGINT  NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain is append-only: links cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'audit_chain is append-only: links cannot be deleted');
END;

-- Two-factor sign-in (TOTP, RFC 6238). The secret is never shown again
-- after enrolment; confirmed = 0 while an enrolment awaits its first code.
-- last_step is the last time step whose code was accepted: a code is
-- accepted once.
CREATE TABLE IF NOT EXISTS user_totp (
    user_id    INTEGER PRIMARY KEY REFERENCES users(id),
    secret     TEXT    NOT NULL,
    confirmed  INTEGER NOT NULL DEFAULT 0,
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
    enrol      INTEGER NOT NULL DEFAULT 0,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    user_agent TEXT    NOT NULL DEFAULT '',
    ip         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS signin_challenges_expiry ON signin_challenges (expires_at);
