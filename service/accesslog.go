package service

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// auditRefused records that u asked for something about a dossier (id 0
// when the code named none) and was refused. Such attempts are what an
// inspector looks for first; a failure to record one is logged, and the
// refusal stands.
func (s *Service) auditRefused(ctx context.Context, u *motcua.User, dossierID int64, detail, ip string) {
	if u == nil || u == motcua.SystemUser {
		return
	}
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		return tx.Audit(ctx, &motcua.AuditEntry{At: s.now(), UserID: u.ID, Action: motcua.AuditViewRefused,
			DossierID: dossierID, Detail: truncate(detail, 300), IP: ip})
	})
	if err != nil {
		slog.Error("refused access not written to the access log", "user", u.ID, "dossier", dossierID, "err", err)
	}
}

// refusedDossier looks up the id of the dossier with code for the access
// log of a refusal (0 when there is none).
func (s *Service) refusedDossier(ctx context.Context, code string) int64 {
	var id int64
	s.store.Read(ctx, func(tx motcua.Tx) error {
		if d, err := tx.DossierByCode(ctx, code); err == nil {
			id = d.ID
		}
		return nil
	})
	return id
}

// namesSeen remembers which applicants' names each viewer was shown in a
// list today (Vietnam time), so that an inbox refreshed all day writes
// one access-log entry per dossier and viewer a day, not one per refresh.
type namesSeen struct {
	mu   sync.Mutex
	day  string
	seen map[[2]int64]bool
}

// fresh returns the ids of ds not yet logged as seen by user today, and
// marks them.
func (n *namesSeen) fresh(user int64, ds []*motcua.Dossier, now time.Time) []int64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	if day := motcua.FormatDate(now); day != n.day || len(n.seen) > 500_000 {
		n.day, n.seen = day, map[[2]int64]bool{}
	}
	var out []int64
	for _, d := range ds {
		k := [2]int64{user, d.ID}
		if !n.seen[k] {
			n.seen[k] = true
			out = append(out, d.ID)
		}
	}
	return out
}

// forget unmarks ids, whose entries could not be written.
func (n *namesSeen) forget(user int64, ids []int64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, id := range ids {
		delete(n.seen, [2]int64{user, id})
	}
}

// auditNames records that u was shown the applicants' names of ds in a
// list (what), once a day per dossier. Errors: the store's.
func (s *Service) auditNames(ctx context.Context, u *motcua.User, ds []*motcua.Dossier, what string) error {
	now := s.now()
	ids := s.names.fresh(u.ID, ds, now)
	if len(ids) == 0 {
		return nil
	}
	err := s.store.Write(ctx, func(tx motcua.Tx) error {
		for _, id := range ids {
			if err := tx.Audit(ctx, &motcua.AuditEntry{At: now, UserID: u.ID, Action: motcua.AuditViewNames, DossierID: id, Detail: what}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		s.names.forget(u.ID, ids)
	}
	return err
}
