package sqlstore

import (
	"encoding/hex"
	"time"

	"github.com/motcua/motcua"
)

// TOTP implements motcua.TwoFactorStore.
func (t *tx) TOTP(_ ctxT, userID int64) (*motcua.TOTP, error) {
	row, err := t.queryRow(`SELECT secret, confirmed, last_step, created_at FROM user_totp WHERE user_id = ?`, userID)
	if err != nil {
		return nil, err
	}
	o := motcua.TOTP{UserID: userID}
	var created int64
	if err := row.Scan(&o.Secret, &o.Confirmed, &o.LastStep, &created); err != nil {
		return nil, notFound(err, "totp_not_found", "Tài khoản chưa đăng ký xác thực hai lớp.")
	}
	o.CreatedAt = time.UnixMilli(created).UTC()
	return &o, nil
}

// SaveTOTP implements motcua.TwoFactorStore.
func (t *tx) SaveTOTP(_ ctxT, o *motcua.TOTP) error {
	_, err := t.exec(`INSERT INTO user_totp (user_id, secret, confirmed, last_step, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret, confirmed = excluded.confirmed,
		last_step = excluded.last_step, created_at = excluded.created_at`,
		o.UserID, o.Secret, o.Confirmed, o.LastStep, o.CreatedAt.UnixMilli())
	return err
}

// DeleteTOTP implements motcua.TwoFactorStore.
func (t *tx) DeleteTOTP(_ ctxT, userID int64) error {
	if _, err := t.exec(`DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return err
	}
	_, err := t.exec(`DELETE FROM user_totp WHERE user_id = ?`, userID)
	return err
}

// UseTOTPStep implements motcua.TwoFactorStore: one conditional update, so
// that of two transactions with the same code only one changes the row.
func (t *tx) UseTOTPStep(_ ctxT, userID, step int64) (bool, error) {
	res, err := t.exec(`UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?`, step, userID, step)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// SetRecoveryCodes implements motcua.TwoFactorStore.
func (t *tx) SetRecoveryCodes(_ ctxT, userID int64, hashes []string) error {
	if _, err := t.exec(`DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
		return err
	}
	for _, h := range hashes {
		if _, err := t.exec(`INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
			return err
		}
	}
	return nil
}

// UseRecoveryCode implements motcua.TwoFactorStore.
func (t *tx) UseRecoveryCode(_ ctxT, userID int64, hash string) (bool, error) {
	res, err := t.exec(`DELETE FROM recovery_codes WHERE user_id = ? AND code_hash = ?`, userID, hash)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RecoveryCodesLeft implements motcua.TwoFactorStore.
func (t *tx) RecoveryCodesLeft(_ ctxT, userID int64) (int, error) {
	row, err := t.queryRow(`SELECT COUNT(*) FROM recovery_codes WHERE user_id = ?`, userID)
	if err != nil {
		return 0, err
	}
	var n int
	return n, row.Scan(&n)
}

// CreateChallenge implements motcua.TwoFactorStore.
func (t *tx) CreateChallenge(_ ctxT, c *motcua.SignInChallenge) error {
	_, err := t.exec(`INSERT INTO signin_challenges (token_hash, user_id, enrol, created_at, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		hex.EncodeToString(c.TokenHash), c.UserID, c.Enrol, c.CreatedAt.UnixMilli(), c.ExpiresAt.UnixMilli(), c.UserAgent, c.IP)
	return err
}

// Challenge implements motcua.TwoFactorStore.
func (t *tx) Challenge(_ ctxT, tokenHash []byte, now time.Time) (*motcua.SignInChallenge, error) {
	row, err := t.queryRow(`SELECT user_id, enrol, created_at, expires_at, user_agent, ip FROM signin_challenges WHERE token_hash = ? AND expires_at > ?`,
		hex.EncodeToString(tokenHash), now.UnixMilli())
	if err != nil {
		return nil, err
	}
	c := motcua.SignInChallenge{TokenHash: tokenHash}
	var created, expires int64
	if err := row.Scan(&c.UserID, &c.Enrol, &created, &expires, &c.UserAgent, &c.IP); err != nil {
		return nil, notFound(err, "challenge_expired", "Phiên xác thực đã hết hạn; vui lòng đăng nhập lại.")
	}
	c.CreatedAt, c.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	return &c, nil
}

// DeleteChallenge implements motcua.TwoFactorStore.
func (t *tx) DeleteChallenge(_ ctxT, tokenHash []byte) error {
	_, err := t.exec(`DELETE FROM signin_challenges WHERE token_hash = ?`, hex.EncodeToString(tokenHash))
	return err
}
