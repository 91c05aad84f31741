package service

import (
	"context"
	"slices"

	"github.com/motcua/motcua"
)

// PopulationLookupLog returns the log of population-database lookups for
// those who supervise: administrators see every lookup, agency leaders
// those made at their agencies; newest first, at most limit (100 when ≤
// 0), of one ID number when idNumber is not empty. The register's answers
// are left out: the log says who asked, when, why, for which dossier and
// what came of it. Reading it is itself logged. Errors: EUNAUTHORIZED,
// EFORBIDDEN (neither), EINVALID (ID number).
func (s *Service) PopulationLookupLog(ctx context.Context, idNumber string, limit int) ([]*motcua.PopulationLookup, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	// Those who supervise read it — the supervisor role, over its agency
	// and those under it, and an agency's leaders over their own agency;
	// administration is not a right to read personal data.
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	led := u.AgenciesWith(motcua.RoleLeader)
	supervises := len(u.AgenciesWith(motcua.RoleSupervisor)) > 0
	if !supervises && len(led) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_supervisor", "Chỉ cán bộ giám sát và lãnh đạo cơ quan được xem nhật ký tra cứu dữ liệu dân cư.")
	}
	if idNumber != "" {
		idNumber = motcua.NormalizeIDNumber(idNumber)
		if err := motcua.ValidateIDNumber(motcua.IDPersonal, idNumber); err != nil {
			return nil, err
		}
	}
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	var all []*motcua.PopulationLookup
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) { all, err = tx.PopulationLookups(ctx, idNumber, limit); return err }); err != nil {
		return nil, err
	}
	out := all[:0]
	for _, l := range all {
		if slices.Contains(led, l.AgencyID) || s.holdsOver(u, motcua.RoleSupervisor, l.AgencyID, byID) {
			l.Citizen, l.TokenHash = nil, nil
			out = append(out, l)
		}
	}
	detail := "nhật ký tra cứu CSDL dân cư"
	if idNumber != "" {
		detail += " của số định danh " + idNumber
	}
	now := s.now()
	err = s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewPersonalData, Detail: detail})
	})
	return out, err
}
