// Package sim is a simulator of the national single sign-on (DVCQG /
// VNeID) as motcua's adapter (package sso) speaks to it: an OpenID Connect
// provider with a discovery document, a key set, a Vietnamese sign-in page
// that asks for the ID number and the simulator's password, the
// authorization code flow with PKCE, and a token endpoint that signs ID
// tokens with the claims of sso.Claims. Its users are given to it (the
// demo gives it the population simulator's citizens). Fault switches make
// it go down, answer slowly, or issue tokens the adapter must refuse
// (another audience, expired, signed with another key, another nonce,
// another issuer). It is a counterpart for tests and the demo, not the
// national system.
package sim

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/motcua/motcua/sso"
)

// User is a citizen who can sign in to the simulator.
type User struct {
	IDNumber string `json:"id_number"`
	FullName string `json:"full_name"`
	Level    int    `json:"level"` // VNeID level 1 or 2
}

// Config configures a simulator.
type Config struct {
	// Issuer is the simulator's own address as clients reach it; empty:
	// taken from each request's Host.
	Issuer string
	// ClientID and ClientSecret are the one client registered; a
	// non-empty RedirectURL must match the client's redirect_uri exactly.
	ClientID, ClientSecret, RedirectURL string
	// Password is every user's password (or OTP) in the simulator;
	// default "123456".
	Password string
	Users    []User
	Clock    func() time.Time // nil: time.Now
	// TokenTTL is the ID token's lifetime (default 5 minutes).
	TokenTTL time.Duration
}

// Faults are the simulator's switches.
type Faults struct {
	Down         bool          `json:"down"`          // every call answers 503
	Delay        time.Duration `json:"delay"`         // every call waits this long first
	OtherClient  bool          `json:"other_client"`  // ID tokens for another audience
	Expired      bool          `json:"expired"`       // ID tokens that expired an hour ago
	BadSignature bool          `json:"bad_signature"` // ID tokens signed with a key not in the key set
	WrongNonce   bool          `json:"wrong_nonce"`   // ID tokens with another nonce
	OtherIssuer  bool          `json:"other_issuer"`  // ID tokens naming another issuer
}

type grant struct {
	user      User
	redirect  string
	nonce     string
	challenge string
	acr       string
	expires   time.Time
}

// Sim is a running simulator; it implements http.Handler, safe for
// concurrent use.
type Sim struct {
	cfg    Config
	key    *rsa.PrivateKey
	rogue  *rsa.PrivateKey
	kid    string
	mu     sync.Mutex
	users  map[string]User
	codes  map[string]*grant
	faults Faults
	mux    *http.ServeMux
}

// New returns a simulator with a fresh signing key.
func New(cfg Config) (*Sim, error) {
	if cfg.Password == "" {
		cfg.Password = "123456"
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = 5 * time.Minute
	}
	cfg.Issuer = strings.TrimRight(cfg.Issuer, "/")
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	rogue, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	s := &Sim{cfg: cfg, key: key, rogue: rogue, kid: "sim-" + randomHex(4), users: map[string]User{}, codes: map[string]*grant{}}
	for _, u := range cfg.Users {
		s.users[u.IDNumber] = u
	}
	m := http.NewServeMux()
	m.HandleFunc("GET /.well-known/openid-configuration", s.discovery)
	m.HandleFunc("GET /jwks", s.jwks)
	m.HandleFunc("GET /oauth2/authorize", s.authorizePage)
	m.HandleFunc("POST /oauth2/authorize", s.authorize)
	m.HandleFunc("POST /oauth2/token", s.token)
	m.HandleFunc("GET /users", s.listUsers)
	m.HandleFunc("POST /control", s.control)
	s.mux = m
	return s, nil
}

// AddUser lets one more citizen sign in.
func (s *Sim) AddUser(u User) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users[u.IDNumber] = u
}

// SetFaults sets the fault switches.
func (s *Sim) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
}

// Password is the simulator's password for every user.
func (s *Sim) Password() string { return s.cfg.Password }

