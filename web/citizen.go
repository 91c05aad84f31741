package web

import (
	"net/http"
	"time"
)

// Citizens' cookies: a session apart from staff sessions (its own name, its
// own table, no staff right), and the short-lived state of a sign-in at
// the national sign-on. Both are scoped to /cong-dan.
const (
	CitizenCookie     = "motcua_congdan"
	CitizenFlowCookie = "motcua_congdan_dn"
	citizenPath       = "/cong-dan"
)

// SetCitizenCookie gives the browser a citizen session token. Lax: the
// sign-on's callback is a top-level navigation from the provider.
func (s *Server) SetCitizenCookie(w http.ResponseWriter, token string, lifetime time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: CitizenCookie, Value: token, Path: citizenPath, MaxAge: int(lifetime.Seconds()),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// ClearCitizenCookie removes the citizen session cookie.
func (s *Server) ClearCitizenCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CitizenCookie, Value: "", Path: citizenPath, MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// SetCitizenFlowCookie keeps a sign-in attempt's state, nonce and PKCE
// verifier (encoded by the caller) for its return from the provider.
func (s *Server) SetCitizenFlowCookie(w http.ResponseWriter, value string, lifetime time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: CitizenFlowCookie, Value: value, Path: citizenPath, MaxAge: int(lifetime.Seconds()),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// ClearCitizenFlowCookie removes the sign-in attempt's cookie (it serves
// one callback only).
func (s *Server) ClearCitizenFlowCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: CitizenFlowCookie, Value: "", Path: citizenPath, MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// CookieValue returns the value of the named cookie, or "".
func CookieValue(r *http.Request, name string) string {
	if c, err := r.Cookie(name); err == nil {
		return c.Value
	}
	return ""
}
