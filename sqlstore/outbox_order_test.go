package sqlstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestOutboxKeepsOrderPerKey enqueues interleaved messages of several keys
// and lets three instances claim and deliver them concurrently, failing
// some attempts: no message is claimed while an earlier one of its key is
// undelivered, so each key's messages are delivered in the order they were
// written; a message given up holds back its key until it is replayed.
func TestOutboxKeepsOrderPerKey(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		addr := sqltest.Fresh(t, e)
		first := sqltest.OpenAt(t, addr)
		if err := first.Migrate(ctx, nil); err != nil {
			t.Fatal(err)
		}
		stores := []motcua.Store{first, sqltest.OpenAt(t, addr), sqltest.OpenAt(t, addr)}
		now := time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)
		const keys, per = 12, 8
		mustWrite(t, first, func(tx motcua.Tx) error {
			for i := range per {
				for k := range keys {
					m := &motcua.OutboxMessage{Topic: motcua.TopicPortalSync, Key: fmt.Sprintf("dossier:%d", k),
						Payload: fmt.Appendf(nil, `{"n":%d}`, i), CreatedAt: now, NextAttemptAt: now}
					if err := tx.Enqueue(ctx, m); err != nil {
						return err
					}
				}
			}
			return nil
		})
		var mu sync.Mutex
		delivered := map[string][]string{}
		inFlight := map[string]bool{}
		attempts := 0
		var wg sync.WaitGroup
		for g := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for round := 0; round < 500; round++ {
					var batch []*motcua.OutboxMessage
					err := stores[g%3].Write(ctx, func(tx motcua.Tx) (err error) {
						batch, err = tx.ClaimOutbox(ctx, now, now.Add(time.Minute), 5, nil)
						return err
					})
					if err != nil {
						t.Error(err)
						return
					}
					if len(batch) == 0 {
						mu.Lock()
						done := len(delivered) == keys && allLen(delivered, per)
						mu.Unlock()
						if done {
							return
						}
						time.Sleep(time.Millisecond)
						continue
					}
					mu.Lock()
					for _, m := range batch {
						if inFlight[m.Key] {
							t.Errorf("two messages of %s in flight at once", m.Key)
						}
						inFlight[m.Key] = true
					}
					mu.Unlock()
					for _, m := range batch {
						// The bookkeeping and the record of the outcome are
						// one step, so that what the test saw matches what
						// the store committed.
						mu.Lock()
						inFlight[m.Key] = false
						attempts++
						fail := attempts%4 == 0
						err := stores[g%3].Write(ctx, func(tx motcua.Tx) error {
							if fail {
								return tx.OutboxRetry(ctx, m.ID, "portal down", now, now, false)
							}
							return tx.OutboxDelivered(ctx, m.ID, now)
						})
						if err == nil && !fail {
							delivered[m.Key] = append(delivered[m.Key], string(m.Payload))
						}
						mu.Unlock()
						if err != nil {
							t.Error(err)
						}
					}
				}
			}()
		}
		wg.Wait()
		for k := range keys {
			key := fmt.Sprintf("dossier:%d", k)
			got := delivered[key]
			if len(got) != per {
				t.Fatalf("%s: %d of %d delivered", key, len(got), per)
			}
			for i, p := range got {
				if want := fmt.Sprintf(`{"n":%d}`, i); p != want {
					t.Fatalf("%s delivered out of order: %v", key, got)
				}
			}
		}

		// A message given up holds back the later ones of its key, not
		// those of other keys; replayed, it goes first.
		var ids []int64
		mustWrite(t, first, func(tx motcua.Tx) error {
			for _, k := range []string{"a", "a", "b"} {
				m := &motcua.OutboxMessage{Topic: motcua.TopicPortalSync, Key: k, Payload: []byte(`{}`), CreatedAt: now, NextAttemptAt: now}
				if err := tx.Enqueue(ctx, m); err != nil {
					return err
				}
				ids = append(ids, m.ID)
			}
			return tx.OutboxRetry(ctx, ids[0], "refused", now, now, true)
		})
		claim := func() []int64 {
			var out []int64
			mustWrite(t, first, func(tx motcua.Tx) error {
				batch, err := tx.ClaimOutbox(ctx, now, now, 10, nil) // a lease that ends at once
				for _, m := range batch {
					out = append(out, m.ID)
				}
				return err
			})
			return out
		}
		if got := claim(); len(got) != 1 || got[0] != ids[2] {
			t.Fatalf("with the first of a given up: claimed %v, want only %d", got, ids[2])
		}
		mustWrite(t, first, func(tx motcua.Tx) error { return tx.OutboxDelivered(ctx, ids[2], now) })
		mustWrite(t, first, func(tx motcua.Tx) error { return tx.ReplayOutbox(ctx, ids[0], now) })
		if got := claim(); len(got) != 1 || got[0] != ids[0] {
			t.Fatalf("after the replay: claimed %v, want %d first", got, ids[0])
		}
		var st motcua.OutboxState
		if err := first.Read(ctx, func(tx motcua.Tx) (err error) {
			st, err = tx.OutboxTopicState(ctx, motcua.TopicPortalSync, now)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		if st.Pending != 2 || st.Failed != 0 || !st.Oldest.Equal(now) {
			t.Fatalf("topic state %+v", st)
		}
	})
}

func allLen(m map[string][]string, n int) bool {
	for _, v := range m {
		if len(v) != n {
			return false
		}
	}
	return true
}
