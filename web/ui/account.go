package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// accountData is the page of one's own account: its sessions.
type accountData struct {
	Sessions  []service.SessionInfo
	TwoFactor *service.TwoFactorStatus
}

// account shows the signed-in user's own account: a form to change the
// password and the list of their sessions, each of which they may end.
func (u *UI) account(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showAccount(w, r, http.StatusOK, nil, accountFlash(r.URL.Query().Get("xong")))
}

func (u *UI) showAccount(w http.ResponseWriter, r *http.Request, status int, f *form, flash string) {
	list, err := u.srv.Service.MySessions(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	tf, err := u.srv.Service.MyTwoFactor(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "account", &page{Title: "Tài khoản của tôi", Section: "account", Form: f, Flash: flash,
		Data: &accountData{Sessions: list, TwoFactor: tf}})
}

// accountFlash is the notice after a change (the ?xong= of the redirect).
func accountFlash(done string) string {
	switch done {
	case "mat-khau":
		return "Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã được kết thúc."
	case "phien":
		return "Đã kết thúc phiên đăng nhập."
	}
	if n, err := strconv.Atoi(done); err == nil && n >= 0 {
		return "Đã kết thúc " + strconv.Itoa(n) + " phiên đăng nhập khác."
	}
	return ""
}

// changePassword changes the signed-in user's own password.
func (u *UI) changePassword(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if f.Get("new_password") != f.Get("confirm_password") {
		f.set("confirm_password", "Mật khẩu nhập lại không khớp với mật khẩu mới.")
		u.showAccount(w, r, http.StatusUnprocessableEntity, f, "")
		return
	}
	err = u.srv.Service.ChangePassword(r.Context(), f.Get("current_password"), f.Get("new_password"))
	if err != nil {
		f.fail(err)
		for _, k := range []string{"current_password", "new_password", "confirm_password"} {
			f.Values.Del(k)
		}
		u.showAccount(w, r, web.Status(err), f, "")
		return
	}
	seeOther(w, r, "/tai-khoan?xong=mat-khau")
}

// endSession ends one of the user's sessions, or every other one
// (id "khac"); ending the current one signs the user out.
func (u *UI) endSession(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	id := r.PathValue("id")
	if id == "khac" {
		n, err := u.srv.Service.EndOtherSessions(r.Context())
		if err != nil {
			u.fail(w, r, err)
			return
		}
		seeOther(w, r, "/tai-khoan?xong="+strconv.Itoa(n))
		return
	}
	current := false
	if list, err := u.srv.Service.MySessions(r.Context()); err == nil {
		for _, s := range list {
			current = current || (s.Current && s.ID == id)
		}
	}
	if err := u.srv.Service.EndSession(r.Context(), id); err != nil {
		u.fail(w, r, err)
		return
	}
	if current {
		u.srv.ClearSessionCookie(w)
		seeOther(w, r, "/")
		return
	}
	seeOther(w, r, "/tai-khoan?xong=phien")
}
