package service

import (
	"context"
	"strings"

	"github.com/motcua/motcua"
)

// AdministeredAgencies returns the agencies the caller administers: those
// at which the caller holds the administrator role and every agency below
// them, in the order of the agency list.
func (s *Service) AdministeredAgencies(ctx context.Context) ([]*motcua.Agency, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	byID, list, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	var out []*motcua.Agency
	for _, a := range list {
		if s.isAdminOver(u, a.ID, byID) {
			out = append(out, a)
		}
	}
	if len(out) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Chức năng này chỉ dành cho quản trị viên.")
	}
	return out, nil
}

// UpdateAgency changes an agency's name, level, kind, parent, address,
// phone, code and one-stop flag. The caller must administer the agency (at
// it or above it) and, when the parent changes, the new parent too; an
// agency cannot be moved under itself or one of its descendants. Errors:
// EFORBIDDEN, EINVALID (per field), ECONFLICT (code taken), ENOTFOUND.
func (s *Service) UpdateAgency(ctx context.Context, a *motcua.Agency) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	old, ok := byID[a.ID]
	if !ok {
		return motcua.Errorf(motcua.ENOTFOUND, "agency_not_found", "Không tìm thấy cơ quan.")
	}
	if !s.isAdminOver(u, a.ID, byID) {
		return motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Bạn chỉ được sửa cơ quan thuộc phạm vi mình quản trị.")
	}
	a.Code, a.Name = strings.TrimSpace(a.Code), strings.TrimSpace(a.Name)
	a.Address, a.Phone = strings.TrimSpace(a.Address), strings.TrimSpace(a.Phone)
	if err := a.Validate(); err != nil {
		return err
	}
	if err := s.cfg.AgencyCodes.Check(a.Code); err != nil {
		return err
	}
	if a.ParentID != old.ParentID {
		if a.ParentID == 0 || !s.isAdminOver(u, a.ParentID, byID) {
			return motcua.FieldError("parent_id", "parent_not_administered", "Bạn chỉ được chuyển cơ quan về dưới một cơ quan mình quản trị.")
		}
		for cur, n := a.ParentID, 0; cur != 0 && n < 64; n++ {
			if cur == a.ID {
				return motcua.FieldError("parent_id", "parent_cycle", "Không thể đặt cơ quan dưới chính nó hoặc đơn vị trực thuộc của nó.")
			}
			p, ok := byID[cur]
			if !ok {
				return motcua.FieldError("parent_id", "parent_not_found", "Cơ quan cấp trên không tồn tại.")
			}
			cur = p.ParentID
		}
	}
	defer s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheAgencies})
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateAgency(ctx, a) })
}

// CreateReceptionPoint adds a reception point (counter, branch, extra point
// of a commune) to an agency the caller administers.
func (s *Service) CreateReceptionPoint(ctx context.Context, p *motcua.ReceptionPoint) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	if _, ok := byID[p.AgencyID]; !ok {
		return motcua.FieldError("agency_id", "agency_not_found", "Cơ quan không tồn tại.")
	}
	if !s.isAdminOver(u, p.AgencyID, byID) {
		return motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Bạn chỉ được thêm điểm tiếp nhận cho cơ quan mình quản trị.")
	}
	p.Code, p.Name, p.Address = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name), strings.TrimSpace(p.Address)
	fields := map[string]string{}
	if p.Code == "" {
		fields["code"] = "Chưa nhập mã điểm tiếp nhận."
	}
	if p.Name == "" {
		fields["name"] = "Chưa nhập tên điểm tiếp nhận."
	}
	if len(fields) > 0 {
		return &motcua.Error{Code: motcua.EINVALID, Reason: "reception_point_invalid", Message: "Thông tin điểm tiếp nhận chưa hợp lệ.", Fields: fields}
	}
	defer s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheAgencies})
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, p) })
}
