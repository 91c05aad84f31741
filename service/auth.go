package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// SignIn is the result of a successful login: the session token (given to
// the client once, kept only as a hash) and the user.
//
// When the account has a second factor, or its roles require one, Login
// opens no session: Token is empty and Challenge holds the token of the
// half-signed-in state (to keep in the browser until SecondFactor), Enrol
// telling whether the account must first enrol (ChallengeEnrolment).
type SignIn struct {
	Token   string
	User    *motcua.User
	Session *motcua.Session

	Challenge        string
	ChallengeExpires time.Time
	Enrol            bool
	// RecoveryCodes are the codes of an enrolment just confirmed, to be
	// shown once; RecoveryCodesLeft counts the unused ones.
	RecoveryCodes     []string
	RecoveryCodesLeft int
}

// Login checks a username and password and opens a session. Wrong names
// and wrong passwords get the same answer in about the same time (an
// unknown account's guess is checked against a dummy hash). Guessing is
// limited by account and client address and by address, and slowed down
// by account (signInGuard): ETOOMANY, never a lock-out of the account
// itself. Both outcomes are written to the audit log.
func (s *Service) Login(ctx context.Context, username, password, ip, userAgent string) (*SignIn, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	if len(username) > 200 || len(password) > 1024 {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "bad_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.")
	}
	now := s.now()
	keys := keysOf(username, ip)
	if err := s.logins.admit(keys, now); err != nil {
		return nil, err
	}
	if err := wait(ctx, s.logins.delay(keys, now)); err != nil {
		return nil, err
	}
	wrong := motcua.Errorf(motcua.EUNAUTHORIZED, "bad_credentials", "Tên đăng nhập hoặc mật khẩu không đúng.")
	var u *motcua.User
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		u, err = tx.UserByUsername(ctx, username)
		return err
	})
	if err != nil && motcua.ErrorCode(err) != motcua.ENOTFOUND {
		s.logins.succeeded(keys) // the system failed, not the guess
		return nil, err
	}
	encoded := s.dummyHash()
	if u != nil && !u.Disabled && u.PasswordHash != "" {
		encoded = u.PasswordHash
	}
	ok, err := s.hasher.Verify(encoded, password)
	if err != nil {
		return nil, err
	}
	ok = ok && encoded != s.dummyHash()
	if !ok {
		s.logins.failed(keys, now)
		s.tellOthers(ctx, motcua.CacheKey{Kind: motcua.CacheLoginFailure, Key: keys.pair},
			motcua.CacheKey{Kind: motcua.CacheLoginFailure, Key: keys.addr}, motcua.CacheKey{Kind: motcua.CacheLoginFailure, Key: keys.user})
		var uid int64
		if u != nil {
			uid = u.ID
		}
		_ = s.store.Write(ctx, func(tx motcua.Tx) error {
			return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: uid, Action: motcua.AuditLoginFailed, Detail: truncate(username, 100), IP: ip})
		})
		return nil, wrong
	}
	cleared := s.logins.hadFailures(keys)
	s.logins.succeeded(keys)
	if cleared {
		// Only then: the other instances hold the same counts (they
		// travel on the bus), and most sign-ins follow no failure.
		s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheLoginReset, Key: keys.pair}, motcua.CacheKey{Kind: motcua.CacheLoginReset, Key: keys.user})
	}
	if half, err := s.challengeFor(ctx, u, ip, userAgent, now); err != nil || half != nil {
		return half, err
	}
	token, hash := newToken()
	sess := &motcua.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(s.cfg.SessionTTL),
		UserAgent: truncate(userAgent, 200), IP: ip}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.CreateSession(ctx, sess); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditLogin, IP: ip})
	}); err != nil {
		return nil, err
	}
	return &SignIn{Token: token, User: u, Session: sess}, nil
}

// Authenticate returns the user of a session token, or EUNAUTHORIZED.
func (s *Service) Authenticate(ctx context.Context, token string) (*motcua.User, error) {
	if token == "" {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "not_signed_in", "Vui lòng đăng nhập để tiếp tục.")
	}
	hash := hashToken(token)
	now := s.now()
	u, hit, gen := s.sessions.get(string(hash), now)
	if hit && u.Disabled {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "account_disabled", "Tài khoản đã bị khóa.")
	} else if hit {
		return u, nil
	}
	var sess *motcua.Session
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if sess, err = tx.Session(ctx, hash, now); err != nil {
			return err
		}
		u, err = tx.User(ctx, sess.UserID)
		return err
	})
	if err != nil {
		if c := motcua.ErrorCode(err); c == motcua.ENOTFOUND {
			return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "session_expired", "Phiên đăng nhập đã hết hạn; vui lòng đăng nhập lại.")
		}
		return nil, err
	}
	if u.Disabled {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "account_disabled", "Tài khoản đã bị khóa.")
	}
	// A session about to expire is not cached past its expiry.
	if sess.ExpiresAt.Sub(now) > s.cfg.CacheTTL {
		s.sessions.put(string(hash), u, gen, now)
	}
	return u, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	u := motcua.UserFromContext(ctx)
	defer s.changed(ctx, sessionKey(token))
	return s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.DeleteSession(ctx, hashToken(token)); err != nil {
			return err
		}
		if u == nil {
			return nil
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditLogout})
	})
}

