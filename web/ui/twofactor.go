package ui

import (
	"html/template"
	"net/http"
	"net/url"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// twoFactorData is the second step of a sign-in, an enrolment, or the
// recovery codes just issued.
type twoFactorData struct {
	// Enrolment, when set, is the secret to add to an authenticator app,
	// with its QR code.
	Enrolment *service.TOTPEnrolment
	QR        template.HTML
	// Action is where the code form posts.
	Action string
	// RecoveryCodes are shown once, after an enrolment; Next is where to
	// go on from there.
	RecoveryCodes []string
	Next          string
}

// withQR adds the QR code of an enrolment's address to d.
func withQR(d *twoFactorData, en *service.TOTPEnrolment) error {
	svg, err := pdf.QRSVG(en.URI)
	if err != nil {
		return err
	}
	d.Enrolment, d.QR = en, template.HTML(svg) // our own drawing: no outside text in it
	return nil
}

// afterLogin is where a signed-in staff member goes: back where they were
// going, or to their desk.
func afterLogin(u *motcua.User, next string) string {
	if next = localPath(next); next != "" {
		return next
	}
	if u.HasRole(motcua.RoleReception) {
		return "/tiep-nhan"
	}
	return "/hop-thu"
}

// loginCodePage asks a half-signed-in browser for its code, or, when its
// roles require a second factor it does not have, shows the secret to
// enrol first. Without a live challenge it goes back to the password.
func (u *UI) loginCodePage(w http.ResponseWriter, r *http.Request) {
	f := newForm(url.Values{"tiep": {localPath(r.URL.Query().Get("tiep"))}})
	u.showLoginCode(w, r, http.StatusOK, f)
}

func (u *UI) showLoginCode(w http.ResponseWriter, r *http.Request, status int, f *form) {
	tok := web.ChallengeToken(r)
	d := &twoFactorData{Action: "/dang-nhap/xac-thuc"}
	en, err := u.srv.Service.ChallengeEnrolment(r.Context(), tok, r.UserAgent())
	switch motcua.ErrorCode(err) {
	case "":
		if err := withQR(d, en); err != nil {
			u.fail(w, r, err)
			return
		}
	case motcua.ECONFLICT: // enrolled: the code only
	case motcua.EUNAUTHORIZED:
		u.srv.ClearChallengeCookie(w)
		seeOther(w, r, "/dang-nhap?tiep="+url.QueryEscape(localPath(f.Get("tiep"))))
		return
	default:
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "login_code", &page{Title: "Xác thực hai lớp", Form: f, Data: d})
}

// loginCode checks the second step's code and signs the browser in; after
// an enrolment it shows the recovery codes once before going on.
func (u *UI) loginCode(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	res, err := u.srv.Service.SecondFactor(r.Context(), web.ChallengeToken(r), f.Trim("code"), u.srv.ClientIP(r), r.UserAgent())
	if motcua.ErrorReason(err) == "challenge_expired" {
		u.srv.ClearChallengeCookie(w)
		seeOther(w, r, "/dang-nhap?tiep="+url.QueryEscape(localPath(f.Get("tiep"))))
		return
	}
	if err != nil {
		f.fail(err)
		f.Values.Del("code")
		u.showLoginCode(w, r, web.Status(err), f)
		return
	}
	u.srv.ClearChallengeCookie(w)
	u.srv.SetSessionCookie(w, res.Token, res.Session.Lifetime())
	next := afterLogin(res.User, f.Get("tiep"))
	if len(res.RecoveryCodes) > 0 {
		r = r.WithContext(motcua.NewContextWithUser(r.Context(), res.User))
		u.render(w, r, http.StatusOK, "recovery_codes", &page{Title: "Mã khôi phục",
			Data: &twoFactorData{RecoveryCodes: res.RecoveryCodes, Next: next}})
		return
	}
	seeOther(w, r, next)
}

// startTwoFactor begins the signed-in user's enrolment from their page:
// the secret, as text and QR code, and the form for the first code.
func (u *UI) startTwoFactor(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	if _, err := readForm(w, r); err != nil {
		u.fail(w, r, err)
		return
	}
	en, err := u.srv.Service.StartTOTP(r.Context())
	if motcua.ErrorCode(err) == motcua.ECONFLICT {
		seeOther(w, r, "/tai-khoan")
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.showEnrolment(w, r, http.StatusOK, en, newForm(url.Values{}))
}

func (u *UI) showEnrolment(w http.ResponseWriter, r *http.Request, status int, en *service.TOTPEnrolment, f *form) {
	d := &twoFactorData{Action: "/tai-khoan/xac-thuc-hai-lop/xac-nhan"}
	if err := withQR(d, en); err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "login_code", &page{Title: "Đăng ký xác thực hai lớp", Section: "account", Form: f, Data: d})
}

// confirmTwoFactor confirms the enrolment with its first code and shows
// the recovery codes once.
func (u *UI) confirmTwoFactor(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	en, err := u.srv.Service.PendingTOTP(r.Context())
	if motcua.ErrorCode(err) == motcua.ENOTFOUND || motcua.ErrorCode(err) == motcua.ECONFLICT {
		seeOther(w, r, "/tai-khoan")
		return
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if f.Trim("code") == "" {
		f.set("code", "Nhập mã 6 chữ số đang hiện trong ứng dụng xác thực.")
		u.showEnrolment(w, r, http.StatusUnprocessableEntity, en, f)
		return
	}
	codes, err := u.srv.Service.ConfirmTOTP(r.Context(), f.Trim("code"), u.srv.ClientIP(r))
	if err != nil {
		// A wrong code is a mistake in the form, not a refusal of the
		// signed-in user: 422, the form again.
		status := web.Status(err)
		if motcua.ErrorCode(err) == motcua.EUNAUTHORIZED {
			status = http.StatusUnprocessableEntity
		}
		f.fail(err)
		f.Values.Del("code")
		u.showEnrolment(w, r, status, en, f)
		return
	}
	u.render(w, r, http.StatusOK, "recovery_codes", &page{Title: "Mã khôi phục", Section: "account",
		Data: &twoFactorData{RecoveryCodes: codes, Next: "/tai-khoan"}})
}
