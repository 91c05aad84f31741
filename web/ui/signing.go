package ui

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// signResult makes, signs and issues the result of the dossier in one step
// from its page (service.SignResult). A refusal (no certificate, expired,
// not the issuer) brings the page back with the message.
func (u *UI) signResult(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	code := r.PathValue("code")
	if _, err := u.srv.Service.SignResult(r.Context(), code); err != nil {
		f := newForm(url.Values{})
		f.Action = "sign_result"
		f.fail(err)
		u.showDossier(w, r, web.Status(err), code, f, &page{Section: "inbox"}, "")
		return
	}
	seeOther(w, r, "/ho-so/"+url.PathEscape(code)+"?moi="+string(motcua.ActIssueResult)+"#tai-lieu")
}

// verifyData is what the public verification page shows.
type verifyData struct {
	V *service.DocumentVerification
}

// verify is the public verification page: a form to upload a PDF or give a
// result's code, and the verdict in Vietnamese. Only what the document
// shows (or, for a code, the dossier code and procedure) is displayed.
func (u *UI) verify(w http.ResponseWriter, r *http.Request) {
	p := &page{Title: "Xác thực văn bản điện tử", Section: "verify"}
	f := newForm(url.Values{"ma": {strings.TrimSpace(r.URL.Query().Get("ma"))}})
	if r.Method == http.MethodGet && f.Get("ma") == "" {
		p.Form, p.Data = f, &verifyData{}
		u.render(w, r, http.StatusOK, "verify", p)
		return
	}
	v, err := u.srv.ReceiveVerification(w, r)
	if r.Method == http.MethodPost {
		f = newForm(url.Values{"ma": {strings.TrimSpace(r.FormValue("ma"))}})
	}
	if err != nil {
		f.fail(err)
		p.Form, p.Data = f, &verifyData{}
		u.render(w, r, web.Status(err), "verify", p)
		return
	}
	p.Form, p.Data = f, &verifyData{V: v}
	u.render(w, r, http.StatusOK, "verify", p)
}
