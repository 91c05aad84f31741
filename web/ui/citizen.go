package ui

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// citizenRoutes are the citizen's own pages: sign-in through the national
// sign-on (DVCQG / VNeID), their dossiers, results and stored data. They
// read only the citizen cookie, never a staff session.
func (u *UI) citizenRoutes() []route {
	return []route{
		{"GET /cong-dan", u.citizenHome},
		{"GET /cong-dan/dang-nhap", u.citizenSignIn},
		{"GET /cong-dan/dang-nhap/ve", u.citizenCallback},
		{"POST /cong-dan/dang-xuat", u.citizenSignOut},
		{"GET /cong-dan/ho-so/{code}", u.citizenDossier},
		{"GET /cong-dan/ho-so/{code}/ket-qua", u.citizenResult},
	}
}

// citizenData is what the citizen pages show.
type citizenData struct {
	Enabled  bool
	Citizen  *motcua.CitizenSession
	Dossiers []service.CitizenDossier
	Stored   []*motcua.PersonalResult
	Dossier  *service.CitizenDossier
	Error    string
}

// withCitizen returns r's context with the signed-in citizen, or nil when
// the citizen cookie holds no live session.
func (u *UI) withCitizen(r *http.Request) *http.Request {
	tok := web.CookieValue(r, web.CitizenCookie)
	if tok == "" {
		return nil
	}
	cs, err := u.srv.Service.CitizenSessionOf(r.Context(), tok)
	if err != nil {
		return nil
	}
	return r.WithContext(motcua.NewContextWithCitizen(r.Context(), cs))
}

func (u *UI) citizenPage(w http.ResponseWriter, r *http.Request, status int, d *citizenData) {
	d.Enabled = u.srv.Service.SignOnEnabled()
	u.render(w, r, status, "citizen", &page{Title: "Hồ sơ của tôi", Section: "citizen", Data: d})
}

func (u *UI) citizenHome(w http.ResponseWriter, r *http.Request) {
	cr := u.withCitizen(r)
	if cr == nil {
		u.citizenPage(w, r, http.StatusOK, &citizenData{})
		return
	}
	ds, err := u.srv.Service.MyDossiers(cr.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	stored, err := u.srv.Service.MyStoredResults(cr.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.citizenPage(w, r, http.StatusOK, &citizenData{Citizen: motcua.CitizenFromContext(cr.Context()), Dossiers: ds, Stored: stored})
}

// citizenSignIn sends the browser to the national sign-on, keeping the
// attempt's secrets in a short-lived cookie.
func (u *UI) citizenSignIn(w http.ResponseWriter, r *http.Request) {
	flow, to, err := u.srv.Service.CitizenSignInStart(r.Context())
	if err != nil {
		web.LogError(r, err)
		u.citizenPage(w, r, web.Status(err), &citizenData{Error: motcua.ErrorMessage(err)})
		return
	}
	b, _ := json.Marshal(flow)
	u.srv.SetCitizenFlowCookie(w, base64.RawURLEncoding.EncodeToString(b), service.SignOnFlowTTL)
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// citizenCallback finishes the sign-in on the provider's return: the
// cookie's attempt against the callback's state and code (the service and
// the adapter check everything); a refusal says why in Vietnamese and
// stores nothing.
func (u *UI) citizenCallback(w http.ResponseWriter, r *http.Request) {
	var flow motcua.SignOnFlow
	if raw := web.CookieValue(r, web.CitizenFlowCookie); raw != "" && len(raw) < 1024 {
		if b, err := base64.RawURLEncoding.DecodeString(raw); err == nil {
			json.Unmarshal(b, &flow)
		}
	}
	u.srv.ClearCitizenFlowCookie(w)
	q := r.URL.Query()
	if e := q.Get("error"); e != "" {
		err := motcua.Errorf(motcua.EINVALID, "sso_denied", "Đăng nhập bằng tài khoản định danh điện tử chưa hoàn tất (đã hủy hoặc bị từ chối); vui lòng thử lại.")
		web.LogError(r, err)
		u.citizenPage(w, r, http.StatusBadRequest, &citizenData{Error: motcua.ErrorMessage(err)})
		return
	}
	tok, cs, err := u.srv.Service.CitizenSignIn(r.Context(), flow, q.Get("state"), q.Get("code"), u.srv.ClientIP(r), r.UserAgent())
	if err != nil {
		web.LogError(r, err)
		u.citizenPage(w, r, web.Status(err), &citizenData{Error: motcua.ErrorMessage(err)})
		return
	}
	u.srv.SetCitizenCookie(w, tok, cs.ExpiresAt.Sub(cs.CreatedAt))
	seeOther(w, r, "/cong-dan")
}

func (u *UI) citizenSignOut(w http.ResponseWriter, r *http.Request) {
	if tok := web.CookieValue(r, web.CitizenCookie); tok != "" {
		if err := u.srv.Service.CitizenSignOut(r.Context(), tok); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	u.srv.ClearCitizenCookie(w)
	seeOther(w, r, "/cong-dan")
}

// citizenOnly returns the request with the citizen, or answers 401 with
// the citizen's sign-in page. A staff session is no citizen session.
func (u *UI) citizenOnly(w http.ResponseWriter, r *http.Request) *http.Request {
	cr := u.withCitizen(r)
	if cr == nil {
		u.citizenPage(w, r, http.StatusUnauthorized, &citizenData{
			Error: "Vui lòng đăng nhập bằng tài khoản định danh điện tử để xem hồ sơ của mình."})
	}
	return cr
}

func (u *UI) citizenDossier(w http.ResponseWriter, r *http.Request) {
	cr := u.citizenOnly(w, r)
	if cr == nil {
		return
	}
	d, err := u.srv.Service.MyDossier(cr.Context(), r.PathValue("code"), u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "citizen_dossier", &page{Title: "Hồ sơ " + d.Code, Section: "citizen",
		Data: &citizenData{Enabled: true, Citizen: motcua.CitizenFromContext(cr.Context()), Dossier: d}})
}

func (u *UI) citizenResult(w http.ResponseWriter, r *http.Request) {
	cr := u.citizenOnly(w, r)
	if cr == nil {
		return
	}
	f, rc, err := u.srv.Service.MyResult(cr.Context(), r.PathValue("code"), u.srv.ClientIP(r))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	defer rc.Close()
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
	w.Header().Set("Content-Length", strconv.FormatInt(f.Size, 10))
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	io.Copy(w, rc)
}

// reusedFrom says in words where a reused result came from: one of
// motcua's dossiers, or the national store with the document type code.
func reusedFrom(src string) string {
	if code, ok := strings.CutPrefix(src, motcua.ReuseSourceStore); ok {
		return "Kho dữ liệu điện tử quốc gia, mã " + code
	}
	if code, ok := strings.CutPrefix(src, motcua.ReuseSourceMotcua); ok {
		return "hồ sơ " + code
	}
	return src
}
