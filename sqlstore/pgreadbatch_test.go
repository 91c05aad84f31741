package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// TestPGCancelledReadsEndTheirTransactions cancels PostgreSQL reads at
// random moments: before their first statement, during a dossier's
// record (a batch with the read's BEGIN) or after it, and lets others fail
// on their own. A read whose BEGIN went out must end with its ROLLBACK
// (or lose its connection): afterwards no connection of the store is left
// in a transaction, and every read on the store's few connections works
// and sees one snapshot.
func TestPGCancelledReadsEndTheirTransactions(t *testing.T) {
	db, admin, app := namedPGStore(t, "motcua_cancel", sqlstore.Options{PGConns: 4, PGWriters: 1})
	at := time.Date(2026, 3, 10, 2, 0, 0, 0, time.UTC)
	f := newIntakeFixture(t, db, "H99.102", at)
	var d *motcua.Dossier
	mustWrite(t, db, func(tx motcua.Tx) (err error) { d, err = f.intake(tx, 1, nil); return err })

	rng := rand.New(rand.NewPCG(3, 5))
	cancelled := map[int]int{}
	// The last reads are of the second kind, whose connection nothing
	// uses after them: one left in a transaction would be seen below.
	for i := range 203 {
		if i >= 200 {
			i = 1
		}
		c, cancel := context.WithCancel(ctx)
		switch i % 4 {
		case 0:
			cancel() // before anything is sent
		case 2:
			time.AfterFunc(time.Duration(rng.IntN(600))*time.Microsecond, cancel)
		}
		err := db.Read(c, func(tx motcua.Tx) error {
			if _, err := tx.DossierRecord(c, d.Code, motcua.RecordAll); err != nil {
				return err
			}
			switch i % 4 {
			case 1:
				cancel() // after the batch, the read's BEGIN with it
				return nil
			case 3:
				return fmt.Errorf("the read's own failure")
			}
			_, err := tx.Events(c, d.ID)
			return err
		})
		if err != nil && c.Err() != nil {
			cancelled[i%4]++
		}
		cancel()
	}
	if cancelled[0] == 0 || cancelled[2] == 0 {
		t.Fatalf("reads failed by their cancellation before anything, at random: %d, %d: the test proves little", cancelled[0], cancelled[2])
	}
	t.Logf("reads failed by their cancellation before anything, at random: %d, %d (and 53 cancelled after their batch, which end well)",
		cancelled[0], cancelled[2])
	var stuck int
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if err := admin.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity
			WHERE application_name = $1 AND state LIKE 'idle in transaction%'`, app).Scan(&stuck); err != nil {
			t.Fatal(err)
		}
		if stuck == 0 || time.Now().After(deadline) {
			break
		}
	}
	if stuck != 0 {
		t.Errorf("%d of the store's connections left in a transaction after the cancelled reads", stuck)
	}
	for range 8 { // more reads than connections: each is used again
		r := readRecord(t, db, d.Code)
		if len(r.Events) != 1 || r.Dossier.Code != d.Code {
			t.Fatalf("a read after the cancelled ones: %+v", r)
		}
	}
}
