package sqlstore

import (
	"time"

	"github.com/motcua/motcua"
)

const fileColumns = `id, dossier_id, component_id, name, content_type, size, sha256, blob_key, uploaded_by, uploaded_at`

// AddDossierFile implements motcua.DossierFileStore.
func (t *tx) AddDossierFile(_ ctxT, f *motcua.DossierFile) error {
	id, err := t.insert(`INSERT INTO dossier_files (dossier_id, component_id, name, content_type, size, sha256, blob_key, uploaded_by, uploaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.DossierID, f.ComponentID, f.Name, f.ContentType, f.Size, f.SHA256, f.BlobKey, f.UploadedBy, f.UploadedAt.UnixMilli())
	if err != nil {
		return err
	}
	f.ID = id
	return nil
}

func scanFile(sc interface{ Scan(...any) error }) (*motcua.DossierFile, error) {
	var f motcua.DossierFile
	var at int64
	if err := sc.Scan(&f.ID, &f.DossierID, &f.ComponentID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.BlobKey, &f.UploadedBy, &at); err != nil {
		return nil, err
	}
	f.UploadedAt = time.UnixMilli(at).UTC()
	return &f, nil
}

// DossierFiles implements motcua.DossierFileStore.
func (t *tx) DossierFiles(_ ctxT, dossierID int64) ([]*motcua.DossierFile, error) {
	rows, err := t.query(`SELECT `+fileColumns+` FROM dossier_files WHERE dossier_id = ? ORDER BY id`, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.DossierFile
	for rows.Next() {
		f, err := scanFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// DossierFile implements motcua.DossierFileStore.
func (t *tx) DossierFile(_ ctxT, dossierID, id int64) (*motcua.DossierFile, error) {
	row, err := t.queryRow(`SELECT `+fileColumns+` FROM dossier_files WHERE dossier_id = ? AND id = ?`, dossierID, id)
	if err != nil {
		return nil, err
	}
	f, err := scanFile(row)
	if err != nil {
		return nil, notFound(err, "file_not_found", "Không tìm thấy tài liệu điện tử.")
	}
	return f, nil
}
