package ui

import (
	"net/http"
	"net/url"

	"github.com/motcua/motcua"
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
	u.srv.SetSessionCookie(w, res.Token, res.Session.Lifetime())
	next := localPath(f.Get("tiep"))
	if next == "" {
		next = "/hop-thu"
		if res.User.HasRole(motcua.RoleReception) {
			next = "/tiep-nhan"
		}
	}
	seeOther(w, r, next)
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
