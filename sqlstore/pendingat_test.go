package sqlstore_test

import (
	"context"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// The condition of index dossiers_long must be the one the search for the
// dossiers pending at a moment writes, character for character.
func TestLongDossiersIndexCondition(t *testing.T) {
	for _, f := range []string{"sqlite/0031_long_dossiers.sql", "postgres/0038_dossier_days.sql"} {
		mig, err := os.ReadFile("migrations/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(mig), "AND "+sqlstore.LongDossierSQL+";") {
			t.Fatalf("migration %s does not index the condition %s", f, sqlstore.LongDossierSQL)
		}
	}
}

// The dossiers pending at a moment are those the table holds as received
// before it and not finished before it, whatever their handling time: the
// moments are taken at and around receptions, finishes and the 30-day
// bound of index dossiers_long, and some handling times are set on either
// side of that bound, exactly on it, and far beyond it.
func TestPendingAtAroundTheLongBound(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		db := sqltest.OpenWith(t, e, sqlstore.Options{ReadConns: 2, LongReadConns: 2})
		generated(t, db, 1200, 11)
		const d = sqlstore.LongDossierMS
		for _, set := range []string{
			"finished_at = received_at + 2592000000 WHERE id % 11 = 0",
			"finished_at = received_at + 2591999999 WHERE id % 11 = 1",
			"finished_at = received_at + 2592000001 WHERE id % 11 = 2",
			"finished_at = received_at + 3 * 2592000000 WHERE id % 11 = 3",
			"finished_at = received_at WHERE id % 11 = 4",
		} {
			if err := db.ExecRaw(ctx, "UPDATE dossiers SET "+set+" AND received_at IS NOT NULL AND finished_at IS NOT NULL"); err != nil {
				t.Fatal(err)
			}
		}
		recv, err := db.IDsWhere(ctx, "received_at IS NOT NULL AND finished_at IS NOT NULL AND id % 11 < 5")
		if err != nil || len(recv) < 50 {
			t.Fatalf("%d finished dossiers to move (%v)", len(recv), err)
		}
		// Moments: every fortnight, and around the times of some of the
		// dossiers whose handling time was set.
		var moments []int64
		for m := time.Date(2025, 1, 1, 0, 0, 0, 0, motcua.VietnamTime); m.Year() < 2027; m = m.AddDate(0, 0, 14) {
			moments = append(moments, m.UnixMilli())
		}
		recAt, err := db.ColumnWhere(ctx, "received_at", "received_at IS NOT NULL AND finished_at IS NOT NULL AND id % 11 < 5")
		if err != nil {
			t.Fatal(err)
		}
		finAt, err := db.ColumnWhere(ctx, "finished_at", "received_at IS NOT NULL AND finished_at IS NOT NULL AND id % 11 < 5")
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < len(recv); i += 9 {
			rec, fin := recAt[i], finAt[i]
			moments = append(moments, rec, rec+1, rec+d-1, rec+d, rec+d+1, fin-1, fin, fin+1)
		}
		// Both ways of reading the finished since: from the finishes (few
		// of them) and from the receptions of the 30 days before and the
		// long dossiers (many).
		for _, few := range []int{1 << 30, 0} {
			restore := sqlstore.SetFewFinishedAfter(few)
			pendingAtMoments(t, db, moments)
			restore()
		}
	})
}

