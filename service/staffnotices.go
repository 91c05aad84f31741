package service

import (
	"context"
	"time"

	"github.com/motcua/motcua"
)

// MyNotifications returns the signed-in staff member's notifications,
// newest first (up to 100), and marks them read. Errors: EUNAUTHORIZED.
func (s *Service) MyNotifications(ctx context.Context) ([]*motcua.StaffNotification, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	var out []*motcua.StaffNotification
	if err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		out, err = tx.StaffNotifications(ctx, u.ID, 100)
		return err
	}); err != nil {
		return nil, err
	}
	if len(out) > 0 && out[0].ReadAt.IsZero() {
		now := s.now()
		if err := s.store.Write(ctx, func(tx motcua.Tx) error {
			_, err := tx.MarkStaffNotificationsRead(ctx, u.ID, now)
			return err
		}); err != nil {
			return nil, err
		}
		s.changed(ctx, unreadKey(u.ID))
	}
	return out, nil
}

// UnreadNotifications counts the signed-in staff member's unread
// notifications (the bell on every staff page); 0 for anyone else.
func (s *Service) UnreadNotifications(ctx context.Context) (int, error) {
	u := motcua.UserFromContext(ctx)
	if u == nil || u == motcua.SystemUser {
		return 0, nil
	}
	// The count is on every staff page (on PostgreSQL a round trip and
	// most of a statement's server CPU for one row), and changes only when
	// a warning is recorded or the member reads the notifications: both
	// drop the cached count (changed), so this instance shows a change at
	// once and another one within the cache's time to live.
	now := s.now()
	n, ok, gen := s.unread.get(u.ID, now)
	if ok {
		return n, nil
	}
	// One statement: no snapshot to share.
	err := s.store.Read(motcua.NewContextNoSnapshot(ctx), func(tx motcua.Tx) (err error) {
		n, err = tx.UnreadStaffNotifications(ctx, u.ID)
		return err
	})
	if err == nil {
		s.unread.put(u.ID, n, gen, now)
	}
	return n, err
}

// DossierAlert is the most urgent warning level a running clock of the
// dossier has reached at now ("" when none), for inbox badges; it reads
// nothing.
func (s *Service) DossierAlert(d *motcua.Dossier, now time.Time) (string, motcua.Clock) {
	return motcua.WorstClock(&d.Status, now, s.Calendar(), s.warnTimes())
}
