package motcua

import (
	"context"
	"strings"
	"time"
)

// ScanClaim is the answer to a claim on reading one scan's text.
type ScanClaim int

// Claims on reading a scan.
const (
	// ScanClaimed: the caller reads the scan now, until its lease ends.
	ScanClaimed ScanClaim = iota + 1
	// ScanAlreadyRead: the text is stored; nothing is to be read again.
	ScanAlreadyRead
	// ScanBusy: another reader holds the scan until its lease ends.
	ScanBusy
)

// ScanText is the text read from one stored scan (OCR), kept so that
// scans can be searched; it is a proposal, never a record of its own.
type ScanText struct {
	FileID    int64
	DossierID int64
	Text      string
	ReadAt    time.Time
}

// ScanSearch asks for the scans whose text holds every word of Words.
type ScanSearch struct {
	// Words are SearchWords of the query: each must be a word of the
	// scan's folded text.
	Words []string
	// AgencyIDs bounds the search to dossiers received at, competent at
	// or held by one of these agencies; AllAgencies lifts the bound.
	AgencyIDs   []int64
	AllAgencies bool
	// Limit (1–100) and Offset page the hits, newest scan first.
	Limit, Offset int
}

// ScanHit is one scan found by a ScanSearch.
type ScanHit struct {
	DossierID   int64
	DossierCode string
	FileID      int64
	FileName    string
	Text        string
}

// ConfirmedMetadata is the Art.19(2) metadata of one file as an officer
// confirmed it (never a proposal read by OCR alone).
type ConfirmedMetadata struct {
	FileID    int64 `json:"file_id"`
	DossierID int64 `json:"-"`
	DocumentMetadata
	ConfirmedBy int64     `json:"confirmed_by"`
	ConfirmedAt time.Time `json:"confirmed_at"`
}

// ScanTextStore keeps the text read from scans and the metadata officers
// confirmed of files.
type ScanTextStore interface {
	// ClaimScanRead claims the reading of file fileID of dossier
	// dossierID at now until until: ScanClaimed when no text is stored and
	// no other claim runs, else ScanAlreadyRead or ScanBusy. Two claims
	// never both get ScanClaimed while the first one's lease runs.
	ClaimScanRead(ctx context.Context, fileID, dossierID int64, now, until time.Time) (ScanClaim, error)
	// SaveScanText stores the text read from a claimed scan (and its
	// search form, SearchText(t.Text)), ending the claim.
	SaveScanText(ctx context.Context, t *ScanText) error
	// ReleaseScanRead ends a claim whose reading failed, so that it may be
	// claimed again at once.
	ReleaseScanRead(ctx context.Context, fileID int64) error
	// StoredScanText returns the text read from file fileID; ENOTFOUND
	// when none is stored yet.
	StoredScanText(ctx context.Context, fileID int64) (*ScanText, error)
	// SearchScans returns the hits of q (at most q.Limit) and whether more
	// follow.
	SearchScans(ctx context.Context, q ScanSearch) ([]*ScanHit, bool, error)
	// SaveFileMetadata stores (or replaces) the confirmed metadata of
	// m.FileID.
	SaveFileMetadata(ctx context.Context, m *ConfirmedMetadata) error
	// FileMetadata returns the confirmed metadata of the dossier's files,
	// by file id.
	FileMetadata(ctx context.Context, dossierID int64) (map[int64]*ConfirmedMetadata, error)
}

// SearchText is the form of a scan's text (or of a query) that scans are
// searched by: Fold, with '.' and '-' also separating words, so that
// "12/QĐ-UBND" holds the words "12", "qd" and "ubnd" whichever database
// indexes it.
func SearchText(s string) string {
	return strings.Join(SearchWords(s), " ")
}

// SearchWords are the words of SearchText(s), in order.
func SearchWords(s string) []string {
	return strings.FieldsFunc(Fold(s), func(r rune) bool { return r == ' ' || r == '.' || r == '-' })
}
