// Package sso is motcua's adapter of the national single sign-on for
// citizens (DVCQG / VNeID): the OpenID Connect authorization code flow
// with PKCE, a state and a nonce bound to the browser, and the ID token
// verified (signature against the provider's JWKS, issuer, audience = our
// client ID, expiry and issue time with a small skew, nonce) before the
// citizen's ID number is read from it. It implements motcua.SignOn with
// github.com/coreos/go-oidc and golang.org/x/oauth2; no JWT is parsed by
// hand. The claims' national names are in claims.go.
package sso

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/motcua/motcua"
	"golang.org/x/oauth2"
)

// Config configures the adapter.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document is at
	// Issuer + "/.well-known/openid-configuration".
	Issuer       string
	ClientID     string
	ClientSecret string
	// RedirectURL is motcua's callback address registered with the
	// provider (…/cong-dan/dang-nhap/ve).
	RedirectURL string
	// ACR is the assurance level asked for (acr_values): "LoA1" (default)
	// or "LoA2".
	ACR string
	// Timeout bounds each call to the provider (default 10 s).
	Timeout time.Duration
	// Skew is the clock difference tolerated on exp and iat (default 1
	// minute); MaxAge is how old an ID token may be (default 10 minutes).
	Skew, MaxAge time.Duration
	// Clock is the time the token is judged at (nil: time.Now).
	Clock func() time.Time
}

// maxBody bounds every answer of the provider.
const maxBody = 64 << 10

// Client is the adapter; safe for concurrent use. The discovery document
// is read at the first sign-in and kept; a failed read is tried again at
// the next.
type Client struct {
	cfg  Config
	http *http.Client

	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
}

// New returns the adapter.
func New(cfg Config) *Client {
	if cfg.ACR == "" {
		cfg.ACR = "LoA1"
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 10 * time.Second
	}
	if cfg.Skew <= 0 {
		cfg.Skew = time.Minute
	}
	if cfg.MaxAge <= 0 {
		cfg.MaxAge = 10 * time.Minute
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	cfg.Issuer = strings.TrimRight(cfg.Issuer, "/")
	return &Client{cfg: cfg, http: &http.Client{Timeout: cfg.Timeout, Transport: limited{http.DefaultTransport}}}
}

// limited refuses answers larger than maxBody.
type limited struct{ next http.RoundTripper }

func (l limited) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := l.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	if resp.ContentLength > maxBody {
		resp.Body.Close()
		return nil, fmt.Errorf("sso: answer of %d bytes from %s is over the limit", resp.ContentLength, r.URL.Path)
	}
	resp.Body = &capped{r: resp.Body, n: maxBody}
	return resp, nil
}

// capped reads at most n bytes and then fails, so that an oversize answer
// is an error rather than a truncated document.
type capped struct {
	r io.ReadCloser
	n int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, errors.New("sso: answer over the size limit")
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

func (c *capped) Close() error { return c.r.Close() }

func (c *Client) ctx(ctx context.Context) context.Context { return oidc.ClientContext(ctx, c.http) }

// discover reads the provider's discovery document once.
func (c *Client) discover(ctx context.Context) (*oidc.Provider, *oidc.IDTokenVerifier, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c.provider, c.verifier, nil
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	p, err := oidc.NewProvider(c.ctx(ctx), c.cfg.Issuer)
	if err != nil {
		return nil, nil, unavailable(fmt.Errorf("sso discovery: %w", err))
	}
	// The key set fetches with our client (size-limited, timed out), for
	// the life of the adapter.
	keys := oidc.NewRemoteKeySet(c.ctx(context.Background()), jwksURL(p))
	skew := c.cfg.Skew
	c.verifier = oidc.NewVerifier(c.cfg.Issuer, keys, &oidc.Config{ClientID: c.cfg.ClientID,
		SupportedSigningAlgs: []string{oidc.RS256, oidc.ES256},
		// exp is judged with the skew allowed: a token expired less than
		// Skew ago on our clock passes.
		Now: func() time.Time { return c.cfg.Clock().Add(-skew) }})
	c.provider = p
	return p, c.verifier, nil
}

// jwksURL reads the key set's address from the discovery document.
func jwksURL(p *oidc.Provider) string {
	var d struct {
		JWKS string `json:"jwks_uri"`
	}
	p.Claims(&d)
	return d.JWKS
}

func (c *Client) oauth(p *oidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: c.cfg.ClientID, ClientSecret: c.cfg.ClientSecret, RedirectURL: c.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID}}
}

