package motcua

import (
	"context"
	"strings"
	"time"
)

// PersonalResult is a result motcua issued, kept in the province's store
// of personal electronic data (Kho quản lý dữ liệu điện tử của tổ chức, cá
// nhân, NĐ 118/2025 Art.22(3),(4)) with its document code, so that the
// citizen sees it, the next procedure reuses it, and the national store
// receives it.
type PersonalResult struct {
	ID            int64     `json:"id"`
	IDNumber      string    `json:"id_number"` // the owner: the applicant
	DossierID     int64     `json:"dossier_id"`
	DossierCode   string    `json:"dossier_code"`
	ProcedureCode string    `json:"procedure_code"`
	ProcedureName string    `json:"procedure_name"`
	ResultCode    string    `json:"result_code"` // the document type code (MaKetQua), "" when the catalogue has none
	ResultName    string    `json:"result_name"`
	Number        string    `json:"number"` // the document number (SoKyHieu)
	FileRef       string    `json:"file_ref,omitempty"`
	AgencyCode    string    `json:"agency_code"`
	AgencyName    string    `json:"agency_name"`
	IssuedAt      time.Time `json:"issued_at"`
	// PushedAt is when the national store accepted it (zero until then).
	PushedAt time.Time `json:"pushed_at,omitzero"`
}

// PersonalResultStore keeps the province's store of personal e-data.
type PersonalResultStore interface {
	// SavePersonalResult stores r (one per dossier: saving a dossier's
	// result again replaces its number, name, file and date) and sets
	// r.ID.
	SavePersonalResult(ctx context.Context, r *PersonalResult) error
	// PersonalResults lists the results of an ID number, newest first, at
	// most limit (100 when ≤ 0).
	PersonalResults(ctx context.Context, idNumber string, limit int) ([]*PersonalResult, error)
	// PersonalResultByDossier returns a dossier's result (ENOTFOUND when
	// none).
	PersonalResultByDossier(ctx context.Context, dossierID int64) (*PersonalResult, error)
	// PersonalResultPushed records that the national store accepted the
	// result id at at.
	PersonalResultPushed(ctx context.Context, id int64, at time.Time) error
	// StoreUseIn counts per agency and procedure (ReceivedAgg.Store only)
	// the dossiers received in [from, to) that took a component from the
	// national store or whose result the national store accepted
	// (indicator 4.4).
	StoreUseIn(ctx context.Context, from, to time.Time) ([]ReceivedAgg, error)
	// StoreResultsIn is StoreUseIn counting only the dossiers without a
	// component from the store whose result it accepted: with the flagged
	// receptions PeriodFacts counts (Store), StoreUseIn's figures.
	StoreResultsIn(ctx context.Context, from, to time.Time) ([]ReceivedAgg, error)
}

// StoreDocument is a document the national store of results (Kho) holds
// for a citizen: its document type code, name, number, issuing agency and
// files.
type StoreDocument struct {
	ResultCode string      `json:"result_code"` // MaKetQua
	Name       string      `json:"name"`        // TenGiayTo
	Number     string      `json:"number"`      // SoKyHieu
	Issuer     string      `json:"issuer"`      // CoQuanChuQuan
	Files      []StoreFile `json:"files,omitempty"`
}

// StoreFile is a file of a StoreDocument.
type StoreFile struct {
	Name string `json:"name"`
	URL  string `json:"url"`
}

// StoreQuery asks the national store for the documents of one owner that
// a procedure can reuse.
type StoreQuery struct {
	OwnerID       string  // SoDinhDanhChuSoHuu
	RequesterID   string  // SoDinhDanhNguoiYeuCau: the officer's or the citizen's ID number, or the owner's
	RequesterName string  // HoTenNguoiYeuCau
	Channel       Channel // KenhThucHien
	ProcedureCode string  // MaThuTuc
	// Wanted narrows the answer to these document type codes (empty: all
	// the owner's documents).
	Wanted []string
}

// NationalResultStore is the national store of results and personal
// e-data (Kho quản lý dữ liệu điện tử trên Cổng DVCQG).
type NationalResultStore interface {
	// Documents returns the owner's documents. Errors: EINVALID when the
	// store refuses the query, any other (EUNAVAILABLE) when it cannot
	// answer or the answer fails the adapter's checks.
	Documents(ctx context.Context, q StoreQuery) ([]StoreDocument, error)
	// Push sends a result motcua issued to the store, idempotently by
	// the dossier's code. An error that PermanentFailure recognises
	// means the store refuses it for good.
	Push(ctx context.Context, r *PersonalResult) error
}

// Reuse sources, prefixes of DossierComponent.ReusedFrom.
const (
	// ReuseSourceStore prefixes the document type code of a document
	// taken from the national store ("kho:" and MaKetQua).
	ReuseSourceStore = "kho:"
)

// Where an EarlierResult comes from.
const (
	EarlierFromMotcua = "motcua" // a result of one of motcua's dossiers (the province's store)
	EarlierFromStore  = "kho"    // a document of the national store
)

// TopicStorePush carries a PersonalResult to the national store.
const TopicStorePush = "kho.push"

// StoreDocumentMatches reports whether a national-store document can stand
// for component c, by the rule of ResultMatches.
func StoreDocumentMatches(c Component, d StoreDocument) bool {
	return ResultMatches(c, ResultType{Code: d.ResultCode, Name: d.Name})
}

// StoreReuseRef is how a choice of a national-store document travels in a
// form or a request: "<result code>|<number>".
func StoreReuseRef(code, number string) string { return code + "|" + number }

// ParseStoreReuseRef splits a StoreReuseRef; ok is false when it is not
// one.
func ParseStoreReuseRef(s string) (code, number string, ok bool) {
	code, number, ok = strings.Cut(s, "|")
	return code, number, ok && code != "" && number != "" && len(s) <= 300
}
