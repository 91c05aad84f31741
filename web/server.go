// Package web is motcua's HTTP server: the mux, the middleware (sessions,
// cross-origin protection, limits, logging, recovery) and the table from
// domain errors to HTTP status. The JSON API (web/api) and the pages
// (web/ui) register their routes on it.
package web

import (
	"context"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// SessionCookie is the name of the session cookie.
const SessionCookie = "motcua_session"

// Options configure the server.
type Options struct {
	// SecureCookies marks cookies Secure (set when served over HTTPS).
	SecureCookies bool
	// TrustedProxies are the addresses whose X-Forwarded-For is believed.
	TrustedProxies []string
	// TrustedOrigins are extra origins allowed to post (a portal that
	// embeds a form, say).
	TrustedOrigins []string
	// Ready reports whether the server can take work (the database is
	// reachable); nil means always.
	Ready func(ctx context.Context) error
	// Observe, if set, is told of every request: its method, the route
	// pattern that matched ("" for none), the status and the time taken.
	Observe func(method, route string, status int, took time.Duration)
}

// Server routes requests. Register routes with Handle before serving.
type Server struct {
	Service *service.Service
	opts    Options
	mux     *http.ServeMux
	handler http.Handler
	// pageError shows the server's own errors on pages (SetPageErrors).
	pageError func(w http.ResponseWriter, r *http.Request, err error)
	// patterns lists every route registered, in order (Patterns).
	patterns []string
}

// New returns a server for svc with the health endpoints registered.
func New(svc *service.Service, opts Options) (*Server, error) {
	s := &Server{Service: svc, opts: opts, mux: http.NewServeMux()}
	cop := http.NewCrossOriginProtection()
	for _, o := range opts.TrustedOrigins {
		if err := cop.AddTrustedOrigin(o); err != nil {
			return nil, err
		}
	}
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, motcua.Errorf(motcua.EFORBIDDEN, "cross_origin_denied",
			"Yêu cầu bị từ chối vì gửi từ một trang web khác (chống giả mạo yêu cầu)."))
	}))
	s.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	s.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		if opts.Ready != nil {
			if err := opts.Ready(r.Context()); err != nil {
				slog.Warn("not ready", "err", err)
				WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
				return
			}
		}
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
	s.handler = s.recover(s.log(cop.Handler(s.authenticate(s.mux))))
	return s, nil
}

// SetPageErrors sets how the errors the server answers by itself (a panic,
// a refused cross-site request, a failed session check) are shown on pages,
// that is on every path outside the JSON API (/api/) and the health checks,
// which keep their JSON. The pages register it; until then pages get a
// plain Vietnamese HTML page. Call it before serving.
func (s *Server) SetPageErrors(fn func(w http.ResponseWriter, r *http.Request, err error)) {
	s.pageError = fn
}

// jsonPath reports whether requests for path are answered in JSON: the API
// and the health checks. Everything else is a page for a browser.
func jsonPath(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz" || path == "/readyz"
}

// writeError answers err in the form the request expects: JSON for the
// API, an HTML page otherwise. A page renderer that fails (or panics) falls
// back to the plain page, so that an error is never left unanswered.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if jsonPath(r.URL.Path) {
		WriteError(w, r, err)
		return
	}
	if s.pageError != nil {
		ok := func() (ok bool) {
			defer func() {
				if p := recover(); p != nil {
					slog.Error("error page failed", "path", r.URL.Path, "panic", p)
				}
			}()
			s.pageError(w, r, err)
			return true
		}()
		if ok {
			return
		}
	}
	LogError(r, err)
	WritePlainErrorPage(w, Status(err), motcua.ErrorMessage(err))
}

// WritePlainErrorPage writes a minimal Vietnamese HTML page with status
// and message, for when the site's own pages cannot be used.
func WritePlainErrorPage(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	fmt.Fprintf(w, `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Không thực hiện được</title></head>
<body><h1>Không thực hiện được</h1><p role="alert">%s</p><p><a href="/">Về trang chủ</a></p></body></html>
`, html.EscapeString(message))
}

// Handle registers a route (a ServeMux pattern with method).
func (s *Server) Handle(pattern string, h http.Handler) {
	s.patterns = append(s.patterns, pattern)
	s.mux.Handle(pattern, h)
}

// HandleFunc registers a route function.
func (s *Server) HandleFunc(pattern string, h http.HandlerFunc) { s.Handle(pattern, h) }