// ServeHTTP implements http.Handler.
func (s *Sim) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	f := s.faults
	s.mu.Unlock()
	if r.URL.Path != "/control" {
		if f.Delay > 0 {
			time.Sleep(f.Delay)
		}
		if f.Down {
			http.Error(w, "service unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

func (s *Sim) issuer(r *http.Request) string {
	if s.cfg.Issuer != "" {
		return s.cfg.Issuer
	}
	return "http://" + r.Host
}

func (s *Sim) discovery(w http.ResponseWriter, r *http.Request) {
	iss := s.issuer(r)
	writeJSON(w, http.StatusOK, map[string]any{
		"issuer": iss, "authorization_endpoint": iss + "/oauth2/authorize", "token_endpoint": iss + "/oauth2/token",
		"jwks_uri": iss + "/jwks", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
		"acr_values_supported": []string{"LoA1", "LoA2"}, "scopes_supported": []string{"openid"},
		"token_endpoint_auth_methods_supported": []string{"client_secret_basic", "client_secret_post"},
	})
}

func (s *Sim) jwks(w http.ResponseWriter, r *http.Request) {
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &s.key.PublicKey, KeyID: s.kid, Algorithm: "RS256", Use: "sig"}}}
	writeJSON(w, http.StatusOK, set)
}

