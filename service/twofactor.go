package service

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
)

// ChallengeTTL is how long a browser stays half signed in (password right,
// code awaited) before it must give the password again.
const ChallengeTTL = 5 * time.Minute

// recoveryCodeCount is how many one-time recovery codes an enrolment gives.
const recoveryCodeCount = 10

// TOTPEnrolment is a second factor awaiting its first code: the secret as
// text and the otpauth:// address for the QR code. It is shown while the
// enrolment is pending, never after.
type TOTPEnrolment struct {
	Secret string
	URI    string
}

// TwoFactorStatus is what an account's own page shows.
type TwoFactorStatus struct {
	Enrolled bool
	// Required is true when the account's roles require a second factor
	// (Config.RequireTwoFactor).
	Required      bool
	RecoveryCodes int // unused ones left
}

// requiresTwoFactor reports whether u's roles require a second factor.
func (s *Service) requiresTwoFactor(u *motcua.User) bool {
	return slices.ContainsFunc(s.cfg.RequireTwoFactor, u.HasRole)
}

// challengeFor decides, after a right password, whether u must give a
// second factor. It returns a half-signed-in result (a challenge) when u
// has one or must enrol, and nil when a session may be opened at once.
func (s *Service) challengeFor(ctx context.Context, u *motcua.User, ip, userAgent string, now time.Time) (*SignIn, error) {
	enrolled := false
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		o, err := tx.TOTP(ctx, u.ID)
		if err == nil {
			enrolled = o.Confirmed
			return nil
		}
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if !enrolled && !s.requiresTwoFactor(u) {
		return nil, nil
	}
	token, hash := newToken()
	c := &motcua.SignInChallenge{TokenHash: hash, UserID: u.ID, Enrol: !enrolled, CreatedAt: now, ExpiresAt: now.Add(ChallengeTTL),
		UserAgent: truncate(userAgent, 200), IP: ip}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateChallenge(ctx, c) }); err != nil {
		return nil, err
	}
	return &SignIn{User: u, Challenge: token, Enrol: c.Enrol, ChallengeExpires: c.ExpiresAt}, nil
}

// challenge returns the live challenge of token, bound to the browser
// that got it (the same user agent), and its user.
func (s *Service) challenge(ctx context.Context, token, userAgent string, now time.Time) (*motcua.SignInChallenge, *motcua.User, error) {
	expired := motcua.Errorf(motcua.EUNAUTHORIZED, "challenge_expired", "Phiên xác thực đã hết hạn; vui lòng đăng nhập lại.")
	if token == "" {
		return nil, nil, expired
	}
	var c *motcua.SignInChallenge
	var u *motcua.User
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if c, err = tx.Challenge(ctx, hashToken(token), now); err != nil {
			return err
		}
		u, err = tx.User(ctx, c.UserID)
		return err
	})
	if motcua.ErrorCode(err) == motcua.ENOTFOUND || (err == nil && (u.Disabled || c.UserAgent != truncate(userAgent, 200))) {
		return nil, nil, expired
	}
	if err != nil {
		return nil, nil, err
	}
	return c, u, nil
}

// ChallengeEnrolment returns the second factor a half-signed-in user whose
// roles require one must enrol before signing in (the challenge's Enrol):
// a new secret, or the one pending since the password was given.
// Errors: EUNAUTHORIZED (no such challenge), ECONFLICT (not an enrolment).
func (s *Service) ChallengeEnrolment(ctx context.Context, challenge, userAgent string) (*TOTPEnrolment, error) {
	now := s.now()
	c, u, err := s.challenge(ctx, challenge, userAgent, now)
	if err != nil {
		return nil, err
	}
	if !c.Enrol {
		return nil, motcua.Errorf(motcua.ECONFLICT, "totp_enrolled", "Tài khoản đã đăng ký xác thực hai lớp.")
	}
	return s.pendingEnrolment(ctx, u, now, c.CreatedAt)
}

// pendingEnrolment returns u's unconfirmed secret if it was made since
// notBefore, or makes a new one. A confirmed secret is never returned.
func (s *Service) pendingEnrolment(ctx context.Context, u *motcua.User, now, notBefore time.Time) (*TOTPEnrolment, error) {
	var secret string
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		o, err := s.readTOTP(ctx, tx, u.ID)
		switch {
		case err == nil && o.Confirmed:
			return motcua.Errorf(motcua.ECONFLICT, "totp_enrolled", "Tài khoản đã đăng ký xác thực hai lớp.")
		case err == nil && !o.CreatedAt.Before(notBefore):
			secret = o.Secret
			return nil
		case err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND:
			return err
		}
		secret = newTOTPSecret()
		return s.saveTOTP(ctx, tx, &motcua.TOTP{UserID: u.ID, Secret: secret, CreatedAt: now})
	})
	if err != nil {
		return nil, err
	}
	return &TOTPEnrolment{Secret: secret, URI: totpURI("Một cửa", u.Username, secret)}, nil
}

