package service

import (
	"context"
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
// administrator role (someone else must). Locking an account ends its
// sessions at once on this instance (within the cache time on others).
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
	if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateUser(ctx, &next) }); err != nil {
		return nil, err
	}
	// Sessions hold the user as it was: forget them all so that roles and
	// locks apply at once.
	s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheSession})
	return &next, nil
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
