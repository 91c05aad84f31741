package ui

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// lookupData is the public view of a dossier, with the time it was asked.
type lookupData struct {
	D   *service.PublicDossier
	Now time.Time
	// Pay is the dossier's fees and whether they can be paid online
	// (payment.go); Verifier goes back in the payment form.
	Pay      *service.PublicPayment
	Verifier string
	PayError string
	// Rate is the rating of a returned dossier (rating.go).
	Rate *ratingBox
	// ResultError says why the electronic result could not be sent.
	ResultError string
}

// lookup shows a dossier's state and timeline to whoever has its code and
// verifier: typed by hand (so, four digits), or the long secret of the
// receipt's QR link (k), which opens this page at once. It shows no
// personal data.
func (u *UI) lookup(w http.ResponseWriter, r *http.Request) {
	f := newForm(r.URL.Query())
	code, verifier := norm.NFC.String(f.Trim("ma")), f.Trim("so")
	if secret := f.Trim("k"); verifier == "" && secret != "" {
		verifier = secret
		f.Values.Del("k") // never written back into the page's form
	}
	p := &page{Title: "Tra cứu hồ sơ", Section: "lookup", Form: f}
	if code == "" && verifier == "" {
		u.render(w, r, http.StatusOK, "lookup", p)
		return
	}
	if code == "" {
		f.set("ma", "Vui lòng nhập mã số hồ sơ.")
	}
	if verifier == "" {
		f.set("so", "Vui lòng nhập 4 chữ số cuối điện thoại (hoặc số định danh).")
	}
	if !f.ok() {
		u.render(w, r, http.StatusUnprocessableEntity, "lookup", p)
		return
	}
	d, err := u.srv.Service.Lookup(r.Context(), code, verifier, u.srv.ClientIP(r))
	if err != nil {
		f.fail(err)
		f.Errors["ma"] = f.Message
		u.render(w, r, web.Status(err), "lookup", p)
		return
	}
	p.Data = u.lookupData(r, d, verifier)
	u.render(w, r, http.StatusOK, "lookup", p)
}

// lookupResult sends the signed electronic result of a dossier to whoever
// gives its code and verifier: the lookup page's "Tải kết quả điện tử"
// form, posted so that a typed verifier stays out of addresses and logs,
// or the link the national portal carries (GET with the dossier's long
// lookup secret k, as in the receipt's QR code; never a short verifier). A
// refusal brings the lookup page back with the message.
func (u *UI) lookupResult(w http.ResponseWriter, r *http.Request) {
	var code, verifier string
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		code, verifier = norm.NFC.String(strings.TrimSpace(q.Get("ma"))), strings.TrimSpace(q.Get("k"))
		if len(verifier) != motcua.LookupSecretLen {
			u.fail(w, r, motcua.Errorf(motcua.ENOTFOUND, "dossier_not_found", "Đường dẫn tải kết quả không đúng hoặc không đầy đủ."))
			return
		}
	} else {
		f, err := readForm(w, r)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		code, verifier = norm.NFC.String(f.Trim("ma")), f.Trim("so")
	}
	file, rc, err := u.srv.Service.ResultDownload(r.Context(), code, verifier, u.srv.ClientIP(r))
	if err != nil {
		web.LogError(r, err)
		shown := verifier
		if r.Method == http.MethodGet {
			shown = "" // the secret is never written into the page
		}
		pg := &page{Title: "Tra cứu hồ sơ", Section: "lookup", Form: newForm(url.Values{"ma": {code}, "so": {shown}})}
		pg.Form.Message = motcua.ErrorMessage(err)
		if d, lerr := u.srv.Service.Lookup(r.Context(), code, verifier, u.srv.ClientIP(r)); lerr == nil {
			ld := u.lookupData(r, d, verifier)
			ld.ResultError = pg.Form.Message
			pg.Data = ld
		} else {
			pg.Form.Errors["ma"] = pg.Form.Message
		}
		u.render(w, r, web.Status(err), "lookup", pg)
		return
	}
	defer rc.Close()
	web.WriteAttachment(w, file, rc)
}
