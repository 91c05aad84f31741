package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// metadataJSON is a file's Art.19(2) metadata as an officer confirmed it;
// dates are days (YYYY-MM-DD, Vietnam).
type metadataJSON struct {
	DocType      string    `json:"doc_type"`
	NumberSymbol string    `json:"number_symbol,omitempty"`
	IssuedOn     string    `json:"issued_on"`
	Issuer       string    `json:"issuer"`
	Signer       string    `json:"signer,omitempty"`
	ValidUntil   string    `json:"valid_until,omitempty"`
	Summary      string    `json:"summary,omitempty"`
	ConfirmedBy  int64     `json:"confirmed_by"`
	ConfirmedAt  time.Time `json:"confirmed_at"`
}

func metadataOf(m *motcua.ConfirmedMetadata) *metadataJSON {
	if m == nil {
		return nil
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(motcua.VietnamTime).Format(time.DateOnly)
	}
	return &metadataJSON{DocType: m.DocType, NumberSymbol: m.NumberSymbol, IssuedOn: day(m.IssuedOn), Issuer: m.Issuer, Signer: m.Signer,
		ValidUntil: day(m.ValidUntil), Summary: m.Summary, ConfirmedBy: m.ConfirmedBy, ConfirmedAt: vn(m.ConfirmedAt)}
}

// confirmMetadata records the metadata of a file as the officer who
// handles the dossier confirmed it (a body of service.MetadataInput,
// dates dd/mm/yyyy as people write them).
func (a *API) confirmMetadata(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		web.WriteError(w, r, motcua.Errorf(motcua.ENOTFOUND, "file_not_found", "Không tìm thấy tài liệu điện tử."))
		return
	}
	var in service.MetadataInput
	if err := decode(w, r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	m, err := a.srv.Service.ConfirmMetadata(r.Context(), r.PathValue("code"), id, in, a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, metadataOf(m))
}

// searchScans searches the text read from the scans of the dossiers the
// caller may list (q, page from 1).
func (a *API) searchScans(w http.ResponseWriter, r *http.Request) {
	page, err := queryInt(r, "page")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	res, err := a.srv.Service.SearchScans(r.Context(), nfc(r.URL.Query().Get("q")), int(max(page, 1)), a.srv.ClientIP(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, res)
}
