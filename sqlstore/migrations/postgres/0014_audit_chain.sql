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
