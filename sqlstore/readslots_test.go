package sqlstore_test

import (
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// TestPGReadsQueueInOrder: reads, with and without a snapshot, wait for
// their turn in the store's own queue (first come, first served), not in
// database/sql's pool, which hands a freed connection to a waiter chosen
// at random.
func TestPGReadsQueueInOrder(t *testing.T) {
	db, _, _ := namedPGStore(t, "motcua_slots", sqlstore.Options{PGConns: 4, PGWriters: 1})
	var wg sync.WaitGroup
	errs := make(chan error, 32)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rctx := ctx
			if i%2 == 1 {
				rctx = motcua.NewContextNoSnapshot(ctx)
			}
			for range 10 {
				err := db.Read(rctx, func(tx motcua.Tx) error {
					if _, err := tx.FindDossiers(rctx, motcua.DossierFilter{Limit: 5}); err != nil {
						return err
					}
					time.Sleep(time.Millisecond) // the connection is held a while
					_, err := tx.FindDossiers(rctx, motcua.DossierFilter{Limit: 5})
					return err
				})
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if n := db.DriverPoolWaits(); n != 0 {
		t.Fatalf("database/sql's pool made %d reads wait: they must queue in order before it", n)
	}
	if st := db.PoolStats(); st.WaitCount == 0 {
		t.Fatal("320 reads on 2 connections never waited: the queue's waits are not counted")
	}
}
