package sqlstore_test

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// dayCountsAgree checks that report 06a's counts per day (PostgreSQL,
// migration 0038) are what a recount of the dossiers' columns in Go gives.
func dayCountsAgree(t *testing.T, db *sqlstore.DB, when string) {
	t.Helper()
	ctx := context.Background()
	got, err := db.DayCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want, err := db.RecountDays(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatalf("%s: no dossier received", when)
	}
	if !maps.Equal(got, want) {
		bad := 0
		for k, n := range want {
			if got[k] != n && bad < 5 {
				t.Errorf("%s: %+v: counted %d, recount %d", when, k, got[k], n)
				bad++
			}
		}
		for k, n := range got {
			if _, ok := want[k]; !ok && bad < 10 {
				t.Errorf("%s: %+v: counted %d, none in a recount", when, k, n)
				bad++
			}
		}
		t.Fatalf("%s: %d counts, %d in a recount", when, len(got), len(want))
	}
}

// The triggers keep the counts through the generator's batch import, the
// fold, and changes of every counted column, including the ones the
// program makes only through mergers and edits (agency, channel, times
// moved across days, a finish taken back, times before 1970).
func TestDossierDaysAgreeWithDossiers(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		if e != sqltest.Postgres {
			t.Skip("SQLite counts its indexes' ranges: no counts per day")
		}
		ctx := context.Background()
		db := sqltest.Open(t, e)
		generated(t, db, 600, 7)
		dayCountsAgree(t, db, "generated")
		if n, err := db.DayDeltaRows(ctx); err != nil || n == 0 {
			t.Fatalf("%d changes to fold (%v): the generator's writes were not counted as changes", n, err)
		}
		mustWrite(t, db, func(tx motcua.Tx) error { _, err := tx.FoldStats(ctx); return err })
		if n, err := db.DayDeltaRows(ctx); err != nil || n != 0 {
			t.Fatalf("%d changes left after the fold (%v)", n, err)
		}
		dayCountsAgree(t, db, "folded")
		for _, q := range []string{
			"UPDATE dossiers SET competent_agency_id = (SELECT MIN(id) FROM agencies) WHERE id % 7 = 0",
			"UPDATE dossiers SET channel = 4 - channel WHERE id % 5 = 1 AND channel IN (1, 3)",
			"UPDATE dossiers SET finished_at = finished_at + 86400000 * (id % 3), finish_class = 'late', ontime_766 = NOT ontime_766 WHERE id % 4 = 2 AND finished_at IS NOT NULL",
			"UPDATE dossiers SET finished_at = NULL, finish_class = '' WHERE id % 9 = 3 AND finished_at IS NOT NULL",
			"UPDATE dossiers SET received_at = received_at - 3600000 * (id % 30) WHERE id % 6 = 5 AND received_at IS NOT NULL",
			"UPDATE dossiers SET received_at = NULL WHERE id % 11 = 4 AND finished_at IS NULL",
			"UPDATE dossiers SET received_at = -25200000 - id, finished_at = -1 WHERE id % 13 = 8 AND received_at IS NOT NULL AND finished_at IS NOT NULL",
			"UPDATE dossiers SET state = state WHERE id % 2 = 0", // no counted column: no change appended
		} {
			if err := db.ExecRaw(ctx, q); err != nil {
				t.Fatal(q, err)
			}
			dayCountsAgree(t, db, q)
		}
		// A period of whole days is summed from the counts; any other
		// [from, to) is counted from the dossiers, as before: both agree.
		from := time.Date(2025, 2, 1, 0, 0, 0, 0, motcua.VietnamTime)
		to := time.Date(2025, 9, 1, 0, 0, 0, 0, motcua.VietnamTime)
		read := func() (r []motcua.ReceivedAgg, f []motcua.FinishedAgg) {
			t.Helper()
			err := db.Read(ctx, func(tx motcua.Tx) (err error) {
				if r, err = tx.ReceivedByAgency(ctx, from, to); err != nil {
					return err
				}
				f, err = tx.FinishedByAgency(ctx, from, to)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(r, func(a, b motcua.ReceivedAgg) int { return cmp.Compare(a.AgencyID, b.AgencyID) })
			slices.SortFunc(f, func(a, b motcua.FinishedAgg) int { return cmp.Compare(a.AgencyID, b.AgencyID) })
			return r, f
		}
		r, f := read()
		defer sqlstore.SetDayCounts(false)()
		wr, wf := read()
		if len(wr) == 0 || len(wf) == 0 {
			t.Fatalf("no receptions (%d) or finishes (%d) in the period", len(wr), len(wf))
		}
		if !slices.Equal(r, wr) {
			t.Errorf("receptions per agency: from the counts %+v, from the dossiers %+v", r, wr)
		}
		if !slices.Equal(f, wf) {
			t.Errorf("finishes per agency: from the counts %+v, from the dossiers %+v", f, wf)
		}
	})
}
