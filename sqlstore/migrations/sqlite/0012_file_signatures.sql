-- Signatures of digitized files (NĐ 118 Art.17(1)(c), 19(2), 22): who
-- signed a file validly and when (signed_at 0: no valid signature, so the
-- file does not make its component digitized), and the document code of a
-- signed electronic result, by which anyone may verify it.
ALTER TABLE dossier_files ADD COLUMN doc_code TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier_files ADD COLUMN signer TEXT NOT NULL DEFAULT '';
ALTER TABLE dossier_files ADD COLUMN signed_at BIGINT NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX dossier_files_doc_code ON dossier_files (doc_code) WHERE doc_code <> '';
