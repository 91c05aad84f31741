package motcua

import (
	"context"
	"time"
)

// TOTP is an account's second factor (RFC 6238: SHA-1, 6 digits, 30 s).
type TOTP struct {
	UserID int64
	// Secret is the shared key, base32 without padding. It is shown once,
	// at enrolment, and never again.
	Secret string
	// Confirmed is false while an enrolment awaits its first valid code;
	// only a confirmed secret is asked for at sign-in.
	Confirmed bool
	// LastStep is the time step of the last code accepted: a code is
	// accepted once, and no older one after it.
	LastStep  int64
	CreatedAt time.Time
}

// SignInChallenge is a browser half signed in: its password was right and
// its second factor is awaited (or, Enrol, its enrolment, required for its
// roles). The token is in the browser's cookie; only its hash is kept.
type SignInChallenge struct {
	TokenHash []byte
	UserID    int64
	Enrol     bool
	CreatedAt time.Time
	ExpiresAt time.Time
	UserAgent string
	IP        string
}

// Audit actions of two-factor sign-in.
const (
	AuditTOTPEnrolled     = "totp_enrolled"      // a second factor confirmed (recovery codes issued)
	AuditTOTPRemoved      = "totp_removed"       // a second factor removed by an administrator
	AuditTOTPFailed       = "totp_failed"        // a wrong, replayed or expired code at sign-in or enrolment
	AuditRecoveryCodeUsed = "recovery_code_used" // a one-time recovery code signed someone in
)

// TwoFactorStore keeps second factors, recovery codes and half-signed-in
// browsers.
type TwoFactorStore interface {
	// TOTP returns the account's second factor; ENOTFOUND when none.
	TOTP(ctx context.Context, userID int64) (*TOTP, error)
	// SaveTOTP creates or replaces the account's second factor.
	SaveTOTP(ctx context.Context, t *TOTP) error
	// DeleteTOTP removes the account's second factor and recovery codes.
	DeleteTOTP(ctx context.Context, userID int64) error
	// UseTOTPStep records that the code of step was accepted; false when
	// that step or a later one was accepted already (a replay), so that
	// two requests racing with one code cannot both pass.
	UseTOTPStep(ctx context.Context, userID, step int64) (bool, error)
	// SetRecoveryCodes replaces the account's recovery codes (hashes).
	SetRecoveryCodes(ctx context.Context, userID int64, hashes []string) error
	// UseRecoveryCode deletes the code with that hash; false when the
	// account has no such (unused) code.
	UseRecoveryCode(ctx context.Context, userID int64, hash string) (bool, error)
	// RecoveryCodesLeft counts the account's unused recovery codes.
	RecoveryCodesLeft(ctx context.Context, userID int64) (int, error)
	// CreateChallenge stores a half-signed-in browser.
	CreateChallenge(ctx context.Context, c *SignInChallenge) error
	// Challenge returns the unexpired challenge of a token hash;
	// ENOTFOUND otherwise.
	Challenge(ctx context.Context, tokenHash []byte, now time.Time) (*SignInChallenge, error)
	// DeleteChallenge ends a challenge (signed in, or given up).
	DeleteChallenge(ctx context.Context, tokenHash []byte) error
}
