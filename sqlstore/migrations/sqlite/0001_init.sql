-- Initial schema. Times are BIGINT milliseconds since the Unix epoch (UTC);
-- NULL means "not set". Booleans are INTEGER 0/1. JSON documents hold the
-- parts of an aggregate that are read whole; columns hold what is queried.

CREATE TABLE agencies (
    id        INTEGER PRIMARY KEY,
    code      TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    level     TEXT    NOT NULL,
    kind      TEXT    NOT NULL,
    parent_id BIGINT  REFERENCES agencies(id),
    address   TEXT    NOT NULL DEFAULT '',
    phone     TEXT    NOT NULL DEFAULT '',
    one_stop  INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE reception_points (
    id        INTEGER PRIMARY KEY,
    agency_id BIGINT  NOT NULL REFERENCES agencies(id),
    code      TEXT    NOT NULL UNIQUE,
    name      TEXT    NOT NULL,
    address   TEXT    NOT NULL DEFAULT ''
);

CREATE TABLE procedures (
    id          INTEGER PRIMARY KEY,
    code        TEXT    NOT NULL DEFAULT '',
    name        TEXT    NOT NULL,
    search_text TEXT    NOT NULL,
    level       TEXT    NOT NULL,
    field_code  TEXT    NOT NULL DEFAULT '',
    agency_id   BIGINT  NOT NULL DEFAULT 0,
    published   INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    data        TEXT    NOT NULL,
    updated_at  BIGINT  NOT NULL
);
CREATE UNIQUE INDEX procedures_code ON procedures (code) WHERE code <> '';

CREATE TABLE procedure_versions (
    procedure_id BIGINT  NOT NULL REFERENCES procedures(id),
    version      INTEGER NOT NULL,
    data         TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    PRIMARY KEY (procedure_id, version)
);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT    NOT NULL UNIQUE,
    full_name     TEXT    NOT NULL,
    email         TEXT    NOT NULL DEFAULT '',
    phone         TEXT    NOT NULL DEFAULT '',
    title         TEXT    NOT NULL DEFAULT '',
    disabled      INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT    NOT NULL DEFAULT '',
    created_at    BIGINT  NOT NULL
);

CREATE TABLE user_grants (
    user_id   BIGINT NOT NULL REFERENCES users(id),
    agency_id BIGINT NOT NULL REFERENCES agencies(id),
    role      TEXT   NOT NULL,
    PRIMARY KEY (user_id, agency_id, role)
);
CREATE INDEX user_grants_agency ON user_grants (agency_id, role);

CREATE TABLE sessions (
    token_hash TEXT   PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    user_agent TEXT   NOT NULL DEFAULT '',
    ip         TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE dossiers (
    id                  INTEGER PRIMARY KEY,
    code                TEXT    NOT NULL UNIQUE,
    procedure_id        BIGINT  NOT NULL REFERENCES procedures(id),
    procedure_version   INTEGER NOT NULL,
    procedure_code      TEXT    NOT NULL,
    procedure_name      TEXT    NOT NULL,
    channel             INTEGER NOT NULL,
    reception_point_id  BIGINT  NOT NULL REFERENCES reception_points(id),
    reception_agency_id BIGINT  NOT NULL REFERENCES agencies(id),
    competent_agency_id BIGINT  NOT NULL REFERENCES agencies(id),
    applicant_id_number TEXT    NOT NULL,
    applicant_name      TEXT    NOT NULL,
    verifier            TEXT    NOT NULL,
    facts               TEXT    NOT NULL,
    created_at          BIGINT  NOT NULL,
    -- The status derived from the events, kept for queries.
    state               TEXT    NOT NULL,
    step                INTEGER NOT NULL,
    holder_agency_id    BIGINT  NOT NULL,
    assignee_id         BIGINT  NOT NULL DEFAULT 0,
    submitted_at        BIGINT,
    received_at         BIGINT,
    clock_start_at      BIGINT,
    due_at              BIGINT,
    step_due_at         BIGINT,
    action_due_at       BIGINT,
    finished_at         BIGINT,
    returned_at         BIGINT,
    next_due_at         BIGINT  NOT NULL,
    seq                 INTEGER NOT NULL,
    status              TEXT    NOT NULL
);
-- Every index costs each intake a B-tree update: only what a screen or a
-- job queries is indexed (inboxes, lists by procedure and by person, the
-- closing job); reports add their own.
CREATE INDEX dossiers_holder    ON dossiers (holder_agency_id, next_due_at, id);
CREATE INDEX dossiers_procedure ON dossiers (procedure_id, created_at);
CREATE INDEX dossiers_applicant ON dossiers (applicant_id_number);
CREATE INDEX dossiers_waiting   ON dossiers (action_due_at) WHERE state = 'awaiting_supplement';

CREATE TABLE dossier_events (
    id             INTEGER PRIMARY KEY,
    dossier_id     BIGINT  NOT NULL REFERENCES dossiers(id),
    seq            INTEGER NOT NULL,
    action         TEXT    NOT NULL,
    at             BIGINT  NOT NULL,
    actor_id       BIGINT  NOT NULL,
    actor_agency_id BIGINT NOT NULL,
    from_state     TEXT    NOT NULL,
    to_state       TEXT    NOT NULL,
    from_agency_id BIGINT  NOT NULL,
    to_agency_id   BIGINT  NOT NULL,
    timeliness     TEXT    NOT NULL DEFAULT '',
    data           TEXT    NOT NULL,
    UNIQUE (dossier_id, seq)
);

CREATE TABLE code_counters (
    key TEXT    PRIMARY KEY,
    n   INTEGER NOT NULL
);

CREATE TABLE idempotency_keys (
    user_id      BIGINT NOT NULL,
    key          TEXT   NOT NULL,
    request_hash TEXT   NOT NULL,
    dossier_id   BIGINT NOT NULL REFERENCES dossiers(id),
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (user_id, key)
);

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         BIGINT  NOT NULL,
    user_id    BIGINT  NOT NULL,
    action     TEXT    NOT NULL,
    dossier_id BIGINT  NOT NULL DEFAULT 0,
    detail     TEXT    NOT NULL DEFAULT '',
    ip         TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_dossier ON audit_log (dossier_id, at);
CREATE INDEX audit_log_user    ON audit_log (user_id, at);

CREATE TABLE calendar_years (
    year       INTEGER PRIMARY KEY,
    data       TEXT    NOT NULL,
    updated_by BIGINT  NOT NULL,
    updated_at BIGINT  NOT NULL
);
