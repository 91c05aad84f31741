package sqlstore

import (
	"encoding/hex"
	"time"

	"github.com/motcua/motcua"
)

// CreateCitizenSession implements motcua.CitizenSessionStore.
func (t *tx) CreateCitizenSession(_ ctxT, s *motcua.CitizenSession) error {
	_, err := t.exec(`INSERT INTO citizen_sessions (token_hash, id_number, full_name, level, created_at, expires_at, user_agent, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, hex.EncodeToString(s.TokenHash), s.IDNumber, s.FullName, s.Level,
		s.CreatedAt.UnixMilli(), s.ExpiresAt.UnixMilli(), s.UserAgent, s.IP)
	return err
}

// CitizenSession implements motcua.CitizenSessionStore.
func (t *tx) CitizenSession(_ ctxT, tokenHash []byte, now time.Time) (*motcua.CitizenSession, error) {
	row, err := t.queryRow(`SELECT id_number, full_name, level, created_at, expires_at, user_agent, ip FROM citizen_sessions
		WHERE token_hash = ? AND expires_at > ?`, hex.EncodeToString(tokenHash), now.UnixMilli())
	if err != nil {
		return nil, err
	}
	s := motcua.CitizenSession{TokenHash: tokenHash}
	var created, expires int64
	if err := row.Scan(&s.IDNumber, &s.FullName, &s.Level, &created, &expires, &s.UserAgent, &s.IP); err != nil {
		return nil, notFound(err, "citizen_session_not_found", "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại bằng tài khoản định danh điện tử.")
	}
	s.CreatedAt, s.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	return &s, nil
}

// DeleteCitizenSession implements motcua.CitizenSessionStore.
func (t *tx) DeleteCitizenSession(_ ctxT, tokenHash []byte) error {
	_, err := t.exec(`DELETE FROM citizen_sessions WHERE token_hash = ?`, hex.EncodeToString(tokenHash))
	return err
}