var page = template.Must(template.New("p").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập bằng tài khoản định danh điện tử (mô phỏng)</title>
<style>body{font-family:sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}label{display:block;margin-top:1rem}input{width:100%;padding:.5rem;font-size:1rem}button{margin-top:1.5rem;padding:.6rem 1.2rem;font-size:1rem}.err{color:#a00}</style></head>
<body><h1>Đăng nhập bằng tài khoản định danh điện tử</h1>
<p><em>Trang mô phỏng Cổng Dịch vụ công quốc gia / VNeID, chỉ dùng để thử nghiệm.</em></p>
{{if .Error}}<p class="err" role="alert">{{.Error}}</p>{{end}}
<form method="post" action="/oauth2/authorize">
{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">{{end}}
<label for="so">Số định danh cá nhân</label><input id="so" name="so_dinh_danh" inputmode="numeric" autocomplete="username" value="{{.ID}}" required>
<label for="mk">Mật khẩu hoặc mã OTP</label><input id="mk" name="mat_khau" type="password" autocomplete="one-time-code" required>
<button type="submit">Đăng nhập</button></form></body></html>`))

var authParams = []string{"response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method", "acr_values"}

// checkAuthRequest checks what the client put in the address: a known
// client and redirect, the code flow with openid, state, nonce and an
// S256 challenge.
func (s *Sim) checkAuthRequest(v url.Values) string {
	switch {
	case v.Get("response_type") != "code":
		return "response_type phải là code."
	case v.Get("client_id") != s.cfg.ClientID:
		return "Ứng dụng (client_id) chưa được đăng ký."
	case s.cfg.RedirectURL != "" && v.Get("redirect_uri") != s.cfg.RedirectURL:
		return "Địa chỉ quay lại (redirect_uri) không khớp với địa chỉ đã đăng ký."
	case v.Get("redirect_uri") == "":
		return "Thiếu địa chỉ quay lại (redirect_uri)."
	case !slices.Contains(strings.Fields(v.Get("scope")), "openid"):
		return "Thiếu phạm vi openid."
	case v.Get("state") == "" || v.Get("nonce") == "":
		return "Thiếu state hoặc nonce."
	case v.Get("code_challenge") == "" || v.Get("code_challenge_method") != "S256":
		return "Thiếu mã PKCE (code_challenge, S256)."
	}
	return ""
}

func (s *Sim) authorizePage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := s.checkAuthRequest(q); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	s.render(w, http.StatusOK, q, "", "")
}

func (s *Sim) render(w http.ResponseWriter, status int, v url.Values, id, errText string) {
	hidden := map[string]string{}
	for _, k := range authParams {
		hidden[k] = v.Get(k)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	page.Execute(w, map[string]any{"Hidden": hidden, "ID": id, "Error": errText})
}

func (s *Sim) authorize(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	v := r.PostForm
	if msg := s.checkAuthRequest(v); msg != "" {
		http.Error(w, msg, http.StatusBadRequest)
		return
	}
	id := strings.TrimSpace(v.Get("so_dinh_danh"))
	s.mu.Lock()
	u, ok := s.users[id]
	s.mu.Unlock()
	if !ok || subtle.ConstantTimeCompare([]byte(v.Get("mat_khau")), []byte(s.cfg.Password)) != 1 {
		s.render(w, http.StatusUnauthorized, v, id, "Số định danh hoặc mật khẩu không đúng.")
		return
	}
	code := randomHex(16)
	s.mu.Lock()
	s.codes[code] = &grant{user: u, redirect: v.Get("redirect_uri"), nonce: v.Get("nonce"), challenge: v.Get("code_challenge"),
		acr: v.Get("acr_values"), expires: s.cfg.Clock().Add(2 * time.Minute)}
	s.mu.Unlock()
	to, _ := url.Parse(v.Get("redirect_uri"))
	q := to.Query()
	q.Set("code", code)
	q.Set("state", v.Get("state"))
	to.RawQuery = q.Encode()
	http.Redirect(w, r, to.String(), http.StatusFound)
}

func tokenError(w http.ResponseWriter, status int, code, desc string) {
	writeJSON(w, status, map[string]string{"error": code, "error_description": desc})
}

func (s *Sim) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request", "bad form")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	if id != s.cfg.ClientID || subtle.ConstantTimeCompare([]byte(secret), []byte(s.cfg.ClientSecret)) != 1 {
		tokenError(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return
	}
	if r.PostForm.Get("grant_type") != "authorization_code" {
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type", "authorization_code only")
		return
	}
	code := r.PostForm.Get("code")
	s.mu.Lock()
	g := s.codes[code]
	delete(s.codes, code) // single use, whatever happens next
	f := s.faults
	s.mu.Unlock()
	now := s.cfg.Clock()
	if g == nil || now.After(g.expires) {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "unknown, used or expired code")
		return
	}
	if r.PostForm.Get("redirect_uri") != g.redirect {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request")
		return
	}
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
		tokenError(w, http.StatusBadRequest, "invalid_grant", "PKCE verification failed")
		return
	}
	idt, err := s.idToken(r, g, f, now)
	if err != nil {
		tokenError(w, http.StatusInternalServerError, "server_error", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"access_token": randomHex(16), "token_type": "Bearer", "expires_in": 300, "id_token": idt})
}

// idToken signs the ID token of a grant, spoiled as the faults say.
func (s *Sim) idToken(r *http.Request, g *grant, f Faults, now time.Time) (string, error) {
	key := s.key
	if f.BadSignature {
		key = s.rogue
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: s.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	iss, aud, nonce, iat := s.issuer(r), s.cfg.ClientID, g.nonce, now
	if f.OtherIssuer {
		iss = "https://sso.example.invalid"
	}
	if f.OtherClient {
		aud = "another-client"
	}
	if f.WrongNonce {
		nonce = randomHex(8)
	}
	if f.Expired {
		iat = now.Add(-time.Hour)
	}
	level := g.user.Level
	acr := "LoA1"
	if level >= 2 && g.acr != "LoA1" {
		acr = "LoA2"
	}
	std := jwt.Claims{Issuer: iss, Subject: "vneid-" + g.user.IDNumber, Audience: jwt.Audience{aud},
		IssuedAt: jwt.NewNumericDate(iat), Expiry: jwt.NewNumericDate(iat.Add(s.cfg.TokenTTL))}
	extra := struct {
		sso.Claims
		Nonce string `json:"nonce"`
	}{sso.Claims{LoaiTaiKhoan: "1", SoDinhDanh: g.user.IDNumber, HoVaTen: g.user.FullName, ACR: acr}, nonce}
	return jwt.Signed(signer).Claims(std).Claims(extra).Serialize()
}

func (s *Sim) listUsers(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	out := make([]User, 0, len(s.users))
	for _, u := range s.users {
		out = append(out, u)
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b User) int { return strings.Compare(a.IDNumber, b.IDNumber) })
	if len(out) > 50 {
		out = out[:50]
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Sim) control(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Faults
		DelayMS int `json:"delay_ms"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4096)).Decode(&in); err != nil {
		http.Error(w, "bad JSON", http.StatusBadRequest)
		return
	}
	if in.DelayMS > 0 {
		in.Delay = time.Duration(in.DelayMS) * time.Millisecond
	}
	s.SetFaults(in.Faults)
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}
