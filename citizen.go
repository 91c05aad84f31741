package motcua

import (
	"context"
	"time"
)

// CitizenIdentity is who the national single sign-on (DVCQG / VNeID) says
// signed in, read only from an ID token whose signature, issuer, audience,
// times and nonce the adapter verified. Nothing a browser sends stands for
// it.
type CitizenIdentity struct {
	IDNumber string // the 12-digit personal ID number (SoDinhDanh)
	FullName string
	// Level is the assurance level of the sign-in (the VNeID account's
	// level: 1 or 2).
	Level int
	// Subject is the provider's subject identifier, kept for the log.
	Subject string
}

// SignOnFlow is what one sign-in attempt must remember between sending
// the browser to the provider and its return: the state and nonce that
// bind the answer to this browser, and the PKCE code verifier. It is kept
// in a short-lived cookie.
type SignOnFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
}

// SignOn is the national single sign-on for citizens (OIDC authorization
// code flow with PKCE).
type SignOn interface {
	// Begin starts an attempt: fresh random secrets and the address to
	// send the browser to. Errors: EUNAVAILABLE when the provider's
	// discovery document cannot be read.
	Begin(ctx context.Context) (SignOnFlow, string, error)
	// Finish exchanges the authorization code of the callback for tokens
	// and returns the identity of the verified ID token. state is the
	// callback's; flow the cookie's. Errors: EINVALID for a callback or
	// token that fails a check (wrong state or nonce, another client's,
	// expired, bad signature, no valid ID number), EUNAVAILABLE when the
	// provider cannot be reached.
	Finish(ctx context.Context, flow SignOnFlow, state, code string) (*CitizenIdentity, error)
}

// CitizenSession is a citizen signed in through the single sign-on. It is
// a separate kind of session from staff sessions: it gives no staff right,
// only a view of the citizen's own dossiers and data. Only the SHA-256 of
// its token is kept.
type CitizenSession struct {
	TokenHash []byte
	IDNumber  string
	FullName  string
	Level     int
	CreatedAt time.Time
	ExpiresAt time.Time
	IP        string
	UserAgent string
}

// CitizenSessionStore keeps citizen sessions.
type CitizenSessionStore interface {
	// CreateCitizenSession stores s.
	CreateCitizenSession(ctx context.Context, s *CitizenSession) error
	// CitizenSession returns the session with the token hash that has not
	// expired at now; ENOTFOUND otherwise.
	CitizenSession(ctx context.Context, tokenHash []byte, now time.Time) (*CitizenSession, error)
	// DeleteCitizenSession ends a session (no error when absent).
	DeleteCitizenSession(ctx context.Context, tokenHash []byte) error
}

type citizenContextKey struct{}

// NewContextWithCitizen returns ctx carrying the signed-in citizen.
func NewContextWithCitizen(ctx context.Context, s *CitizenSession) context.Context {
	return context.WithValue(ctx, citizenContextKey{}, s)
}

// CitizenFromContext returns the signed-in citizen of ctx, or nil.
func CitizenFromContext(ctx context.Context) *CitizenSession {
	s, _ := ctx.Value(citizenContextKey{}).(*CitizenSession)
	return s
}
