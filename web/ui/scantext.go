package ui

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// scanTextData is the text read from a scan, the metadata it suggests and
// the metadata confirmed.
type scanTextData struct {
	Code string
	ID   int64
	T    *service.ScanText
	// Saved: the metadata was confirmed just now.
	Saved bool
}

// scanText shows, to those who see the dossier, the text OCR read from one
// of its scans, the Art.19(2) metadata proposed from it and, to those who
// handle the dossier, a form to correct and confirm it (nothing is
// recorded from the proposal without it).
func (u *UI) scanText(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showScanText(w, r, http.StatusOK, nil, r.URL.Query().Get("da-luu") == "1")
}

// showScanText renders the text's page with f (nil: prefilled with the
// confirmed metadata, else the proposed one).
func (u *UI) showScanText(w http.ResponseWriter, r *http.Request, status int, f *form, saved bool) {
	code := r.PathValue("code")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "file_not_found", "Không tìm thấy tài liệu điện tử."))
		return
	}
	t, err := u.srv.Service.FileText(r.Context(), code, id, u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if f == nil {
		m := t.Proposed
		if t.Confirmed != nil {
			m = t.Confirmed.DocumentMetadata
		}
		f = newForm(metadataValues(m))
	}
	u.render(w, r, status, "scantext", &page{Title: "Văn bản nhận dạng từ bản quét", Section: "inbox", Form: f,
		Data: scanTextData{Code: code, ID: id, T: t, Saved: saved}})
}

// metadataValues are m's fields as the form shows them.
func metadataValues(m motcua.DocumentMetadata) url.Values {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(motcua.VietnamTime).Format("02/01/2006")
	}
	return url.Values{"doc_type": {m.DocType}, "number_symbol": {m.NumberSymbol}, "issued_on": {day(m.IssuedOn)},
		"issuer": {m.Issuer}, "signer": {m.Signer}, "valid_until": {day(m.ValidUntil)}, "summary": {m.Summary}}
}

// confirmMetadata records the metadata the officer confirmed (or
// corrected) on the text's page.
func (u *UI) confirmMetadata(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	code := r.PathValue("code")
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "file_not_found", "Không tìm thấy tài liệu điện tử."))
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	in := service.MetadataInput{DocType: f.Get("doc_type"), NumberSymbol: f.Get("number_symbol"), IssuedOn: f.Get("issued_on"),
		Issuer: f.Get("issuer"), Signer: f.Get("signer"), ValidUntil: f.Get("valid_until"), Summary: f.Get("summary")}
	if _, err := u.srv.Service.ConfirmMetadata(r.Context(), code, id, in, u.srv.ClientIP(r)); err != nil {
		if motcua.ErrorCode(err) != motcua.EINVALID {
			u.fail(w, r, err)
			return
		}
		f.fail(err)
		u.showScanText(w, r, web.Status(err), f, false)
		return
	}
	seeOther(w, r, "/ho-so/"+url.PathEscape(code)+"/tai-lieu/"+strconv.FormatInt(id, 10)+"/van-ban?da-luu=1#thong-tin")
}