// Patterns returns every route pattern registered on the server (the
// health checks included), in the order registered: what the
// authorization matrix test enumerates, so that a route added without an
// entry in its table fails it.
func (s *Server) Patterns() []string { return append([]string(nil), s.patterns...) }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// SetSessionCookie gives the browser the session token, to keep for the
// session's lifetime. The cookie's end is counted from the real present
// (Max-Age, and Expires for older browsers), never from the service's
// clock: that clock may be set elsewhere (tests, replays), and the browser
// judges the cookie by its own. The session's validity stays the store's
// business, by the service's clock.
func (s *Server) SetSessionCookie(w http.ResponseWriter, token string, lifetime time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/",
		MaxAge: int(lifetime / time.Second), Expires: time.Now().Add(lifetime),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// ChallengeCookie holds the token of a browser half signed in: its
// password was right and its second factor is awaited.
const ChallengeCookie = "motcua_2fa"

// SetChallengeCookie gives the browser its half-signed-in token, for the
// second step of the sign-in only (path /dang-nhap, same-site requests).
func (s *Server) SetChallengeCookie(w http.ResponseWriter, token string, lifetime time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: ChallengeCookie, Value: token, Path: "/dang-nhap",
		MaxAge: int(lifetime / time.Second), Expires: time.Now().Add(lifetime),
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// ClearChallengeCookie removes the half-signed-in token.
func (s *Server) ClearChallengeCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: ChallengeCookie, Value: "", Path: "/dang-nhap", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode})
}

// ChallengeToken returns the request's half-signed-in token ("" if none).
func ChallengeToken(r *http.Request) string {
	if c, err := r.Cookie(ChallengeCookie); err == nil {
		return c.Value
	}
	return ""
}

// ClearSessionCookie removes the session cookie.
func (s *Server) ClearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
}

// SessionToken returns the session token of a request: the cookie, or an
// "Authorization: Bearer" header for programs.
func SessionToken(r *http.Request) string {
	if h := r.Header.Get("Authorization"); strings.HasPrefix(h, "Bearer ") {
		return strings.TrimSpace(h[len("Bearer "):])
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// authenticate puts the signed-in user, if any, in the request context. A
// missing or expired session is not an error here: each use case decides
// whether it needs a user.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tok := SessionToken(r); tok != "" {
			u, err := s.Service.Authenticate(r.Context(), tok)
			if err == nil {
				r = r.WithContext(motcua.NewContextWithSessionToken(motcua.NewContextWithUser(r.Context(), u), tok))
			} else if motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
				s.writeError(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// ClientIP returns the client's address. X-Forwarded-For is believed
// only from a trusted proxy (an address or a prefix in
// Options.TrustedProxies), and then read from the right: each proxy
// appends the address it received the request from, so the rightmost
// entry that is not itself a trusted proxy is the client. The leftmost
// entries are whatever the client wrote, and taking the first one would
// let anyone choose the address that per-address limits count.
func (s *Server) ClientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	var hops []string
	for _, h := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(h, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		a, err := netip.ParseAddr(hop)
		if err != nil {
			return host // a malformed chain: believe only the connection
		}
		if !s.trusted(a.String()) {
			return a.Unmap().String()
		}
		host = a.Unmap().String()
	}
	return host
}

// trusted reports whether addr is one of the trusted proxies.
func (s *Server) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	a = a.Unmap()
	for _, p := range s.opts.TrustedProxies {
		if pre, err := netip.ParsePrefix(p); err == nil {
			if pre.Contains(a) {
				return true
			}
		} else if b, err := netip.ParseAddr(p); err == nil && b.Unmap() == a {
			return true
		}
	}
	return false
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status. Every 503 tells the client when to come
// back: pages answer storage errors through web.Status without knowing
// about Retry-After, and /readyz's 503 is one too.
func (r *statusRecorder) WriteHeader(code int) {
	if code == http.StatusServiceUnavailable && r.Header().Get("Retry-After") == "" {
		r.Header().Set("Retry-After", RetryAfter)
	}
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// log writes one line per request. The query string is left out: it may
// carry a lookup verifier.
func (s *Server) log(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		if s.opts.Observe != nil {
			_, route := s.mux.Handler(r)
			s.opts.Observe(r.Method, route, rec.status, time.Since(start))
		}
		if slog.Default().Enabled(r.Context(), slog.LevelDebug) || rec.status >= 500 {
			slog.Log(r.Context(), levelFor(rec.status), "http", "method", r.Method, "path", r.URL.Path,
				"status", rec.status, "dur", time.Since(start).Round(time.Microsecond))
		}
	})
}

func levelFor(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelDebug
}

// errPanic stands for a recovered panic: an internal error whose message
// for people is the generic one, revealing nothing.
var errPanic = motcua.Errorf(motcua.EINTERNAL, "panic", "%s", motcua.ErrorMessage(errors.New("panic")))

// recover turns a panic into a 500 with nothing revealed, logged with the
// request's path and the stack: the API answers its JSON error, pages the
// Vietnamese error page.
func (s *Server) recover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				slog.Error("panic", "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				s.writeError(w, r, errPanic)
			}
		}()
		next.ServeHTTP(w, r)
	})
}
