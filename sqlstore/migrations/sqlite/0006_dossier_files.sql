-- Digitized files of dossiers (số hóa): one row per uploaded copy of a
-- component (component_id > 0) or of the result (component_id = 0). The
-- bytes are in the document store under blob_key; sha256 is their hex
-- digest. Times are milliseconds since the epoch, UTC.
CREATE TABLE dossier_files (
    id           INTEGER PRIMARY KEY,
    dossier_id   BIGINT  NOT NULL REFERENCES dossiers(id),
    component_id BIGINT  NOT NULL,
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         BIGINT  NOT NULL,
    sha256       TEXT    NOT NULL,
    blob_key     TEXT    NOT NULL,
    uploaded_by  BIGINT  NOT NULL,
    uploaded_at  BIGINT  NOT NULL
);
CREATE INDEX dossier_files_dossier ON dossier_files (dossier_id, id);
