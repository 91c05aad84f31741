package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestRebuildIndexesShrinksDecayedOnes: an index whose rows were mostly
// deleted is rebuilt to a fraction of its size; a leftover of an
// interrupted rebuild (an invalid index named _ccnew) is dropped first; a
// dry run changes nothing; a cancelled run stops and leaves no invalid
// index. SQLite says it does not rebuild.
func TestRebuildIndexesShrinksDecayedOnes(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		if e == sqltest.SQLite {
			if _, err := db.RebuildIndexes(ctx, 0, false, nil); !errors.Is(err, sqlstore.ErrRebuildNotPostgres) {
				t.Fatalf("SQLite: %v, want ErrRebuildNotPostgres", err)
			}
			return
		}
		for _, q := range []string{
			`CREATE TABLE decayed (k INTEGER NOT NULL)`,
			`CREATE INDEX decayed_k ON decayed (k)`,
			`INSERT INTO decayed SELECT (random() * 1e9)::int FROM generate_series(1, 100000)`,
			`DELETE FROM decayed WHERE k % 10 <> 0`,
			// What an interrupted REINDEX CONCURRENTLY leaves: an invalid
			// index (a unique one over duplicates fails to build).
			`INSERT INTO decayed VALUES (7), (7)`,
		} {
			if err := db.ExecRaw(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.ExecRawOutside(ctx, `CREATE UNIQUE INDEX CONCURRENTLY decayed_k_ccnew ON decayed (k)`); err == nil {
			t.Fatal("the unique index over duplicates was built")
		}
		if n := invalidIndexes(t, db); n != 1 {
			t.Fatalf("%d invalid indexes before the rebuild, want the leftover", n)
		}

		dry, err := db.RebuildIndexes(ctx, 1<<20, true, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(dry) != 1 || dry[0].Index != "decayed_k" || dry[0].After != 0 || invalidIndexes(t, db) != 1 {
			t.Fatalf("dry run: %+v, %d invalid indexes", dry, invalidIndexes(t, db))
		}

		var seen []string
		got, err := db.RebuildIndexes(ctx, 1<<20, false, func(i, n int, r sqlstore.IndexRebuild) {
			seen = append(seen, r.Index)
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || len(seen) != 2 {
			t.Fatalf("rebuilt %+v, progress %v", got, seen)
		}
		r := got[0]
		t.Logf("%s: %d → %d bytes in %v", r.Index, r.Before, r.After, r.Took)
		if r.After <= 0 || r.After > r.Before/3 || r.Took <= 0 {
			t.Errorf("%s: %d → %d bytes in %v, want a third or less", r.Index, r.Before, r.After, r.Took)
		}
		if n := invalidIndexes(t, db); n != 0 {
			t.Errorf("%d invalid indexes after the rebuild", n)
		}

		all, err := db.RebuildIndexes(ctx, 0, true, nil)
		if err != nil || len(all) < 10 {
			t.Fatalf("every index: %d, %v", len(all), err)
		}
		cctx, cancel := context.WithCancel(ctx)
		done, err := db.RebuildIndexes(cctx, 0, false, func(i, n int, r sqlstore.IndexRebuild) {
			if i == 3 && r.Took == 0 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) || len(done) != 2 {
			t.Errorf("cancelled at the third: %d rebuilt, %v", len(done), err)
		}
		if n := invalidIndexes(t, db); n != 0 {
			t.Errorf("%d invalid indexes after the interruption", n)
		}

		// Interrupted in the middle: a transaction that wrote to the table
		// keeps the rebuild waiting after its copy exists.
		for _, q := range []string{`INSERT INTO decayed SELECT (random() * 1e9)::int FROM generate_series(1, 100000)`,
			`DELETE FROM decayed WHERE k % 10 <> 0`} {
			if err := db.ExecRaw(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		commit, err := db.HoldWrite(ctx, `INSERT INTO decayed VALUES (1)`)
		if err != nil {
			t.Fatal(err)
		}
		cctx, cancel = context.WithCancel(ctx)
		defer cancel()
		type result struct {
			done []sqlstore.IndexRebuild
			err  error
		}
		out := make(chan result, 1)
		go func() {
			done, err := db.RebuildIndexes(cctx, 1<<20, false, nil)
			out <- result{done, err}
		}()
		for invalidIndexes(t, db) == 0 {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
		time.Sleep(100 * time.Millisecond) // the drop of the copy waits for the writer too
		if err := commit(); err != nil {
			t.Fatal(err)
		}
		res := <-out
		if !errors.Is(res.err, context.Canceled) || len(res.done) != 0 {
			t.Errorf("cancelled under way: %d rebuilt, %v", len(res.done), res.err)
		}
		if n := invalidIndexes(t, db); n != 0 {
			t.Errorf("%d invalid indexes after the interruption under way", n)
		}
	})
}

// TestRebuildIndexesLooksAtItsSchemaOnly: listing the indexes to rebuild
// measures the store's own, and does not wait for an index of another
// schema that a transaction holds (as a migration holds the indexes it
// changes).
func TestRebuildIndexesLooksAtItsSchemaOnly(t *testing.T) {
	sqltest.RequirePostgres(t)
	db := sqltest.Open(t, sqltest.Postgres)
	release := lockTableElsewhere(t, true)
	type result struct {
		list []sqlstore.IndexRebuild
		err  error
	}
	out := make(chan result, 1)
	go func() {
		list, err := db.RebuildIndexes(ctx, 0, true, nil)
		out <- result{list, err}
	}()
	select {
	case res := <-out:
		if res.err != nil || len(res.list) < 10 {
			t.Fatalf("every index of the store: %d, %v", len(res.list), res.err)
		}
		for _, r := range res.list {
			if r.Index == "busy_k" {
				t.Errorf("another schema's index is listed: %+v", r)
			}
		}
	case <-time.After(20 * time.Second):
		release()
		<-out
		t.Fatal("listing the indexes waited for another schema's")
	}
}

func invalidIndexes(t *testing.T, db *sqlstore.DB) int {
	t.Helper()
	n, err := db.CountRaw(ctx, `SELECT COUNT(*) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		JOIN pg_namespace s ON s.oid = i.relnamespace AND s.nspname = current_schema() WHERE NOT x.indisvalid`)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}
