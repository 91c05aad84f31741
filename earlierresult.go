package motcua

import (
	"context"
	"strings"
	"time"
)

// EarlierResult is a result motcua issued earlier to an applicant that
// matches a component of the procedure being received, so that the
// officer reuses it instead of asking for the paper again (NĐ 118
// Art.22(1)).
type EarlierResult struct {
	ComponentID   int64     `json:"component_id"`
	DossierCode   string    `json:"dossier_code"`
	ProcedureName string    `json:"procedure_name"`
	ResultName    string    `json:"result_name"`
	ResultNumber  string    `json:"result_number"`
	ResultFileRef string    `json:"result_file_ref,omitempty"`
	IssuedAt      time.Time `json:"issued_at"`
	// Source says where the result is held: EarlierFromMotcua (the
	// province's own store, DossierCode set) or EarlierFromStore (the
	// national store: ResultCode and Issuer set, no dossier code).
	Source     string `json:"source"`
	ResultCode string `json:"result_code,omitempty"`
	Issuer     string `json:"issuer,omitempty"`
}

// Ref is how the counter names the choice of this result: the dossier
// code for one of motcua's, StoreReuseRef for the national store's.
func (e EarlierResult) Ref() string {
	if e.Source == EarlierFromStore {
		return StoreReuseRef(e.ResultCode, e.ResultNumber)
	}
	return e.DossierCode
}

// ReuseSourceMotcua prefixes DossierComponent.ReusedFrom for a result of
// one of motcua's own dossiers ("motcua:" and the dossier's code).
const ReuseSourceMotcua = "motcua:"

// ResultMatches reports whether a result of the given name can stand for
// the component c: c is marked reusable and its name contains the result's
// name, compared without marks or case ("Bản sao Giấy khai sinh …" and
// "Giấy khai sinh"). When the catalogue gives document type codes, those
// decide instead.
func ResultMatches(c Component, r ResultType) bool {
	if !c.Reusable {
		return false
	}
	if c.DocTypeCode != "" && r.Code != "" {
		return c.DocTypeCode == r.Code
	}
	name := Fold(r.Name)
	return len(name) >= 6 && strings.Contains(" "+Fold(c.Name)+" ", " "+name+" ")
}

// ApplicantDossierStore finds the dossiers of an applicant.
type ApplicantDossierStore interface {
	// DossiersOfApplicant returns the dossiers whose applicant has the
	// given ID number, newest first, at most limit (50 when ≤ 0).
	DossiersOfApplicant(ctx context.Context, idNumber string, limit int) ([]*Dossier, error)
}
