package sqlstore

import (
	"encoding/hex"
	"time"

	"github.com/motcua/motcua"
)

const userColumns = `id, username, full_name, email, phone, title, disabled, password_hash, created_at`

func (t *tx) scanUser(sc interface{ Scan(...any) error }) (*motcua.User, error) {
	var u motcua.User
	var created int64
	if err := sc.Scan(&u.ID, &u.Username, &u.FullName, &u.Email, &u.Phone, &u.Title, &u.Disabled, &u.PasswordHash, &created); err != nil {
		return nil, err
	}
	u.CreatedAt = time.UnixMilli(created).UTC()
	return &u, nil
}

func (t *tx) loadGrants(u *motcua.User) error {
	rows, err := t.query(`SELECT agency_id, role FROM user_grants WHERE user_id = ? ORDER BY agency_id, role`, u.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	u.Grants = u.Grants[:0]
	for rows.Next() {
		var g motcua.Grant
		if err := rows.Scan(&g.AgencyID, &g.Role); err != nil {
			return err
		}
		u.Grants = append(u.Grants, g)
	}
	return rows.Err()
}

// User implements motcua.UserStore.
func (t *tx) User(_ ctxT, id int64) (*motcua.User, error) {
	return t.userWhere(`id = ?`, id)
}

// UserByUsername implements motcua.UserStore.
func (t *tx) UserByUsername(_ ctxT, username string) (*motcua.User, error) {
	return t.userWhere(`username = ?`, username)
}

func (t *tx) userWhere(where string, arg any) (*motcua.User, error) {
	row, err := t.queryRow(`SELECT `+userColumns+` FROM users WHERE `+where, arg)
	if err != nil {
		return nil, err
	}
	u, err := t.scanUser(row)
	if err != nil {
		return nil, notFound(err, "user_not_found", "Không tìm thấy người dùng.")
	}
	return u, t.loadGrants(u)
}

// Users implements motcua.UserStore.
func (t *tx) Users(_ ctxT, f motcua.UserFilter) ([]*motcua.User, error) {
	rows, err := t.query(`SELECT `+userColumns+` FROM users u WHERE (CAST(? AS BIGINT) = 0 AND ? = '') OR EXISTS (
		SELECT 1 FROM user_grants g WHERE g.user_id = u.id AND (CAST(? AS BIGINT) = 0 OR g.agency_id = ?) AND (? = '' OR g.role = ?))
		ORDER BY username`, f.AgencyID, f.Role, f.AgencyID, f.AgencyID, f.Role, f.Role)
	if err != nil {
		return nil, err
	}
	var out []*motcua.User
	for rows.Next() {
		u, err := t.scanUser(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, u := range out {
		if err := t.loadGrants(u); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// CreateUser implements motcua.UserStore.
func (t *tx) CreateUser(_ ctxT, u *motcua.User) error {
	id, err := t.insert(`INSERT INTO users (username, full_name, email, phone, title, disabled, password_hash, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		u.Username, u.FullName, u.Email, u.Phone, u.Title, u.Disabled, u.PasswordHash, u.CreatedAt.UnixMilli())
	if err != nil {
		return conflict(err, "username_exists", "Tên đăng nhập "+u.Username+" đã được dùng.")
	}
	u.ID = id
	return t.saveGrants(u)
}

// UpdateUser implements motcua.UserStore.
func (t *tx) UpdateUser(_ ctxT, u *motcua.User) error {
	res, err := t.exec(`UPDATE users SET username = ?, full_name = ?, email = ?, phone = ?, title = ?, disabled = ?, password_hash = ?
		WHERE id = ?`, u.Username, u.FullName, u.Email, u.Phone, u.Title, u.Disabled, u.PasswordHash, u.ID)
	if err != nil {
		return conflict(err, "username_exists", "Tên đăng nhập "+u.Username+" đã được dùng.")
	}
	if err := mustAffect(res, "user_not_found", "Không tìm thấy người dùng."); err != nil {
		return err
	}
	if _, err := t.exec(`DELETE FROM user_grants WHERE user_id = ?`, u.ID); err != nil {
		return err
	}
	return t.saveGrants(u)
}

func (t *tx) saveGrants(u *motcua.User) error {
	for _, g := range u.Grants {
		if _, err := t.exec(`INSERT INTO user_grants (user_id, agency_id, role) VALUES (?, ?, ?)`, u.ID, g.AgencyID, g.Role); err != nil {
			return conflict(err, "grant_duplicate", "Vai trò được cấp trùng lặp.")
		}
	}
	return nil
}

// CreateSession implements motcua.UserStore.
func (t *tx) CreateSession(_ ctxT, s *motcua.Session) error {
	_, err := t.exec(`INSERT INTO sessions (token_hash, user_id, created_at, expires_at, user_agent, ip) VALUES (?, ?, ?, ?, ?, ?)`,
		hex.EncodeToString(s.TokenHash), s.UserID, s.CreatedAt.UnixMilli(), s.ExpiresAt.UnixMilli(), s.UserAgent, s.IP)
	return err
}

// Session implements motcua.UserStore.
func (t *tx) Session(_ ctxT, tokenHash []byte, now time.Time) (*motcua.Session, error) {
	row, err := t.queryRow(`SELECT user_id, created_at, expires_at, user_agent, ip FROM sessions WHERE token_hash = ? AND expires_at > ?`,
		hex.EncodeToString(tokenHash), now.UnixMilli())
	if err != nil {
		return nil, err
	}
	s := motcua.Session{TokenHash: tokenHash}
	var created, expires int64
	if err := row.Scan(&s.UserID, &created, &expires, &s.UserAgent, &s.IP); err != nil {
		return nil, notFound(err, "session_not_found", "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.")
	}
	s.CreatedAt, s.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
	return &s, nil
}

// DeleteSession implements motcua.UserStore.
func (t *tx) DeleteSession(_ ctxT, tokenHash []byte) error {
	_, err := t.exec(`DELETE FROM sessions WHERE token_hash = ?`, hex.EncodeToString(tokenHash))
	return err
}

// DeleteExpiredSessions implements motcua.UserStore.
func (t *tx) DeleteExpiredSessions(_ ctxT, now time.Time) (int, error) {
	// Half-signed-in browsers expire much sooner; they go with sessions.
	if _, err := t.exec(`DELETE FROM signin_challenges WHERE expires_at <= ?`, now.UnixMilli()); err != nil {
		return 0, err
	}
	res, err := t.exec(`DELETE FROM sessions WHERE expires_at <= ?`, now.UnixMilli())
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}

// UserSessions implements motcua.UserStore.
func (t *tx) UserSessions(_ ctxT, userID int64, now time.Time) ([]*motcua.Session, error) {
	rows, err := t.query(`SELECT token_hash, created_at, expires_at, user_agent, ip FROM sessions
		WHERE user_id = ? AND expires_at > ? ORDER BY created_at DESC, token_hash`, userID, now.UnixMilli())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*motcua.Session
	for rows.Next() {
		s := motcua.Session{UserID: userID}
		var hash string
		var created, expires int64
		if err := rows.Scan(&hash, &created, &expires, &s.UserAgent, &s.IP); err != nil {
			return nil, err
		}
		if s.TokenHash, err = hex.DecodeString(hash); err != nil {
			return nil, err
		}
		s.CreatedAt, s.ExpiresAt = time.UnixMilli(created).UTC(), time.UnixMilli(expires).UTC()
		out = append(out, &s)
	}
	return out, rows.Err()
}

// DeleteUserSessions implements motcua.UserStore.
func (t *tx) DeleteUserSessions(_ ctxT, userID int64, keep []byte) (int, error) {
	res, err := t.exec(`DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, hex.EncodeToString(keep))
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	return int(n), err
}
