package service

import (
	"context"

	"github.com/motcua/motcua"
)

// FoldCounters moves the live-counter changes the store deferred into the
// counters (PostgreSQL; nothing to do on SQLite) and returns how many
// counters changed. Reports read the same figures before and after; the
// job keeps the deferred changes few so that reading them stays cheap.
func (s *Service) FoldCounters(ctx context.Context) (int, error) {
	var n int64
	err := s.store.Write(ctx, func(tx motcua.Tx) (err error) {
		n, err = tx.FoldStats(ctx)
		return err
	})
	return int(n), err
}
