-- Citizens signed in through the national single sign-on (DVCQG /
-- VNeID): a kind of session apart from staff sessions, with the verified
-- ID number and name; only the SHA-256 of the token is kept.
CREATE TABLE citizen_sessions (
    token_hash TEXT    PRIMARY KEY,
    id_number  TEXT    NOT NULL,
    full_name  TEXT    NOT NULL,
    level      INTEGER NOT NULL,
    created_at BIGINT  NOT NULL,
    expires_at BIGINT  NOT NULL,
    user_agent TEXT    NOT NULL,
    ip         TEXT    NOT NULL
);
CREATE INDEX citizen_sessions_expires ON citizen_sessions (expires_at);

-- The province's store of personal electronic data (Kho quản lý dữ liệu
-- điện tử của tổ chức, cá nhân, NĐ 118/2025 Art.22): each result motcua
-- issued, with its document type code and number, by owner (the
-- applicant's ID number); one per dossier. pushed_at is when the national
-- store accepted it (NULL until then). Times are milliseconds, UTC.
CREATE TABLE personal_results (
    id             INTEGER PRIMARY KEY,
    id_number      TEXT    NOT NULL,
    dossier_id     BIGINT  NOT NULL UNIQUE,
    dossier_code   TEXT    NOT NULL,
    procedure_code TEXT    NOT NULL,
    procedure_name TEXT    NOT NULL,
    result_code    TEXT    NOT NULL,
    result_name    TEXT    NOT NULL,
    number         TEXT    NOT NULL,
    file_ref       TEXT    NOT NULL,
    agency_code    TEXT    NOT NULL,
    agency_name    TEXT    NOT NULL,
    issued_at      BIGINT  NOT NULL,
    pushed_at      BIGINT
);
CREATE INDEX personal_results_owner ON personal_results (id_number, id);
