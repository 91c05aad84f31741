package service

import (
	"context"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// agencyCache keeps the agency list in memory: it is small, read on every
// authorization check, and changes rarely. Changes made through this
// instance invalidate it at once; other instances' changes show within ttl.
type agencyCache struct {
	mu     sync.Mutex
	loaded time.Time
	byID   map[int64]*motcua.Agency
	list   []*motcua.Agency
	points map[int64]*motcua.ReceptionPoint
	// succ holds the "merged into" links of merged agencies (mergers).
	succ motcua.Successors
}

const agencyCacheTTL = time.Minute

func (s *Service) agencyMap(ctx context.Context) (map[int64]*motcua.Agency, []*motcua.Agency, error) {
	c := &s.agencies
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byID != nil && time.Since(c.loaded) < agencyCacheTTL {
		return c.byID, c.list, nil
	}
	var list []*motcua.Agency
	var points []*motcua.ReceptionPoint
	var succ motcua.Successors
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if list, err = tx.Agencies(ctx); err != nil {
			return err
		}
		if succ, err = tx.Successions(ctx); err != nil {
			return err
		}
		points, err = tx.ReceptionPoints(ctx, 0)
		return err
	}); err != nil {
		return nil, nil, err
	}
	c.byID = make(map[int64]*motcua.Agency, len(list))
	for _, a := range list {
		c.byID[a.ID] = a
	}
	c.points = make(map[int64]*motcua.ReceptionPoint, len(points))
	for _, p := range points {
		c.points[p.ID] = p
	}
	c.list, c.loaded, c.succ = list, time.Now(), succ
	return c.byID, c.list, nil
}

func (s *Service) invalidateAgencies() {
	s.agencies.mu.Lock()
	s.agencies.byID = nil
	s.agencies.mu.Unlock()
}

// Agencies lists every agency (public information).
func (s *Service) Agencies(ctx context.Context) ([]*motcua.Agency, error) {
	_, list, err := s.agencyMap(ctx)
	return list, err
}

// Agency returns one agency by e-ID code (public information).
func (s *Service) Agency(ctx context.Context, code string) (*motcua.Agency, []*motcua.ReceptionPoint, error) {
	var a *motcua.Agency
	var points []*motcua.ReceptionPoint
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if a, err = tx.AgencyByCode(ctx, code); err != nil {
			return err
		}
		points, err = tx.ReceptionPoints(ctx, a.ID)
		return err
	})
	return a, points, err
}

// ReceptionPoints lists the reception points of an agency (0: all).
func (s *Service) ReceptionPoints(ctx context.Context, agencyID int64) ([]*motcua.ReceptionPoint, error) {
	var points []*motcua.ReceptionPoint
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		points, err = tx.ReceptionPoints(ctx, agencyID)
		return err
	})
	return points, err
}

// CreateAgency adds an agency under an existing one; only administrators of
// the parent agency (or of an agency above it) may. Root agencies are made
// at installation with SetupAgency.
func (s *Service) CreateAgency(ctx context.Context, a *motcua.Agency) error {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return err
	}
	if a.ParentID == 0 || !s.isAdminOver(u, a.ParentID, byID) {
		return motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Chỉ quản trị viên của cơ quan cấp trên mới được thêm cơ quan.")
	}
	return s.SetupAgency(ctx, a)
}

// SetupAgency adds an agency without an authorization check; it is for
// installation and demo data, called by the command line only. An
// installation has one top agency, the province (see rootAgency): any
// other agency goes under an existing one (EINVALID second_root_agency).
func (s *Service) SetupAgency(ctx context.Context, a *motcua.Agency) error {
	if err := a.Validate(); err != nil {
		return err
	}
	if err := s.cfg.AgencyCodes.Check(a.Code); err != nil {
		return err
	}
	if a.ParentID == 0 {
		byID, _, err := s.agencyMap(ctx)
		if err != nil {
			return err
		}
		if root := rootAgency(byID); root != nil {
			return motcua.FieldError("parent_id", "second_root_agency",
				"Hệ thống đã có cơ quan cấp cao nhất ("+root.Name+"); cơ quan mới phải thuộc một cơ quan cấp trên, kể cả cơ quan ngành dọc.")
		}
	}
	defer s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheAgencies})
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, a) })
}

