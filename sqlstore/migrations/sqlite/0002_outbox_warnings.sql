-- The durable outbox and the deadline warnings (issue 4). Both are written
-- in the transaction of the change that causes them; uniqueness makes the
-- scheduler's work happen once per item whatever the number of instances.

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    topic           TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    created_at      BIGINT  NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT  NOT NULL,
    leased_until    BIGINT  NOT NULL DEFAULT 0,
    delivered_at    BIGINT,
    failed_at       BIGINT,
    last_error      TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX outbox_pending ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_failed  ON outbox (failed_at) WHERE failed_at IS NOT NULL;

CREATE TABLE deadline_warnings (
    dossier_id       BIGINT NOT NULL REFERENCES dossiers(id),
    kind             TEXT   NOT NULL,
    due_at           BIGINT NOT NULL,
    code             TEXT   NOT NULL,
    holder_agency_id BIGINT NOT NULL,
    at               BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, kind, due_at)
);
CREATE INDEX deadline_warnings_at ON deadline_warnings (at);

-- The warning job looks for unfinished dossiers by appointment.
CREATE INDEX dossiers_due ON dossiers (due_at) WHERE finished_at IS NULL;
