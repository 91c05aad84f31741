package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// oneByOne is a store whose transactions import a batch of histories one
// ImportHistory at a time: the way the generator stored them before
// ImportHistories, against which the batch import is compared.
type oneByOne struct{ motcua.Store }

func (s oneByOne) Write(ctx context.Context, fn func(motcua.Tx) error) error {
	return s.Store.Write(ctx, func(tx motcua.Tx) error { return fn(perHistory{tx}) })
}

type perHistory struct{ motcua.Tx }

func (p perHistory) ImportHistories(ctx context.Context, hs []motcua.HistoryImport) error {
	for _, h := range hs {
		if err := p.ImportHistory(ctx, h.Dossier, h.Events, h.Files); err != nil {
			return err
		}
	}
	return nil
}

// TestGenerateBatchSameAsOneByOne generates the same province into two
// copies of one seeded store, once through the batch import (COPY on
// PostgreSQL) and once one history at a time, and compares every table:
// the same rows, ids included, and the same live counters.
func TestGenerateBatchSameAsOneByOne(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		cal, err := calendar.Default()
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2025, 12, 31, 23, 0, 0, 0, motcua.VietnamTime)
		pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
		cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
		seeded := sqltest.Open(t, e)
		if _, err := demo.Seed(ctx, demo.Options{Store: seeded, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
			Service: cfg, Now: now}); err != nil {
			t.Fatal(err)
		}
		// Two copies, so that both start from the same rows and the same
		// id sequences, with nothing left in memory from the seeding.
		batch, single := sqltest.Open(t, e), sqltest.Open(t, e)
		for _, db := range []*sqlstore.DB{batch, single} {
			if _, err := sqlstore.Copy(ctx, seeded, db, nil); err != nil {
				t.Fatal(err)
			}
			if err := db.WarmVersionNames(ctx); err != nil {
				t.Fatal(err)
			}
		}
		gen := func(s motcua.Store) *demo.GenerateResult {
			res, err := demo.Generate(ctx, demo.GenerateOptions{Store: s, Cal: cal, Rules: cfg.Rules, Pattern: pattern, Dossiers: 4000,
				Year: 2025, Now: now, Communes: 4, Seed: 11})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		a, b := gen(batch), gen(oneByOne{single})
		if *a != *b || a.Dossiers < 3900 {
			t.Fatalf("generated %+v in a batch, %+v one by one", a, b)
		}
		sa, err := batch.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		sb, err := single.Checksums(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(sa) != len(sb) {
			t.Fatalf("%d tables against %d", len(sa), len(sb))
		}
		compared := map[string]int64{}
		for i := range sa {
			if sa[i] != sb[i] {
				ra, _ := batch.Rows(ctx, sa[i].Table)
				rb, _ := single.Rows(ctx, sb[i].Table)
				t.Errorf("table %s differs: %d rows %s in a batch, %d rows %s one by one; %s", sa[i].Table, sa[i].Rows, sa[i].Sum[:12],
					sb[i].Rows, sb[i].Sum[:12], firstDifference(ra, rb))
			}
			compared[sa[i].Table] = sa[i].Rows
		}
		// The comparison covered what the generator writes.
		if compared["dossiers"] < 3900 || compared["dossier_events"] < 5*3900 || compared["dossier_work"] == 0 || compared["stat_counts"] == 0 {
			t.Errorf("compared %v", compared)
		}
	})
}

// firstDifference describes where two sorted row lists first differ.
func firstDifference(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return fmt.Sprintf("row %d: %.300s against %.300s", i, a[i], b[i])
		}
	}
	return fmt.Sprintf("one list is a prefix of the other (%d and %d rows)", len(a), len(b))
}
