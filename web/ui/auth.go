package ui

import (
	"net/http"
	"net/url"

	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

func (u *UI) loginPage(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{"tiep": {localPath(r.URL.Query().Get("tiep"))}})
	u.render(w, r, http.StatusOK, "login", &page{Title: "Đăng nhập", Form: f})
}

// login signs a staff member in and returns to where they were going, or
// to their desk: the counter for one-stop officers, the inbox otherwise.
func (u *UI) login(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	res, err := u.srv.Service.Login(r.Context(), f.Trim("username"), f.Get("password"), u.srv.ClientIP(r), r.UserAgent())
	if err != nil {
		f.fail(err)
		f.Values.Del("password")
		u.render(w, r, web.Status(err), "login", &page{Title: "Đăng nhập", Form: f})
		return
	}
	if res.Challenge != "" { // a second factor is awaited: the next step
		u.srv.SetChallengeCookie(w, res.Challenge, service.ChallengeTTL)
		seeOther(w, r, "/dang-nhap/xac-thuc?tiep="+url.QueryEscape(localPath(f.Get("tiep"))))
		return
	}
	u.srv.SetSessionCookie(w, res.Token, res.Session.Lifetime())
	seeOther(w, r, afterLogin(res.User, f.Get("tiep")))
}

func (u *UI) logout(w http.ResponseWriter, r *http.Request) {
	if tok := web.SessionToken(r); tok != "" {
		if err := u.srv.Service.Logout(r.Context(), tok); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.srv.ClearSessionCookie(w)
	seeOther(w, r, "/")
}
