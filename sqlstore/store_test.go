package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

var ctx = context.Background()

func mustWrite(t testing.TB, db motcua.Store, fn func(tx motcua.Tx) error) {
	t.Helper()
	if err := db.Write(ctx, fn); err != nil {
		t.Fatal(err)
	}
}

func mustAgency(t testing.TB, db motcua.Store, code string) *motcua.Agency {
	t.Helper()
	a := &motcua.Agency{Code: code, Name: "Cơ quan " + code, Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, OneStop: true}
	mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateAgency(ctx, a) })
	return a
}

func TestMigrations(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.OpenEmpty(t, e)
		if err := db.CheckSchema(ctx); motcua.ErrorReason(err) != "schema_outdated" {
			t.Fatalf("fresh database: %v, want schema_outdated", err)
		}
		var seen []string
		if err := db.Migrate(ctx, func(v int, name string) { seen = append(seen, name) }); err != nil {
			t.Fatal(err)
		}
		if len(seen) == 0 {
			t.Fatal("no migration reported")
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("after migrate: %v", err)
		}
		seen = nil
		if err := db.Migrate(ctx, func(v int, name string) { seen = append(seen, name) }); err != nil || len(seen) != 0 {
			t.Fatalf("second migrate applied %v (%v)", seen, err)
		}
	})
}

func TestForeignKeysAndConflicts(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		err := db.Write(ctx, func(tx motcua.Tx) error {
			return tx.CreateReceptionPoint(ctx, &motcua.ReceptionPoint{AgencyID: 12345, Code: "X", Name: "X"})
		})
		if err == nil {
			t.Fatal("a reception point of a missing agency was stored: foreign keys are off")
		}
		mustAgency(t, db, "H99.101")
		err = db.Write(ctx, func(tx motcua.Tx) error {
			return tx.CreateAgency(ctx, &motcua.Agency{Code: "H99.101", Name: "Trùng", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee})
		})
		if motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Fatalf("duplicate code: %v", err)
		}
		if err := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.Agency(ctx, 999); return err }); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Fatalf("missing agency: %v", err)
		}
	})
}

// TestGroupCommitIsolation writes concurrently: failing and panicking
// transactions must leave nothing behind, the others must all be stored.
func TestGroupCommitIsolation(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		const n = 300
		var wg sync.WaitGroup
		errs := make([]error, n)
		boom := errors.New("boom")
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = db.Write(ctx, func(tx motcua.Tx) error {
					a := &motcua.Agency{Code: fmt.Sprintf("H99.%d", i), Name: "x", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee}
					if err := tx.CreateAgency(ctx, a); err != nil {
						return err
					}
					switch i % 10 {
					case 3:
						return boom // written, then failed: must be rolled back
					case 7:
						panic("bad transaction")
					}
					return nil
				})
			}()
		}
		wg.Wait()
		want := 0
		for i, err := range errs {
			switch i % 10 {
			case 3:
				if !errors.Is(err, boom) {
					t.Errorf("tx %d: %v, want boom", i, err)
				}
			case 7:
				if err == nil {
					t.Errorf("tx %d: panic not reported", i)
				}
			default:
				if err != nil {
					t.Errorf("tx %d: %v", i, err)
				}
				want++
			}
		}
		var got []*motcua.Agency
		db.Read(ctx, func(tx motcua.Tx) (err error) { got, err = tx.Agencies(ctx); return err })
		if len(got) != want {
			t.Fatalf("%d agencies stored, want %d", len(got), want)
		}
		for _, a := range got {
			var i int
			fmt.Sscanf(a.Code, "H99.%d", &i)
			if i%10 == 3 || i%10 == 7 {
				t.Errorf("agency %s of a failed transaction was kept", a.Code)
			}
		}
	})
}

// TestCodeSequenceUniqueAndGapFree draws numbers concurrently; a rolled back
// transaction gives its number back.
func TestCodeSequenceUniqueAndGapFree(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		const n = 400
		got := make([]int, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := db.Write(ctx, func(tx motcua.Tx) error {
					seq, err := tx.NextCodeSeq(ctx, "H99.101|2026-11-22")
					if err != nil {
						return err
					}
					got[i] = seq
					if i%5 == 0 {
						got[i] = -seq
						return errors.New("rolled back")
					}
					return nil
				})
				if (err != nil) != (i%5 == 0) {
					t.Errorf("tx %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		seen := map[int]bool{}
		for _, v := range got {
			if v > 0 {
				if seen[v] {
					t.Fatalf("number %d given twice", v)
				}
				seen[v] = true
			}
		}
		committed := n - n/5
		for v := 1; v <= committed; v++ {
			if !seen[v] {
				t.Fatalf("gap: number %d missing among %d committed", v, committed)
			}
		}
		var next int
		mustWrite(t, db, func(tx motcua.Tx) (err error) { next, err = tx.NextCodeSeq(ctx, "H99.101|2026-11-22"); return err })
		if next != committed+1 {
			t.Fatalf("next number %d, want %d", next, committed+1)
		}
		mustWrite(t, db, func(tx motcua.Tx) (err error) { next, err = tx.NextCodeSeq(ctx, "H99.101|2026-11-23"); return err })
		if next != 1 {
			t.Fatalf("a new day starts at %d", next)
		}
	})
}

func TestWriteAfterClose(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.OpenEmpty(t, e)
		db.Close()
		if err := db.Write(ctx, func(motcua.Tx) error { return nil }); !errors.Is(err, sqlstore.ErrClosed) {
			t.Fatalf("write after close: %v", err)
		}
		if err := db.Read(ctx, func(motcua.Tx) error { return nil }); !errors.Is(err, sqlstore.ErrClosed) {
			t.Fatalf("read after close: %v", err)
		}
	})
}

func TestCancelledContextBeforeWrite(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		c, cancel := context.WithCancel(ctx)
		cancel()
		called := false
		err := db.Write(c, func(motcua.Tx) error { called = true; return nil })
		if err == nil || called {
			t.Fatalf("cancelled write ran (%v)", err)
		}
	})
}

var _ = time.Second
