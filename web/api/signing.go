package api

import (
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// signatureJSON is one signature as the public verification gives it.
type signatureJSON struct {
	Signer        string     `json:"signer"`
	Organization  string     `json:"organization,omitempty"`
	Issuer        string     `json:"issuer"`
	SignedAt      *time.Time `json:"signed_at,omitempty"`
	Valid         bool       `json:"valid"`
	Trusted       bool       `json:"trusted"`
	WholeDocument bool       `json:"whole_document"`
	Timestamped   bool       `json:"timestamped"`
	Problem       string     `json:"problem,omitempty"`
}

// verificationJSON is the answer of the public verification.
type verificationJSON struct {
	Valid       bool            `json:"valid"`
	Changed     bool            `json:"changed"`
	Summary     string          `json:"summary"`
	Signatures  []signatureJSON `json:"signatures"`
	DocCode     string          `json:"doc_code,omitempty"`
	DossierCode string          `json:"dossier_code,omitempty"`
	Procedure   string          `json:"procedure,omitempty"`
	IssuedAt    *time.Time      `json:"issued_at,omitempty"`
}

func verificationOf(v *service.DocumentVerification) verificationJSON {
	out := verificationJSON{Valid: v.Check.Valid, Changed: v.Check.Changed, Summary: v.Check.Summary, Signatures: []signatureJSON{},
		DocCode: v.DocCode, DossierCode: v.DossierCode, Procedure: v.Procedure}
	at := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		t = vn(t)
		return &t
	}
	out.IssuedAt = at(v.IssuedAt)
	for _, s := range v.Check.Signatures {
		out.Signatures = append(out.Signatures, signatureJSON{Signer: s.Signer, Organization: s.Organization, Issuer: s.Issuer,
			SignedAt: at(s.SignedAt), Valid: s.Valid, Trusted: s.Trusted, WholeDocument: s.WholeDocument, Timestamped: s.Timestamped, Problem: s.Problem})
	}
	return out
}

// verifyUpload checks the signatures of an uploaded PDF (multipart field
// file) or of the stored result with code ma; public.
func (a *API) verifyUpload(w http.ResponseWriter, r *http.Request) {
	v, err := a.srv.ReceiveVerification(w, r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, verificationOf(v))
}

// verifyCode checks the stored result with the document code in the path;
// public.
func (a *API) verifyCode(w http.ResponseWriter, r *http.Request) {
	v, err := a.srv.Service.VerifyResultCode(r.Context(), r.PathValue("doc_code"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, verificationOf(v))
}

// signResult signs and issues the result of one approved dossier.
func (a *API) signResult(w http.ResponseWriter, r *http.Request) {
	f, err := a.srv.Service.SignResult(r.Context(), r.PathValue("code"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, fileOf(f))
}

// batchItemJSON is the outcome of one dossier of a batch signing.
type batchItemJSON struct {
	Code    string    `json:"code"`
	File    *fileJSON `json:"file,omitempty"`
	Error   string    `json:"error,omitempty"`
	Reason  string    `json:"reason,omitempty"`
	Message string    `json:"message,omitempty"`
}

// signResults signs and issues the results of several dossiers at once.
func (a *API) signResults(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Codes []string `json:"codes"`
	}
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := a.srv.Service.SignResults(r.Context(), in.Codes)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	items := make([]batchItemJSON, 0, len(out))
	for _, o := range out {
		it := batchItemJSON{Code: o.Code}
		if o.Err != nil {
			it.Error, it.Reason, it.Message = motcua.ErrorCode(o.Err), motcua.ErrorReason(o.Err), motcua.ErrorMessage(o.Err)
		} else {
			f := fileOf(o.File)
			it.File = &f
		}
		items = append(items, it)
	}
	web.WriteJSON(w, http.StatusOK, items)
}
