package sqlstore

import (
	"time"

	"github.com/motcua/motcua"
)

const fileColumns = `id, dossier_id, component_id, name, content_type, size, sha256, blob_key, uploaded_by, uploaded_at, doc_code, signer, signed_at`

// fileInsertColumns are the columns a file's record is written with, in
// the order fileValues gives them (AddDossierFile, ImportHistories).
var fileInsertColumns = []string{"dossier_id", "component_id", "name", "content_type", "size", "sha256", "blob_key", "uploaded_by",
	"uploaded_at", "doc_code", "signer", "signed_at"}

var insertFile = insertInto("dossier_files", fileInsertColumns)

// fileValues are the values of f's record, in the order of
// fileInsertColumns.
func fileValues(f *motcua.DossierFile) []any {
	var signedAt int64
	if f.Signed() {
		signedAt = f.SignedAt.UnixMilli()
	}
	return []any{f.DossierID, f.ComponentID, f.Name, f.ContentType, f.Size, f.SHA256, f.BlobKey, f.UploadedBy, f.UploadedAt.UnixMilli(),
		f.DocCode, f.Signer, signedAt}
}

// AddDossierFile implements motcua.DossierFileStore.
func (t *tx) AddDossierFile(_ ctxT, f *motcua.DossierFile) error {
	id, err := t.insert(insertFile, fileValues(f)...)
	if err != nil {
		return conflict(err, "doc_code_taken", "Mã kết quả "+f.DocCode+" đã được dùng cho một tài liệu khác.")
	}
	f.ID = id
	return nil
}

func scanFile(sc interface{ Scan(...any) error }) (*motcua.DossierFile, error) {
	var f motcua.DossierFile
	var at, signedAt int64
	if err := sc.Scan(&f.ID, &f.DossierID, &f.ComponentID, &f.Name, &f.ContentType, &f.Size, &f.SHA256, &f.BlobKey, &f.UploadedBy, &at,
		&f.DocCode, &f.Signer, &signedAt); err != nil {
		return nil, err
	}
	f.UploadedAt = time.UnixMilli(at).UTC()
	if signedAt != 0 {
		f.SignedAt = time.UnixMilli(signedAt).UTC()
	}
	return &f, nil
}

// DossierFiles implements motcua.DossierFileStore.
func (t *tx) DossierFiles(_ ctxT, dossierID int64) ([]*motcua.DossierFile, error) {
	rows, err := t.query(`SELECT `+fileColumns+` FROM dossier_files WHERE dossier_id = ? ORDER BY id`, dossierID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanFiles(rows)
}

// scanFiles reads the files of rows (fileColumns).
func scanFiles(rows rowsScanner) ([]*motcua.DossierFile, error) {
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

// DossierFileByDocCode implements motcua.DossierFileStore.
func (t *tx) DossierFileByDocCode(_ ctxT, code string) (*motcua.DossierFile, error) {
	if code == "" {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "file_not_found", "Không tìm thấy kết quả có mã đã nhập.")
	}
	row, err := t.queryRow(`SELECT `+fileColumns+` FROM dossier_files WHERE doc_code = ?`, code)
	if err != nil {
		return nil, err
	}
	f, err := scanFile(row)
	if err != nil {
		return nil, notFound(err, "file_not_found", "Không tìm thấy kết quả có mã đã nhập.")
	}
	return f, nil
}

// SaveDigitized implements motcua.DossierFileStore.
func (t *tx) SaveDigitized(ctx ctxT, d *motcua.Dossier) error {
	cur, err := t.Dossier(ctx, d.ID)
	if err != nil {
		return err
	}
	if cur.Status.Seq != d.Status.Seq {
		return motcua.Errorf(motcua.ECONFLICT, "dossier_changed", "Hồ sơ vừa được người khác cập nhật; vui lòng tải lại rồi thực hiện lại.")
	}
	// Only the digitized flags come from d; everything else of the facts
	// is kept as stored.
	for i := range cur.Components {
		for _, c := range d.Components {
			if c.ComponentID == cur.Components[i].ComponentID {
				cur.Components[i].Digitized = c.Digitized
			}
		}
	}
	// The whole facts document is written again, lookup secret included
	// (before encodeFacts, this write left the secret out).
	facts, err := encodeFacts(cur)
	if err != nil {
		return err
	}
	_, err = t.exec(`UPDATE dossiers SET facts = ?, report_flags = ? WHERE id = ? AND seq = ?`,
		facts, int64(d.Status.Report.Flags), d.ID, d.Status.Seq)
	return err
}
