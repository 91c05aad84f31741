package motcua

import (
	"context"
	"strconv"
	"time"
)

// DossierFile is a digitized document of a dossier (số hóa): the electronic
// copy of one of its components, or of its result. Its bytes are in the
// BlobStore under BlobKey. The record never changes the dossier's state; a
// validly signed file of a component makes that component digitized.
type DossierFile struct {
	ID        int64 `json:"id"`
	DossierID int64 `json:"dossier_id"`
	// ComponentID is the dossier component the file is a copy of; 0 means
	// the result of the dossier.
	ComponentID int64 `json:"component_id"`
	// Name is the uploaded file's name, cleaned of any path and control
	// characters.
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	// SHA256 is the lowercase hex digest of the bytes.
	SHA256     string    `json:"sha256"`
	BlobKey    string    `json:"-"`
	UploadedBy int64     `json:"uploaded_by"`
	UploadedAt time.Time `json:"uploaded_at"`
	// Signer and SignedAt are the holder and claimed time of the file's
	// last signature when the file was verified valid on storing it;
	// SignedAt is zero for a file without a valid signature. A component
	// is digitized exactly when it has a signed file (NĐ 118
	// Art.17(1)(c)).
	Signer   string    `json:"signer,omitempty"`
	SignedAt time.Time `json:"signed_at,omitzero"`
	// DocCode is the document code of a signed electronic result (mã kết
	// quả), unique, by which anyone may verify it; "" for other files.
	DocCode string `json:"doc_code,omitempty"`
}

// Signed reports whether the file was stored with a valid signature.
func (f *DossierFile) Signed() bool { return !f.SignedAt.IsZero() }

// HistoryFile is a file of a history being imported
// (DossierStore.ImportHistory): File's record is stored right after the
// event with sequence number AfterSeq, where the service would have stored
// it (a scan after the reception, a signed result before its issue_result).
type HistoryFile struct {
	File     *DossierFile
	AfterSeq int
}

// HistoryImport is one dossier of a batch import (DossierStore.
// ImportHistories): the dossier with its final Status, its events in
// order, and its files placed after their events.
type HistoryImport struct {
	Dossier *Dossier
	Events  []Event
	Files   []HistoryFile
}

// ResultComponent is the ComponentID of a dossier's result file.
const ResultComponent int64 = 0

// DossierFileStore keeps the records of dossiers' digitized files.
type DossierFileStore interface {
	// AddDossierFile stores f and sets f.ID.
	AddDossierFile(ctx context.Context, f *DossierFile) error
	// DossierFiles returns a dossier's files, oldest first.
	DossierFiles(ctx context.Context, dossierID int64) ([]*DossierFile, error)
	// DossierFile returns file id of dossier dossierID; ENOTFOUND when the
	// dossier has no such file.
	DossierFile(ctx context.Context, dossierID, id int64) (*DossierFile, error)
	// DossierFileByDocCode returns the result file with document code
	// code; ENOTFOUND when there is none.
	DossierFileByDocCode(ctx context.Context, code string) (*DossierFile, error)
	// SaveDigitized stores d's components (their Digitized flags, derived
	// from its signed files) and d.Status.Report.Flags, leaving its
	// history and state alone. ECONFLICT when the dossier's status moved
	// on (its stored seq is not d.Status.Seq).
	SaveDigitized(ctx context.Context, d *Dossier) error
}

// IDString is the file's id as result_file_ref names it.
func (f *DossierFile) IDString() string { return strconv.FormatInt(f.ID, 10) }