// SetupReceptionPoint adds a reception point without an authorization check
// (installation and demo data).
func (s *Service) SetupReceptionPoint(ctx context.Context, p *motcua.ReceptionPoint) error {
	if p.Name == "" || p.Code == "" || p.AgencyID == 0 {
		return motcua.Errorf(motcua.EINVALID, "reception_point_invalid", "Điểm tiếp nhận cần có mã, tên và cơ quan.")
	}
	defer s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheAgencies})
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, p) })
}

// rootAgency returns the installation's top agency, the province: the
// top-level provincial People's Committee, or else the top-level agency
// made first; nil when there are no agencies.
func rootAgency(byID map[int64]*motcua.Agency) *motcua.Agency {
	var root *motcua.Agency
	better := func(a *motcua.Agency) bool {
		if root == nil {
			return true
		}
		ac, rc := a.Kind == motcua.KindProvinceCommittee, root.Kind == motcua.KindProvinceCommittee
		return ac && !rc || ac == rc && a.ID < root.ID
	}
	for _, a := range byID {
		if a.ParentID == 0 && better(a) {
			root = a
		}
	}
	return root
}

// isAdminOver reports whether u is an administrator at agency id or at one
// of its ancestors. Administration follows the agency tree, with one
// addition: an agency left at the top beside the province (a vertical
// agency in a database made before the province became every agency's
// root) is administered from the province too. A provincial data centre
// manages every account of the one TTHC system of the province (NĐ 118
// Art.27(2)), vertical agencies' staff included, even though those
// agencies answer to their ministries; only administration reaches them
// this way, never the right to see their dossiers.
func (s *Service) isAdminOver(u *motcua.User, id int64, byID map[int64]*motcua.Agency) bool {
	if s.holdsOver(u, motcua.RoleAdmin, id, byID) {
		return true
	}
	top := id
	for seen := 0; seen < 64; seen++ {
		a, ok := byID[top]
		if !ok || a.ParentID == 0 {
			break
		}
		top = a.ParentID
	}
	root := rootAgency(byID)
	return root != nil && top != root.ID && u.Has(motcua.RoleAdmin, root.ID)
}

// holdsOver reports whether u holds role at agency id or at an ancestor.
func (s *Service) holdsOver(u *motcua.User, role motcua.Role, id int64, byID map[int64]*motcua.Agency) bool {
	for seen := 0; id != 0 && seen < 64; seen++ {
		if u.Has(role, id) {
			return true
		}
		a, ok := byID[id]
		if !ok {
			return false
		}
		id = a.ParentID
	}
	return false
}

// receptionPoint returns a reception point from the cache, reloading it
// once when the point is not there (it may have just been created).
func (s *Service) receptionPoint(ctx context.Context, id int64) (*motcua.ReceptionPoint, error) {
	for try := 0; try < 2; try++ {
		if _, _, err := s.agencyMap(ctx); err != nil {
			return nil, err
		}
		s.agencies.mu.Lock()
		p, ok := s.agencies.points[id]
		s.agencies.mu.Unlock()
		if ok {
			return p, nil
		}
		if try == 0 {
			s.invalidateAgencies()
		}
	}
	return nil, motcua.Errorf(motcua.ENOTFOUND, "reception_point_not_found", "Không tìm thấy điểm tiếp nhận.")
}

// AgencyIndex returns every agency by id (public information), from the
// cache.
func (s *Service) AgencyIndex(ctx context.Context) (map[int64]*motcua.Agency, error) {
	byID, _, err := s.agencyMap(ctx)
	return byID, err
}

// successorOf returns the agency that stands for id now: id, or the end
// of its chain of successors when it was merged. It reads the cached
// links only (never the store), because the decider calls it inside
// write transactions; the callers load the cache first (agencyMap).
func (s *Service) successorOf(id int64) int64 {
	s.agencies.mu.Lock()
	defer s.agencies.mu.Unlock()
	return s.agencies.succ.Final(id)
}

// Successions returns the "merged into" links of the agencies merged into
// others (public information).
func (s *Service) Successions(ctx context.Context) (motcua.Successors, error) {
	return s.successions(ctx)
}

// successions returns the "merged into" links, loading them if needed.
func (s *Service) successions(ctx context.Context) (motcua.Successors, error) {
	if _, _, err := s.agencyMap(ctx); err != nil {
		return nil, err
	}
	s.agencies.mu.Lock()
	defer s.agencies.mu.Unlock()
	return s.agencies.succ, nil
}
