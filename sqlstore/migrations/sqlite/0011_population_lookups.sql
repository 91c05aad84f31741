-- The log of lookups in the national population database: who asked
-- (user, agency), when, for which ID number, why and for which dossier
-- ('' before reception), what came of it, and the answer (JSON, only when
-- found) that a reception may use within minutes through the lookup token,
-- of which only the SHA-256 is kept. dossier_id is set once, when the
-- answer goes into a dossier. Times are milliseconds since the epoch, UTC.
CREATE TABLE population_lookups (
    id           INTEGER PRIMARY KEY,
    at           BIGINT  NOT NULL,
    user_id      BIGINT  NOT NULL,
    agency_id    BIGINT  NOT NULL,
    id_number    TEXT    NOT NULL,
    purpose      TEXT    NOT NULL,
    dossier_code TEXT    NOT NULL,
    outcome      TEXT    NOT NULL,
    citizen      TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL,
    dossier_id   BIGINT  NOT NULL
);
CREATE INDEX population_lookups_id_number ON population_lookups (id_number, id);
CREATE INDEX population_lookups_at ON population_lookups (at);