// DeleteExpiredSessions removes sessions past their expiry (a scheduled job).
func (s *Service) DeleteExpiredSessions(ctx context.Context) (int, error) {
	var n int
	err := s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		n, err = tx.DeleteExpiredSessions(ctx, s.now())
		return err
	})
	return n, err
}

// NewUser is what an administrator gives to create an account.
type NewUser struct {
	Username string
	FullName string
	Email    string
	Phone    string
	Title    string
	Password string
	Grants   []motcua.Grant
}

func (n *NewUser) validate() error {
	fields := map[string]string{}
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	if l := len(n.Username); l < 3 || l > 64 || strings.IndexFunc(n.Username, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-')
	}) >= 0 {
		fields["username"] = "Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch dưới hoặc gạch ngang."
	}
	if strings.TrimSpace(n.FullName) == "" {
		fields["full_name"] = "Chưa nhập họ và tên."
	}
	if utf8.RuneCountInString(n.Password) < 10 {
		fields["password"] = "Mật khẩu phải có ít nhất 10 ký tự."
	}
	if len(n.Grants) == 0 {
		fields["grants"] = "Cần cấp ít nhất một vai trò tại một cơ quan."
	}
	for _, g := range n.Grants {
		if !g.Role.Valid() || g.AgencyID == 0 {
			fields["grants"] = "Vai trò hoặc cơ quan được cấp không hợp lệ."
		}
	}
	if len(fields) > 0 {
		return &motcua.Error{Code: motcua.EINVALID, Reason: "user_invalid", Message: "Thông tin tài khoản chưa hợp lệ.", Fields: fields}
	}
	return nil
}

// CreateUser adds an account. The caller must be an administrator over
// every agency at which the new account is granted a role.
func (s *Service) CreateUser(ctx context.Context, n NewUser) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	for _, g := range n.Grants {
		if !s.isAdminOver(u, g.AgencyID, byID) {
			return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Bạn chỉ được cấp vai trò tại cơ quan mình quản trị.")
		}
	}
	return s.SetupUser(ctx, n)
}

// SetupUser adds an account without an authorization check; it is for
// installation and demo data, called by the command line only.
func (s *Service) SetupUser(ctx context.Context, n NewUser) (*motcua.User, error) {
	if err := n.validate(); err != nil {
		return nil, err
	}
	hash, err := s.hasher.Hash(n.Password)
	if err != nil {
		return nil, err
	}
	u := &motcua.User{Username: n.Username, FullName: strings.TrimSpace(n.FullName), Email: n.Email, Phone: n.Phone,
		Title: n.Title, Grants: n.Grants, PasswordHash: hash, CreatedAt: s.now()}
	if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateUser(ctx, u) }); err != nil {
		return nil, err
	}
	return u, nil
}

// Users lists the accounts with a role at an agency (0: all), for
// administrators over that agency and for heads and leaders choosing whom to
// assign.
func (s *Service) Users(ctx context.Context, f motcua.UserFilter) ([]*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	allowed := f.AgencyID != 0 && (s.isAdminOver(u, f.AgencyID, byID) || u.Has(motcua.RoleHead, f.AgencyID) || u.Has(motcua.RoleLeader, f.AgencyID))
	if f.AgencyID == 0 {
		allowed = s.isRootAdmin(u, byID)
	}
	if !allowed {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_permitted", "Bạn không có quyền xem danh sách tài khoản của cơ quan này.")
	}
	var out []*motcua.User
	err = s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		out, err = tx.Users(ctx, f)
		return err
	})
	return out, err
}

func newToken() (string, []byte) {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand panics instead on a broken system)
	t := base64.RawURLEncoding.EncodeToString(b)
	return t, hashToken(t)
}

func hashToken(t string) []byte {
	h := sha256.Sum256([]byte(t))
	return h[:]
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
