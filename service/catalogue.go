package service

import (
	"cmp"
	"context"
	"fmt"
	"strings"

	"github.com/motcua/motcua"
)

// FindProcedures searches the catalogue (public information). Only
// published procedures are listed unless the caller is an administrator.
func (s *Service) FindProcedures(ctx context.Context, f motcua.ProcedureFilter) ([]*motcua.Procedure, error) {
	if u := motcua.UserFromContext(ctx); u == nil || !u.HasRole(motcua.RoleAdmin) {
		f.PublishedOnly = true
	}
	var out []*motcua.Procedure
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		out, err = tx.FindProcedures(ctx, f)
		return err
	})
	return out, err
}

// Procedure returns one procedure of the catalogue by id (public).
func (s *Service) Procedure(ctx context.Context, id int64) (*motcua.Procedure, error) {
	var p *motcua.Procedure
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		p, err = tx.Procedure(ctx, id)
		return err
	})
	if err == nil && !p.Published {
		if u := motcua.UserFromContext(ctx); u == nil || !u.HasRole(motcua.RoleAdmin) {
			return nil, motcua.Errorf(motcua.ENOTFOUND, "procedure_not_found", "Không tìm thấy thủ tục hành chính.")
		}
	}
	return p, err
}

// ProcedureByCode returns one procedure by its national code (public).
func (s *Service) ProcedureByCode(ctx context.Context, code string) (*motcua.Procedure, error) {
	var p *motcua.Procedure
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		p, err = tx.ProcedureByCode(ctx, strings.TrimSpace(code))
		return err
	})
	if err != nil {
		return nil, err
	}
	return s.Procedure(ctx, p.ID)
}

// procedureVersion returns the version of a procedure a dossier was received
// under. Versions never change, so they are cached.
func (s *Service) procedureVersion(ctx context.Context, tx motcua.Tx, id int64, version int) (*motcua.Procedure, error) {
	key := procedureKey{id, version}
	if p, ok := s.versions.Load(key); ok {
		return p.(*motcua.Procedure), nil
	}
	p, err := tx.ProcedureVersion(ctx, id, version)
	if err != nil {
		return nil, err
	}
	s.versions.Store(key, p)
	return p, nil
}

// currentProcedure returns the current version of a procedure. The version
// number is cached for the cache TTL (a change made through this instance
// invalidates it at once); versions themselves never change.
func (s *Service) currentProcedure(ctx context.Context, id int64) (*motcua.Procedure, error) {
	now := s.now()
	v, hit, gen := s.procVersions.get(id, now)
	var p *motcua.Procedure
	err := func() error {
		if hit {
			if cached, ok := s.versions.Load(procedureKey{id, v}); ok {
				p = cached.(*motcua.Procedure)
				return nil
			}
		}
		return s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			if v, err = tx.CurrentVersion(ctx, id); err != nil {
				return err
			}
			p, err = s.procedureVersion(ctx, tx, id, v)
			return err
		})
	}()
	if err != nil {
		return nil, err
	}
	if !hit {
		s.procVersions.put(id, v, gen, now)
	}
	return p, nil
}

// SetupProcedure adds a procedure to the catalogue without an authorization
// check (installation, import and demo data). A procedure without a
// process gets the default process of its level.
func (s *Service) SetupProcedure(ctx context.Context, p *motcua.Procedure) error {
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
	defer s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheCatalogue})
	return s.store.Write(ctx, func(tx motcua.Tx) error { return tx.CreateProcedure(ctx, p) })
}

// UnpublishExpired unpublishes published procedures whose legal basis has
// expired (a scheduled job). It returns how many it changed, and records a
// run that changed some in the audit log: the count and the first codes
// (each procedure's own note says why).
func (s *Service) UnpublishExpired(ctx context.Context) (n int, err error) {
	now := s.now()
	var codes []string
	defer func() {
		if n == 0 {
			return
		}
		detail := fmt.Sprintf("%d thủ tục ngừng công bố vì căn cứ pháp lý hết hiệu lực: %s", n, strings.Join(codes, ", "))
		if n > len(codes) {
			detail += fmt.Sprintf(" và %d thủ tục khác", n-len(codes))
		}
		if aerr := s.store.Write(ctx, func(tx motcua.Tx) error {
			return tx.Audit(ctx, &motcua.AuditEntry{At: now, Action: motcua.AuditCatalogueExpired, Detail: detail})
		}); err == nil {
			err = aerr
		}
	}()
	for offset := 0; ; offset += 500 {
		var page []*motcua.Procedure
		if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
			page, err = tx.FindProcedures(ctx, motcua.ProcedureFilter{PublishedOnly: true, Limit: 500, Offset: offset})
			return err
		}); err != nil {
			return n, err
		}
		for _, p := range page {
			d, expired := p.ExpiredAt(now)
			if !expired || d.EffectiveTo == nil || now.Before(*d.EffectiveTo) {
				continue
			}
			p.Published = false
			p.UpdatedAt = now
			p.Notes = strings.TrimSpace(p.Notes + "\nTự động ngừng công bố ngày " + motcua.FormatDate(now) + ": căn cứ pháp lý " + d.Number + " hết hiệu lực.")
			if err := s.store.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateProcedure(ctx, p) }); err != nil {
				return n, err
			}
			s.changed(ctx, motcua.CacheKey{Kind: motcua.CacheCatalogue}, procVersionKey(p.ID))
			n++
			if len(codes) < 10 {
				codes = append(codes, cmp.Or(p.Code, p.Name))
			}
			offset-- // the list of published procedures just shrank by one
		}
		if len(page) < 500 {
			return n, nil
		}
	}
}