// SecondFactor completes a sign-in begun by Login with a challenge: code
// is a 6-digit code of the account's authenticator (accepted once, within
// one step of the clock) or one of its recovery codes. When the challenge
// is an enrolment, the code confirms the new secret and the result holds
// the recovery codes, to be shown once. Tries are limited like passwords
// (by account and address) and, by account, to 10 failures in 15 minutes.
// Failures and recovery-code use are written to the audit log.
// Errors: EUNAUTHORIZED (no such challenge, wrong code), ETOOMANY.
func (s *Service) SecondFactor(ctx context.Context, challenge, code, ip, userAgent string) (*SignIn, error) {
	now := s.now()
	c, u, err := s.challenge(ctx, challenge, userAgent, now)
	if err != nil {
		return nil, err
	}
	keys := keysOf("2fa:"+strconv.FormatInt(u.ID, 10), ip)
	if err := s.admitCode(keys, u.ID, now); err != nil {
		return nil, err
	}
	if err := wait(ctx, s.logins.delay(keys, now)); err != nil {
		return nil, err
	}
	res := &SignIn{User: u}
	how, err := s.checkCode(ctx, u, code, c.Enrol, now, res)
	if err != nil {
		s.codeFailed(ctx, keys, u, ip, now, err)
		return nil, err
	}
	s.logins.succeeded(keys)
	s.codeTries.reset(strconv.FormatInt(u.ID, 10))
	token, hash := newToken()
	sess := &motcua.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL),
		UserAgent: truncate(userAgent, 200), IP: ip}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.DeleteChallenge(ctx, c.TokenHash); err != nil {
			return err
		}
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditLogin, Detail: how, IP: ip})
	}); err != nil {
		return nil, err
	}
	res.Token, res.Session = token, sess
	return res, nil
}

// admitCode reserves a code try, or returns ETOOMANY.
func (s *Service) admitCode(keys signInKeys, userID int64, now time.Time) error {
	if err := s.logins.admit(keys, now); err != nil {
		return err
	}
	if !s.codeTries.attempt(strconv.FormatInt(userID, 10), now) {
		s.logins.succeeded(keys) // give the reserved tries back: nothing was checked
		return motcua.Errorf(motcua.ETOOMANY, "too_many_code_failures",
			"Nhập sai mã xác thực quá nhiều lần; vui lòng thử lại sau 15 phút.")
	}
	return nil
}

// codeFailed counts and logs a refused code (not a failure of the system).
func (s *Service) codeFailed(ctx context.Context, keys signInKeys, u *motcua.User, ip string, now time.Time, err error) {
	if motcua.ErrorCode(err) != motcua.EUNAUTHORIZED {
		s.logins.succeeded(keys)
		s.codeTries.refund(strconv.FormatInt(u.ID, 10))
		return
	}
	s.logins.failed(keys, now)
	// The try was counted here by admitCode; the other instances count it
	// too, so that spreading codes over instances gains nothing.
	s.tellOthers(ctx, motcua.CacheKey{Kind: motcua.CacheCodeFailure, Key: strconv.FormatInt(u.ID, 10)})
	_ = s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditTOTPFailed, Detail: motcua.ErrorReason(err), IP: ip})
	})
}

// checkCode checks code for u: a TOTP code (confirming a pending secret
// when enrol) or, outside an enrolment, a recovery code. It returns how
// the user proved themselves ("totp", "recovery_code"), and on enrolment
// puts the new recovery codes in res.
func (s *Service) checkCode(ctx context.Context, u *motcua.User, code string, enrol bool, now time.Time, res *SignIn) (string, error) {
	wrong := motcua.Errorf(motcua.EUNAUTHORIZED, "bad_otp", "Mã xác thực không đúng, đã hết hạn hoặc đã được dùng.")
	code = strings.TrimSpace(code)
	if len(code) > 64 {
		return "", wrong
	}
	digits := strings.ReplaceAll(code, " ", "")
	var how string
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		o, unsealed, err := s.readTOTPClear(ctx, tx, u.ID)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND || (err == nil && o.Confirmed == enrol) {
			return wrong // removed or confirmed meanwhile
		} else if err != nil {
			return err
		}
		if step, ok := matchTOTP(o.Secret, digits, now); ok {
			if used, err := tx.UseTOTPStep(ctx, u.ID, step); err != nil || !used {
				if err == nil {
					err = wrong // replayed
				}
				return err
			}
			how = "totp"
			if unsealed && !enrol {
				// Stored in clear before a key was configured: seal it now.
				o.LastStep = step
				if err := s.saveTOTP(ctx, tx, o); err != nil {
					return err
				}
			}
			if enrol {
				return s.confirmTOTP(ctx, tx, o, step, now, res)
			}
			return nil
		}
		if enrol {
			return wrong
		}
		ok, err := tx.UseRecoveryCode(ctx, u.ID, hashRecoveryCode(code))
		if err != nil || !ok {
			if err == nil {
				err = wrong
			}
			return err
		}
		how = "recovery_code"
		left, err := tx.RecoveryCodesLeft(ctx, u.ID)
		if err != nil {
			return err
		}
		res.RecoveryCodesLeft = left
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditRecoveryCodeUsed,
			Detail: "còn " + strconv.Itoa(left) + " mã"})
	})
	return how, err
}

