package sqlstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestOutboxClaimsAreExclusive enqueues messages and lets three store
// handles (three instances) claim them concurrently, several goroutines
// each: every message is claimed exactly once while its lease runs, and is
// claimable again once the lease has ended.
func TestOutboxClaimsAreExclusive(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		addr := sqltest.Fresh(t, e)
		first := sqltest.OpenAt(t, addr)
		if err := first.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		stores := []motcua.Store{first, sqltest.OpenAt(t, addr), sqltest.OpenAt(t, addr)}
		now := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)
		const n = 300
		mustWrite(t, first, func(tx motcua.Tx) error {
			for i := range n {
				due := now
				if i%10 == 9 {
					due = now.Add(time.Hour) // not due yet
				}
				if err := tx.Enqueue(ctx, &motcua.OutboxMessage{Topic: "t", Payload: []byte(`{}`), CreatedAt: now, NextAttemptAt: due}); err != nil {
					return err
				}
			}
			return nil
		})
		var mu sync.Mutex
		claimed := map[int64]int{}
		var wg sync.WaitGroup
		for g := range 9 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					var batch []*motcua.OutboxMessage
					err := stores[g%3].Write(ctx, func(tx motcua.Tx) (err error) {
						batch, err = tx.ClaimOutbox(ctx, now, now.Add(time.Minute), 7, nil)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					if len(batch) == 0 {
						return
					}
					mu.Lock()
					for _, m := range batch {
						claimed[m.ID]++
						if m.Attempts != 1 {
							t.Errorf("message %d claimed with %d attempts counted", m.ID, m.Attempts)
						}
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		if len(claimed) != n-n/10 {
			t.Fatalf("%d messages claimed, want %d (the due ones)", len(claimed), n-n/10)
		}
		for id, c := range claimed {
			if c != 1 {
				t.Fatalf("message %d claimed %d times", id, c)
			}
		}
		var again []*motcua.OutboxMessage
		mustWrite(t, first, func(tx motcua.Tx) (err error) {
			again, err = tx.ClaimOutbox(ctx, now.Add(30*time.Second), now.Add(2*time.Minute), 1000, nil)
			return err
		})
		if len(again) != 0 {
			t.Fatalf("%d messages claimed again while leased", len(again))
		}
		// After the lease, the unfinished ones come back, and the ones
		// not due before are due now.
		var id int64
		mustWrite(t, first, func(tx motcua.Tx) (err error) {
			again, err = tx.ClaimOutbox(ctx, now.Add(2*time.Hour), now.Add(3*time.Hour), 1000, nil)
			if len(again) > 0 {
				id = again[0].ID
				err = tx.OutboxDelivered(ctx, id, now.Add(2*time.Hour))
			}
			return err
		})
		if len(again) != n {
			t.Fatalf("%d messages claimable after the lease, want %d", len(again), n)
		}
		var backlog int
		first.Read(ctx, func(tx motcua.Tx) (err error) { backlog, err = tx.OutboxBacklog(ctx); return err })
		if backlog != n-1 {
			t.Fatalf("backlog %d, want %d", backlog, n-1)
		}
	})
}
