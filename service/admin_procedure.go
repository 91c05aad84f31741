package service

import (
	"context"
	"strings"

	"github.com/motcua/motcua"
)

// mayEditProcedure reports whether u may change procedure p of the
// catalogue: an administrator over its competent agency, or, for
// procedures that each commune settles (no agency), an administrator of a
// top agency (the province keeps its own catalogue).
func (s *Service) mayEditProcedure(u *motcua.User, p *motcua.Procedure, byID map[int64]*motcua.Agency) bool {
	if p.AgencyID != 0 {
		return s.isAdminOver(u, p.AgencyID, byID)
	}
	return s.isRootAdmin(u, byID)
}

// CreateProcedure adds a procedure to the catalogue: its components, fees,
// time limit, legal basis and process steps (the default process of its
// level when none is given). Errors: EFORBIDDEN, EINVALID (per field),
// ECONFLICT (code taken).
func (s *Service) CreateProcedure(ctx context.Context, p *motcua.Procedure) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	if err := checkProcedureAgency(p, byID); err != nil {
		return err
	}
	if !s.mayEditProcedure(u, p, byID) {
		return motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Bạn không có quyền thêm thủ tục cho cơ quan này.")
	}
	p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
	return s.SetupProcedure(ctx, p)
}

// UpdateProcedure stores p as the next version of its procedure. Dossiers
// already received keep the version they were received under. The caller
// must be allowed to edit both the stored procedure and the changed one.
// Errors: EFORBIDDEN, EINVALID (per field), ECONFLICT (someone changed it
// meanwhile: p.Version is not the current version), ENOTFOUND.
func (s *Service) UpdateProcedure(ctx context.Context, p *motcua.Procedure) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	var old *motcua.Procedure
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { old, err = tx.Procedure(ctx, p.ID); return err }); err != nil {
		return err
	}
	if err := checkProcedureAgency(p, byID); err != nil {
		return err
	}
	if !s.mayEditProcedure(u, old, byID) || !s.mayEditProcedure(u, p, byID) {
		return motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Bạn không có quyền sửa thủ tục của cơ quan này.")
	}
	p.Code, p.Name = strings.TrimSpace(p.Code), strings.TrimSpace(p.Name)
	if len(p.Process.Steps) == 0 {
		p.Process = motcua.DefaultProcess(p.Level)
	}
	if err := p.Validate(); err != nil {
		return err
	}
	p.UpdatedAt = s.now()
	if d, expired := p.ExpiredAt(p.UpdatedAt); expired && d.EffectiveTo != nil {
		p.Published = false // an expired legal basis unpublishes at once
	}
	defer s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheCatalogue}, procVersionKey(p.ID))
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, p) })
}

// checkProcedureAgency checks the competent agency and the agencies named
// in the process steps.
func checkProcedureAgency(p *motcua.Procedure, byID map[int64]*motcua.Agency) error {
	if p.AgencyID != 0 && byID[p.AgencyID] == nil {
		return motcua.FieldError("agency_id", "agency_not_found", "Cơ quan giải quyết không tồn tại.")
	}
	for _, st := range p.Process.Steps {
		if st.AgencyID != 0 && byID[st.AgencyID] == nil {
			return motcua.FieldError("process", "agency_not_found", "Bước \""+st.Name+"\" ghi một cơ quan không tồn tại.")
		}
		for _, part := range st.Parts {
			if part.AgencyID != 0 && byID[part.AgencyID] == nil {
				return motcua.FieldError("process", "agency_not_found", "Bước \""+st.Name+"\" ghi một cơ quan phối hợp không tồn tại.")
			}
		}
	}
	return nil
}