// confirmTOTP confirms o (its first code, of step, was right), issues the
// recovery codes into res and logs the enrolment.
func (s *Service) confirmTOTP(ctx context.Context, tx motcua.Tx, o *motcua.TOTP, step int64, now time.Time, res *SignIn) error {
	o.Confirmed, o.LastStep = true, step
	if err := s.saveTOTP(ctx, tx, o); err != nil {
		return err
	}
	codes, hashes := newRecoveryCodes(recoveryCodeCount)
	if err := tx.SetRecoveryCodes(ctx, o.UserID, hashes); err != nil {
		return err
	}
	res.RecoveryCodes, res.RecoveryCodesLeft = codes, len(codes)
	return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: o.UserID, Action: motcua.AuditTOTPEnrolled})
}

// StartTOTP begins the signed-in user's enrolment from their own page: a
// new secret, pending until ConfirmTOTP. Errors: EUNAUTHORIZED, ECONFLICT
// (already enrolled).
func (s *Service) StartTOTP(ctx context.Context) (*TOTPEnrolment, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	now := s.now()
	return s.pendingEnrolment(ctx, u, now, now)
}

// PendingTOTP returns the signed-in user's pending enrolment (to show the
// form again after a wrong code). Errors: EUNAUTHORIZED, ENOTFOUND (none
// pending), ECONFLICT (already enrolled).
func (s *Service) PendingTOTP(ctx context.Context) (*TOTPEnrolment, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	var o *motcua.TOTP
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { o, err = s.readTOTP(ctx, tx, u.ID); return err }); err != nil {
		return nil, err
	}
	if o.Confirmed {
		return nil, motcua.Errorf(motcua.ECONFLICT, "totp_enrolled", "Tài khoản đã đăng ký xác thực hai lớp.")
	}
	return &TOTPEnrolment{Secret: o.Secret, URI: totpURI("Một cửa", u.Username, o.Secret)}, nil
}

// ConfirmTOTP confirms the signed-in user's pending enrolment with its
// first code and returns the 10 recovery codes, shown once. Tries are
// limited as at sign-in. Errors: EUNAUTHORIZED (also a wrong code),
// ETOOMANY.
func (s *Service) ConfirmTOTP(ctx context.Context, code, ip string) ([]string, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	now := s.now()
	keys := keysOf("2fa:"+strconv.FormatInt(u.ID, 10), ip)
	if err := s.admitCode(keys, u.ID, now); err != nil {
		return nil, err
	}
	res := &SignIn{User: u}
	if _, err := s.checkCode(ctx, u, code, true, now, res); err != nil {
		s.codeFailed(ctx, keys, u, ip, now, err)
		return nil, err
	}
	s.logins.succeeded(keys)
	s.codeTries.reset(strconv.FormatInt(u.ID, 10))
	return res.RecoveryCodes, nil
}

// MyTwoFactor tells the signed-in user whether they have a second factor,
// whether their roles require one, and how many recovery codes are left.
func (s *Service) MyTwoFactor(ctx context.Context) (*TwoFactorStatus, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	st := &TwoFactorStatus{Required: s.requiresTwoFactor(u)}
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		o, err := tx.TOTP(ctx, u.ID)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		st.Enrolled = o.Confirmed
		st.RecoveryCodes, err = tx.RecoveryCodesLeft(ctx, u.ID)
		return err
	})
	return st, err
}

// RemoveTwoFactor removes an account's second factor and recovery codes,
// for a user who lost both their phone and their codes. The caller must
// administer the account (as for UpdateUser) and cannot remove their own
// (someone else must check who is asking). If the account's roles require
// a second factor, it enrols again at its next sign-in. Removing none is
// not an error. Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND.
func (s *Service) RemoveTwoFactor(ctx context.Context, userID int64) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	target, err := s.User(ctx, userID)
	if err != nil {
		return err
	}
	if target.ID == u.ID {
		return motcua.Errorf(motcua.EFORBIDDEN, "cannot_remove_own_2fa", "Bạn không thể tự gỡ xác thực hai lớp của mình; hãy nhờ quản trị viên khác.")
	}
	return s.store.Write(ctx, func(tx motcua.Tx) error {
		if _, err := tx.TOTP(ctx, target.ID); motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		if err := tx.DeleteTOTP(ctx, target.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditTOTPRemoved,
			Detail: fmt.Sprintf("account %d", target.ID)})
	})
}

// HasTwoFactor reports, to an administrator of the account, whether it has
// a confirmed second factor. Errors as User.
func (s *Service) HasTwoFactor(ctx context.Context, userID int64) (bool, error) {
	if _, err := s.User(ctx, userID); err != nil {
		return false, err
	}
	var on bool
	err := s.store.Read(ctx, func(tx motcua.Tx) error {
		o, err := tx.TOTP(ctx, userID)
		if motcua.ErrorCode(err) == motcua.ENOTFOUND {
			return nil
		}
		on = err == nil && o.Confirmed
		return err
	})
	return on, err
}
