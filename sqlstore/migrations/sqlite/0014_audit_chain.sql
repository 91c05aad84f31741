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
