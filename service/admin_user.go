package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// UserChange is what an administrator changes on an account. Password,
// when not empty, replaces the password.
type UserChange struct {
	ID       int64
	FullName string
	Email    string
	Phone    string
	Title    string
	Disabled bool
	Grants   []motcua.Grant
	Password string
}

// User returns one account to an administrator over every agency at which
// it holds a role.
func (s *Service) User(ctx context.Context, id int64) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var target *motcua.User
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		target, err = tx.User(ctx, id)
		return err
	}); err != nil {
		return nil, err
	}
	if !s.administersAll(u, target.Grants, byID) || len(target.Grants) == 0 && !s.isRootAdmin(u, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Bạn chỉ được quản lý tài khoản thuộc cơ quan mình quản trị.")
	}
	return target, nil
}

// UpdateUser changes an account: name, contacts, title, roles, locked or
// not, and optionally the password. The caller must administer every agency
// at which the account holds a role, before and after the change. An
// administrator cannot lock their own account or take away their own
// administrator role (someone else must). A new password, a lock or a
// change of roles ends the account's sessions (all but the caller's own
// when they change themselves), at once on this instance and within the
// cache time on others.
// Errors: EFORBIDDEN, EINVALID (per field), ENOTFOUND.
func (s *Service) UpdateUser(ctx context.Context, c UserChange) (*motcua.User, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	old, err := s.User(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	fields := map[string]string{}
	c.FullName = strings.Join(strings.Fields(c.FullName), " ")
	if c.FullName == "" {
		fields["full_name"] = "Chưa nhập họ và tên."
	}
	c.Email, c.Phone, c.Title = strings.TrimSpace(c.Email), motcua.NormalizePhone(c.Phone), strings.TrimSpace(c.Title)
	if c.Email != "" && (!strings.Contains(c.Email, "@") || strings.ContainsAny(c.Email, " <>")) {
		fields["email"] = "Địa chỉ thư điện tử không hợp lệ."
	}
	if err := motcua.ValidatePhone(c.Phone); err != nil {
		fields["phone"] = motcua.ErrorMessage(err)
	}
	if c.Password != "" && utf8.RuneCountInString(c.Password) < 10 {
		fields["password"] = "Mật khẩu phải có ít nhất 10 ký tự."
	}
	if len(c.Grants) == 0 {
		fields["grants"] = "Cần cấp ít nhất một vai trò tại một cơ quan."
	}
	seen := map[motcua.Grant]bool{}
	for _, g := range c.Grants {
		if !g.Role.Valid() || byID[g.AgencyID] == nil || seen[g] {
			fields["grants"] = "Vai trò hoặc cơ quan được cấp không hợp lệ (hoặc bị trùng)."
		}
		seen[g] = true
	}
	if len(fields) > 0 {
		return nil, &motcua.Error{Code: motcua.EINVALID, Reason: "user_invalid", Message: "Thông tin tài khoản chưa hợp lệ.", Fields: fields}
	}
	if !s.administersAll(u, c.Grants, byID) {
		return nil, motcua.FieldError("grants", "not_admin", "Bạn chỉ được cấp vai trò tại cơ quan mình quản trị.")
	}
	if u.ID == old.ID {
		if c.Disabled {
			return nil, motcua.FieldError("disabled", "cannot_lock_self", "Bạn không thể tự khóa tài khoản của mình.")
		}
		for _, g := range old.Grants {
			if g.Role == motcua.RoleAdmin && !slices.Contains(c.Grants, g) {
				return nil, motcua.FieldError("grants", "cannot_drop_own_admin", "Bạn không thể tự bỏ vai trò quản trị của mình; hãy nhờ quản trị viên khác.")
			}
		}
	}
	next := *old
	next.FullName, next.Email, next.Phone, next.Title = c.FullName, c.Email, c.Phone, c.Title
	next.Disabled, next.Grants = c.Disabled, c.Grants
	if c.Password != "" {
		if next.PasswordHash, err = s.hasher.Hash(c.Password); err != nil {
			return nil, err
		}
	}
	// A new password, a lock or other roles end the account's sessions in
	// the same transaction: whoever held the old password (or a session
	// opened with it) is out, and a lock that is lifted later revives
	// nothing. Only the administrator's own session survives a change
	// they make to themselves.
	why := sessionsEndedBy(old, &next, c.Password != "")
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		if err := tx.UpdateUser(ctx, &next); err != nil {
			return err
		}
		if why == "" {
			return nil
		}
		var keep []byte
		if u.ID == old.ID {
			keep = s.tokenHashOf(ctx)
		}
		n, err := tx.DeleteUserSessions(ctx, old.ID, keep)
		if err != nil {
			return err
		}
		if c.Password != "" {
			if err := tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditPasswordChanged,
				Detail: fmt.Sprintf("account %d reset by an administrator", old.ID)}); err != nil {
				return err
			}
		}
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditSessionsEnded,
			Detail: fmt.Sprintf("account %d: %d sessions ended (%s)", old.ID, n, why)})
	})
	if err != nil {
		return nil, err
	}
	// Sessions hold the user as it was: forget them all so that roles and
	// locks apply at once.
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheSession})
	return &next, nil
}

// sessionsEndedBy says why a change from old to next ends the account's
// sessions ("" when it does not): a new password, a lock, other roles.
func sessionsEndedBy(old, next *motcua.User, newPassword bool) string {
	var why []string
	if newPassword {
		why = append(why, "password reset")
	}
	if next.Disabled && !old.Disabled {
		why = append(why, "locked")
	}
	if !sameGrants(old.Grants, next.Grants) {
		why = append(why, "roles changed")
	}
	return strings.Join(why, ", ")
}

func sameGrants(a, b []motcua.Grant) bool {
	if len(a) != len(b) {
		return false
	}
	for _, g := range a {
		if !slices.Contains(b, g) {
			return false
		}
	}
	return true
}

// administersAll reports whether u administers every agency of grants.
func (s *Service) administersAll(u *motcua.User, grants []motcua.Grant, byID map[int64]*motcua.Agency) bool {
	for _, g := range grants {
		if !s.isAdminOver(u, g.AgencyID, byID) {
			return false
		}
	}
	return true
}

// isRootAdmin reports whether u administers the province (rootAgency). An
// administrator of another agency left at the top is not one.
func (s *Service) isRootAdmin(u *motcua.User, byID map[int64]*motcua.Agency) bool {
	root := rootAgency(byID)
	return root != nil && u.Has(motcua.RoleAdmin, root.ID)
}