// Begin implements motcua.SignOn.
func (c *Client) Begin(ctx context.Context) (motcua.SignOnFlow, string, error) {
	p, _, err := c.discover(ctx)
	if err != nil {
		return motcua.SignOnFlow{}, "", err
	}
	f := motcua.SignOnFlow{State: random(), Nonce: random(), Verifier: oauth2.GenerateVerifier()}
	u := c.oauth(p).AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier),
		oauth2.SetAuthURLParam("acr_values", c.cfg.ACR))
	return f, u, nil
}

// Finish implements motcua.SignOn.
func (c *Client) Finish(ctx context.Context, flow motcua.SignOnFlow, state, code string) (*motcua.CitizenIdentity, error) {
	if flow.State == "" || flow.Nonce == "" || flow.Verifier == "" {
		return nil, motcua.Errorf(motcua.EINVALID, "sso_flow_missing",
			"Phiên đăng nhập đã hết hạn hoặc trình duyệt không giữ cookie; vui lòng bấm \"Đăng nhập\" lại.")
	}
	if state == "" || len(state) > 200 || state != flow.State {
		return nil, motcua.Errorf(motcua.EINVALID, "sso_state_mismatch",
			"Yêu cầu đăng nhập không khớp với phiên của trình duyệt này (có thể là một đường dẫn giả mạo); vui lòng đăng nhập lại.")
	}
	if code == "" || len(code) > 2048 {
		return nil, motcua.Errorf(motcua.EINVALID, "sso_code_missing", "Hệ thống định danh không trả về mã đăng nhập; vui lòng đăng nhập lại.")
	}
	p, verifier, err := c.discover(ctx)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	tok, err := c.oauth(p).Exchange(c.ctx(ctx), code, oauth2.VerifierOption(flow.Verifier))
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.Response != nil && re.Response.StatusCode < 500 {
			return nil, fmt.Errorf("sso token endpoint refused the code (%s): %w", re.ErrorCode,
				motcua.Errorf(motcua.EINVALID, "sso_code_refused", "Mã đăng nhập không còn hiệu lực hoặc đã được dùng; vui lòng đăng nhập lại."))
		}
		return nil, unavailable(fmt.Errorf("sso token endpoint: %w", err))
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok || raw == "" {
		return nil, invalid("sso_no_id_token", "the token endpoint returned no id_token")
	}
	idt, err := verifier.Verify(c.ctx(ctx), raw)
	if err != nil {
		var exp *oidc.TokenExpiredError
		if errors.As(err, &exp) {
			return nil, invalid("sso_token_expired", err.Error())
		}
		return nil, invalid("sso_token_invalid", err.Error())
	}
	now := c.cfg.Clock()
	if idt.IssuedAt.IsZero() || idt.IssuedAt.After(now.Add(c.cfg.Skew)) || idt.IssuedAt.Before(now.Add(-c.cfg.MaxAge)) {
		return nil, invalid("sso_token_iat", fmt.Sprintf("iat %s is outside [now-%s, now+%s]", idt.IssuedAt.UTC(), c.cfg.MaxAge, c.cfg.Skew))
	}
	if idt.Nonce == "" || idt.Nonce != flow.Nonce {
		return nil, invalid("sso_nonce_mismatch", "the ID token's nonce is not this browser's")
	}
	body, err := idTokenPayload(idt)
	if err != nil {
		return nil, invalid("claims_malformed", err.Error())
	}
	return identityOf(body, idt.Subject)
}

// idTokenPayload returns the verified token's claims as JSON.
func idTokenPayload(idt *oidc.IDToken) ([]byte, error) {
	var m jsonRaw
	if err := idt.Claims(&m); err != nil {
		return nil, err
	}
	return m, nil
}

// jsonRaw keeps the claims' JSON as it is.
type jsonRaw []byte

func (j *jsonRaw) UnmarshalJSON(b []byte) error { *j = append((*j)[:0], b...); return nil }

func random() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// invalid is a refused callback or token: the detail goes to the log, the
// citizen reads the message.
func invalid(reason, detail string) error {
	return fmt.Errorf("sso: %s: %w", detail, motcua.Errorf(motcua.EINVALID, reason,
		"Đăng nhập không thành công: thông tin xác thực từ hệ thống định danh điện tử không hợp lệ. Vui lòng đăng nhập lại."))
}

// unavailable is a provider that cannot answer.
func unavailable(err error) error {
	return fmt.Errorf("%w: %w", err, motcua.Errorf(motcua.EUNAVAILABLE, "sso_unavailable",
		"Hệ thống định danh điện tử (VNeID/Cổng Dịch vụ công quốc gia) tạm thời không phản hồi; vui lòng thử lại sau ít phút."))
}
