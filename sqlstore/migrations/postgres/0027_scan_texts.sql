-- Text read from scans by OCR (issue 11): one row per file read or being
-- read. leased_until is the claim of the instance reading it (so a scan is
-- read once however many instances run the job); read_at 0: not read yet.
-- folded is motcua.SearchText(text), searched word by word (a full-text
-- index of the simple configuration on PostgreSQL). No foreign keys: backup and merge copy tables in their own order.
-- Times are milliseconds since the epoch, UTC.
CREATE TABLE scan_texts (
    file_id      BIGINT PRIMARY KEY,
    dossier_id   BIGINT NOT NULL,
    leased_until BIGINT NOT NULL DEFAULT 0,
    read_at      BIGINT NOT NULL DEFAULT 0,
    text         TEXT   NOT NULL DEFAULT '',
    folded       TEXT   NOT NULL DEFAULT ''
);
CREATE INDEX scan_texts_dossier ON scan_texts (dossier_id);
CREATE INDEX scan_texts_words ON scan_texts USING GIN (to_tsvector('simple', folded));

-- The Art.19(2) metadata of a file as the officer confirmed it (NĐ 118):
-- dates are Vietnam-time days as milliseconds of their midnight, 0 for
-- none.
CREATE TABLE file_metadata (
    file_id       BIGINT PRIMARY KEY,
    dossier_id    BIGINT NOT NULL,
    doc_type      TEXT   NOT NULL,
    number_symbol TEXT   NOT NULL,
    issued_on     BIGINT NOT NULL,
    issuer        TEXT   NOT NULL,
    signer        TEXT   NOT NULL,
    valid_until   BIGINT NOT NULL,
    summary       TEXT   NOT NULL,
    confirmed_by  BIGINT NOT NULL,
    confirmed_at  BIGINT NOT NULL
);
CREATE INDEX file_metadata_dossier ON file_metadata (dossier_id);
