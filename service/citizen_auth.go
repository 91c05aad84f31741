package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
)

// DefaultCitizenSessionTTL is how long a citizen stays signed in when
// Config.CitizenSessionTTL is 0: a visit, not a day.
const DefaultCitizenSessionTTL = 30 * time.Minute

// SignOnFlowTTL is how long a sign-in attempt may take at the provider
// (the life of the cookie that keeps its state, nonce and verifier).
const SignOnFlowTTL = 10 * time.Minute

// Audit actions of the citizens' sign-in.
const (
	AuditCitizenSignIn        = "citizen_signin"         // a citizen signed in through the national sign-on
	AuditCitizenSignInRefused = "citizen_signin_refused" // a callback or token refused (state, nonce, audience, expiry, signature)
	AuditCitizenDownload      = "citizen_download"       // a citizen downloaded their own result
	AuditCitizenView          = "citizen_view"           // a citizen read their own dossier
)

// SignOnEnabled reports whether citizens can sign in.
func (s *Service) SignOnEnabled() bool { return s.cfg.SignOn != nil }

func signOnOff() error {
	return motcua.Errorf(motcua.EFORBIDDEN, "sso_off",
		"Hệ thống chưa kết nối đăng nhập bằng tài khoản định danh điện tử (VNeID/Cổng Dịch vụ công quốc gia); vui lòng tra cứu hồ sơ bằng mã hồ sơ.")
}

// CitizenSignInStart begins a citizen's sign-in: the secrets to keep in
// the browser's short-lived cookie and the provider's address to send it
// to. Errors: EFORBIDDEN (sign-on off), EUNAVAILABLE.
func (s *Service) CitizenSignInStart(ctx context.Context) (motcua.SignOnFlow, string, error) {
	if s.cfg.SignOn == nil {
		return motcua.SignOnFlow{}, "", signOnOff()
	}
	return s.cfg.SignOn.Begin(ctx)
}

// CitizenSignIn finishes a sign-in from the provider's callback: flow is
// the cookie's, state and code the callback's. The identity comes only
// from the verified ID token (motcua.SignOn.Finish). A refused callback
// is written to the audit log with its reason (never the token) and
// nothing else is stored; a success creates a citizen session, apart from
// staff sessions, and returns its token. Errors: EFORBIDDEN (off),
// EINVALID (refused), EUNAVAILABLE.
func (s *Service) CitizenSignIn(ctx context.Context, flow motcua.SignOnFlow, state, code, ip, userAgent string) (string, *motcua.CitizenSession, error) {
	if s.cfg.SignOn == nil {
		return "", nil, signOnOff()
	}
	id, err := s.cfg.SignOn.Finish(ctx, flow, state, code)
	now := s.now()
	if err != nil {
		slog.Warn("citizen sign-in refused", "reason", motcua.ErrorReason(err), "err", err, "ip", ip)
		if motcua.ErrorCode(err) == motcua.EINVALID {
			if aerr := s.store.Write(ctx, func(tx motcua.Tx) error {
				return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: AuditCitizenSignInRefused,
					Detail: "đăng nhập công dân bị từ chối: " + motcua.ErrorReason(err), IP: ip})
			}); aerr != nil {
				return "", nil, aerr
			}
		}
		return "", nil, err
	}
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return "", nil, err
	}
	token := hex.EncodeToString(secret)
	h := sha256.Sum256([]byte(token))
	ttl := s.cfg.CitizenSessionTTL
	if ttl <= 0 {
		ttl = DefaultCitizenSessionTTL
	}
	if len(userAgent) > 300 {
		userAgent = userAgent[:300]
	}
	cs := &motcua.CitizenSession{TokenHash: h[:], IDNumber: id.IDNumber, FullName: id.FullName, Level: id.Level,
		CreatedAt: now, ExpiresAt: now.Add(ttl), IP: ip, UserAgent: userAgent}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.CreateCitizenSession(ctx, cs); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: AuditCitizenSignIn,
			Detail: "công dân đăng nhập qua tài khoản định danh điện tử: số định danh " + id.IDNumber, IP: ip})
	})
	if err != nil {
		return "", nil, err
	}
	return token, cs, nil
}

// CitizenSessionOf returns the citizen session of a token. Errors:
// EUNAUTHORIZED (unknown or expired).
func (s *Service) CitizenSessionOf(ctx context.Context, token string) (*motcua.CitizenSession, error) {
	if token == "" || len(token) > 128 {
		return nil, citizenSignInNeeded()
	}
	h := sha256.Sum256([]byte(token))
	var cs *motcua.CitizenSession
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { cs, err = tx.CitizenSession(ctx, h[:], s.now()); return err })
	if motcua.ErrorCode(err) == motcua.ENOTFOUND {
		return nil, citizenSignInNeeded()
	}
	return cs, err
}

// CitizenSignOut ends the citizen session of a token.
func (s *Service) CitizenSignOut(ctx context.Context, token string) error {
	h := sha256.Sum256([]byte(token))
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.DeleteCitizenSession(ctx, h[:]) })
}

func citizenSignInNeeded() error {
	return motcua.Errorf(motcua.EUNAUTHORIZED, "citizen_not_signed_in",
		"Vui lòng đăng nhập bằng tài khoản định danh điện tử (VNeID) để xem hồ sơ của mình.")
}

// citizen returns the signed-in citizen of ctx.
func citizen(ctx context.Context) (*motcua.CitizenSession, error) {
	c := motcua.CitizenFromContext(ctx)
	if c == nil || c.IDNumber == "" {
		return nil, citizenSignInNeeded()
	}
	return c, nil
}