// pendingAtMoments checks PendingAt and CountPendingAt at the moments
// against the table.
func pendingAtMoments(t *testing.T, db *sqlstore.DB, moments []int64) {
	t.Helper()
	ctx := context.Background()
	var nonEmpty int
	for _, m := range moments {
		at := time.UnixMilli(m)
		want, err := db.IDsWhere(ctx, "received_at IS NOT NULL AND received_at < ? AND (finished_at IS NULL OR finished_at >= ?)", m, m)
		if err != nil {
			t.Fatal(err)
		}
		var recs []motcua.PendingRecord
		var counts map[int64]int64
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
			if recs, err = tx.PendingAt(ctx, at); err != nil {
				return err
			}
			counts, err = tx.CountPendingAt(ctx, at)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var got []int64
		byAgency := map[int64]int64{}
		for _, r := range recs {
			got = append(got, r.DossierID)
			byAgency[r.AgencyID]++
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("pending at %v: %d dossiers found, the table holds %d", at, len(got), len(want))
		}
		if !reflect.DeepEqual(counts, byAgency) && !(len(counts) == 0 && len(byAgency) == 0) {
			t.Fatalf("pending at %v: counted %v, listed %v", at, counts, byAgency)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < len(moments)/2 {
		t.Errorf("only %d of %d moments had pending dossiers", nonEmpty, len(moments))
	}
}

// StandingsBefore gives every dossier the standing ReplayHistory folds
// from its history lines before the moment: at moments between and on
// its events' times, for dossiers with and without lines before it and
// with lines after it, some asked for a supplement more than once; read
// in two halves on two connections and on one.
func TestStandingsBeforeReplayTheirHistory(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		if e != sqltest.SQLite {
			// There StandingsBefore is ReplayHistory of HistoryBefore: the
			// comparison below would compare it with itself.
			t.Skip("SQLite replays in its query; PostgreSQL folds the lines in Go")
		}
		ctx := context.Background()
		db := sqltest.OpenWith(t, e, sqlstore.Options{ReadConns: 2, LongReadConns: 2})
		generated(t, db, 900, 11)
		// The generator asks at most once: some lines become requests, so
		// that dossiers are asked several times; others move earlier than
		// the line before them, so that the lines before a moment are not
		// always the first ones.
		for _, q := range []string{
			"UPDATE dossier_events SET action = '" + string(motcua.ActRequestSupplement) + "' WHERE seq % 4 = 2 AND dossier_id % 3 = 0",
			"UPDATE dossier_events SET at = at - 5 * 86400000 WHERE seq = 3 AND dossier_id % 5 = 0",
		} {
			if err := db.ExecRaw(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		ids, err := db.IDsWhere(ctx, "received_at IS NOT NULL")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, 1<<40) // no such dossier: no line
		var lines []motcua.HistoryLine
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
			lines, err = tx.HistoryBefore(ctx, ids, time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC))
			return err
		}); err != nil {
			t.Fatal(err)
		}
		var supplements, multi, absent int
		for _, m := range []time.Time{
			time.Date(2025, 3, 31, 24, 0, 0, 0, motcua.VietnamTime),
			time.Date(2025, 6, 30, 24, 0, 0, 0, motcua.VietnamTime),
			time.Date(2025, 9, 14, 10, 30, 0, 0, motcua.VietnamTime),
			time.Date(2025, 12, 31, 24, 0, 0, 0, motcua.VietnamTime),
		} {
			// The moment itself, and the time of a line near it: a line at
			// the moment is not before it.
			moments := []time.Time{m}
			for _, l := range lines {
				if !l.At.Before(m) {
					moments = append(moments, l.At, l.At.Add(time.Millisecond))
					break
				}
			}
			for _, at := range moments {
				var want map[int64]motcua.Pending766
				var two, one map[int64]motcua.Pending766
				before := sqlstore.PeriodSplits()
				if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
					two, err = tx.StandingsBefore(ctx, ids, at)
					if err != nil {
						return err
					}
					lines, err := tx.HistoryBefore(ctx, ids, at)
					want = motcua.ReplayHistory(lines)
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if e == sqltest.SQLite && sqlstore.PeriodSplits() == before {
					t.Errorf("%v: not replayed in two halves although a second connection was free", at)
				}
				whileLongReadsHeld(t, db, e, 2, func(tx motcua.Tx) (err error) { one, err = tx.StandingsBefore(ctx, ids, at); return err })
				if len(want) == 0 {
					t.Fatalf("%v: no history before the moment", at)
				}
				for _, which := range []map[int64]motcua.Pending766{two, one} {
					if len(which) != len(want) {
						t.Errorf("%v: %d standings, %d dossiers with lines before", at, len(which), len(want))
					}
					for id, w := range want {
						if g, ok := which[id]; !ok || g.State != w.State || !g.DueAt.Equal(w.DueAt) ||
							g.Supplements != w.Supplements || !g.LastRequest.Equal(w.LastRequest) {
							t.Errorf("%v: dossier %d: standing %+v, replayed %+v", at, id, g, w)
						}
					}
				}
				for _, w := range want {
					if w.Supplements > 0 {
						supplements++
					}
					if w.Supplements > 1 {
						multi++
					}
				}
				absent += len(ids) - len(want)
			}
		}
		if supplements == 0 || multi == 0 || absent == 0 {
			t.Errorf("not every case met: %d standings with a supplement request, %d with several, %d dossiers without a line before", supplements, multi, absent)
		}
	})
}
