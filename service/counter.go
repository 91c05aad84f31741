package service

import (
	"context"
	"slices"

	"github.com/motcua/motcua"
)

// CounterDesk is what the reception screen offers a one-stop officer: the
// reception points where the officer receives, and the communes that may be
// chosen as competent agency for procedures each commune settles (dossiers
// are received regardless of administrative boundary, Art.3(7)).
type CounterDesk struct {
	Points   []*motcua.ReceptionPoint
	Communes []*motcua.Agency
}

// CounterDesk returns the reception points of the agencies where the caller
// holds the reception role. Errors: EUNAUTHORIZED, EFORBIDDEN (not a
// one-stop officer anywhere).
func (s *Service) CounterDesk(ctx context.Context) (*CounterDesk, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	agencies := u.AgenciesWith(motcua.RoleReception)
	if len(agencies) == 0 {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_reception_officer", "Chức năng tiếp nhận chỉ dành cho công chức Bộ phận Một cửa.")
	}
	_, list, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	desk := &CounterDesk{}
	s.agencies.mu.Lock()
	for _, p := range s.agencies.points {
		if slices.Contains(agencies, p.AgencyID) {
			desk.Points = append(desk.Points, p)
		}
	}
	s.agencies.mu.Unlock()
	slices.SortFunc(desk.Points, func(a, b *motcua.ReceptionPoint) int { return int(a.ID - b.ID) })
	succ, err := s.successions(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range list {
		// A merged commune is no longer offered: its successor is.
		if a.Kind == motcua.KindCommuneCommittee && succ.Active(a.ID) {
			desk.Communes = append(desk.Communes, a)
		}
	}
	return desk, nil
}
