package service

import (
	"context"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// SessionInfo is one of the caller's own sessions as they see it: ID names
// it for EndSession (a prefix of its token's hash, never the token), and
// Current marks the session the request came with.
type SessionInfo struct {
	ID      string
	Current bool
	Session *motcua.Session
}

// sessionID is how a session is named to its owner: the first 12 bytes of
// its token's hash, in hex. It reveals nothing that opens the session.
func sessionID(tokenHash []byte) string {
	if len(tokenHash) > 12 {
		tokenHash = tokenHash[:12]
	}
	return hex.EncodeToString(tokenHash)
}

// MySessions lists the caller's sessions that have not expired, newest
// first, marking the one the request came with
// (motcua.SessionTokenFromContext). Errors: EUNAUTHORIZED.
func (s *Service) MySessions(ctx context.Context) ([]SessionInfo, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	var list []*motcua.Session
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		list, err = tx.UserSessions(ctx, u.ID, s.now())
		return err
	}); err != nil {
		return nil, err
	}
	cur := sessionID(s.tokenHashOf(ctx))
	out := make([]SessionInfo, 0, len(list))
	for _, ss := range list {
		id := sessionID(ss.TokenHash)
		out = append(out, SessionInfo{ID: id, Current: id == cur, Session: ss})
	}
	return out, nil
}

// EndSession ends one of the caller's own sessions, named by its ID (see
// MySessions); ending the current one signs the caller out. Errors:
// EUNAUTHORIZED, ENOTFOUND (no such session of the caller's).
func (s *Service) EndSession(ctx context.Context, id string) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	var ended []byte
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		list, err := tx.UserSessions(ctx, u.ID, s.now())
		if err != nil {
			return err
		}
		for _, ss := range list {
			if sessionID(ss.TokenHash) == id {
				ended = ss.TokenHash
				if err := tx.DeleteSession(ctx, ss.TokenHash); err != nil {
					return err
				}
				return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditLogout, Detail: "session " + id + " ended by its owner"})
			}
		}
		return motcua.Errorf(motcua.ENOTFOUND, "session_not_found", "Không tìm thấy phiên đăng nhập này (có thể đã kết thúc).")
	})
	if ended != nil {
		s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheSession, Key: hex.EncodeToString(ended)})
	}
	return err
}

// EndOtherSessions ends every session of the caller but the one the
// request came with, and returns how many it ended. Errors: EUNAUTHORIZED.
func (s *Service) EndOtherSessions(ctx context.Context) (int, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return 0, err
	}
	var n int
	err = s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		if n, err = tx.DeleteUserSessions(ctx, u.ID, s.tokenHashOf(ctx)); err != nil || n == 0 {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditSessionsEnded, Detail: fmt.Sprintf("%d other sessions ended by their owner", n)})
	})
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheSession})
	return n, err
}

// ChangePassword replaces the caller's password after checking the
// current one, and ends every other session of theirs (the one the
// request came with stays): whoever knew the old password is signed out.
// Errors: EUNAUTHORIZED, EINVALID on field current_password or
// new_password, ECONFLICT when changed meanwhile.
func (s *Service) ChangePassword(ctx context.Context, current, next string) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(next) < 10 {
		return motcua.FieldError("new_password", "password_too_short", "Mật khẩu mới phải có ít nhất 10 ký tự.")
	}
	if len(next) > 1024 {
		return motcua.FieldError("new_password", "password_too_long", "Mật khẩu mới quá dài (tối đa 1024 byte).")
	}
	if next == current {
		return motcua.FieldError("new_password", "password_unchanged", "Mật khẩu mới phải khác mật khẩu hiện tại.")
	}
	var fresh *motcua.User
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { fresh, err = tx.User(ctx, u.ID); return err }); err != nil {
		return err
	}
	ok, err := s.hasher.Verify(fresh.PasswordHash, current)
	if err != nil {
		return err
	}
	if !ok {
		return motcua.FieldError("current_password", "bad_current_password", "Mật khẩu hiện tại không đúng.")
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return err
	}
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		cur, err := tx.User(ctx, u.ID)
		if err != nil {
			return err
		}
		if cur.PasswordHash != fresh.PasswordHash {
			return motcua.Errorf(motcua.ECONFLICT, "password_changed_meanwhile", "Mật khẩu vừa được thay đổi ở nơi khác; vui lòng thử lại.")
		}
		cur.PasswordHash = hash
		if err := tx.UpdateUser(ctx, cur); err != nil {
			return err
		}
		if _, err := tx.DeleteUserSessions(ctx, u.ID, s.tokenHashOf(ctx)); err != nil {
			return err
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditPasswordChanged, Detail: "by its owner; other sessions ended"})
	})
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheSession})
	return err
}

// tokenHashOf returns the hash of the session token the request came with,
// or nil (a request without one: every session is "another").
func (s *Service) tokenHashOf(ctx context.Context) []byte {
	if t := motcua.SessionTokenFromContext(ctx); t != "" {
		return hashToken(t)
	}
	return nil
}
