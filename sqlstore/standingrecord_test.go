package sqlstore_test

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// The migration's fill names the states and actions in SQL: they must be
// the program's.
func TestStandingsFillNamesTheProgramsValues(t *testing.T) {
	for _, dir := range []string{"sqlite", "postgres"} {
		b, err := os.ReadFile("migrations/" + dir + "/0035_dossier_standings.sql")
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []string{string(motcua.StateAwaitingSupplement), string(motcua.ActRequestSupplement)} {
			if !strings.Contains(string(b), "'"+v+"'") {
				t.Errorf("%s migration 0035 does not name %q", dir, v)
			}
		}
	}
}

// standingsAgree checks that StandingsAt gives every dossier of ids,
// at each moment, the standing ReplayHistory folds from its events before
// it (absent when it has none), and returns how many had one.
func standingsAgree(t *testing.T, db *sqlstore.DB, ids []int64, moments []time.Time) int {
	t.Helper()
	ctx := context.Background()
	seen := 0
	for _, at := range moments {
		var got map[int64]motcua.Standing
		var want map[int64]motcua.Pending766
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
			if got, err = tx.StandingsAt(ctx, ids, at); err != nil {
				return err
			}
			lines, err := tx.HistoryBefore(ctx, ids, at)
			want = motcua.ReplayHistory(lines)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			w, ok := want[id]
			if ok {
				seen++
			}
			// Absent or not, a dossier without a line before the moment
			// has the zero standing.
			if g := got[id]; g != motcua.StandingOf(w) {
				t.Errorf("%v: dossier %d: recorded standing %d (%+v), replayed %+v (%d)", at, id, g, g.Stock(), w, motcua.StandingOf(w))
			}
		}
	}
	return seen
}

// TestStandingsRecord checks the record of standings on a generated
// province: the rows the generator's writes left (ImportHistory) are the
// rows migration 0035 fills from the same events; the standing it gives
// at a moment is that of the replayed history, at moments between and on
// the events' times, also after several supplement requests and events
// earlier than the one before them (refilled by the migration's
// statement); and it is small (rows per dossier).
func TestStandingsRecord(t *testing.T) {
	defer sqlstore.SetPGStandingsChunk(97)() // several chunks, the last one short
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		ctx := context.Background()
		db := sqltest.Open(t, e)
		generated(t, db, 600, 5)
		written, err := db.StandingRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := db.IDsWhere(ctx, "received_at IS NOT NULL")
		if err != nil {
			t.Fatal(err)
		}
		if len(written) < len(ids) {
			t.Fatalf("%d rows for %d received dossiers", len(written), len(ids))
		}
		t.Logf("%d rows for %d dossiers (%d received)", len(written), 600, len(ids))
		if err := db.RefillStandings(ctx); err != nil {
			t.Fatal(err)
		}
		filled, err := db.StandingRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(written, filled) {
			t.Errorf("written %d rows, the migration fills %d other ones", len(written), len(filled))
			for i := range min(len(written), len(filled)) {
				if written[i] != filled[i] {
					t.Fatalf("first difference: written %+v, filled %+v", written[i], filled[i])
				}
			}
		}
		moments := []time.Time{
			time.Date(2025, 3, 31, 24, 0, 0, 0, motcua.VietnamTime),
			time.Date(2025, 6, 30, 24, 0, 0, 0, motcua.VietnamTime),
			time.Date(2025, 9, 14, 10, 30, 0, 0, motcua.VietnamTime),
		}
		// Moments on and just after rows' times: a row at the moment is
		// not before it.
		for i := 0; i < len(written); i += len(written) / 7 {
			at := time.UnixMilli(written[i].At)
			moments = append(moments, at, at.Add(time.Millisecond))
		}
		ids = append(ids, 1<<40) // no such dossier
		if standingsAgree(t, db, ids, moments) == 0 {
			t.Fatal("no dossier had events before the moments")
		}
		pendingThenAgrees(t, db, e, moments)
		// Several requests, and events earlier than the one before them,
		// which the generator never writes.
		for _, q := range []string{
			"UPDATE dossier_events SET action = '" + string(motcua.ActRequestSupplement) + "' WHERE seq % 4 = 2 AND dossier_id % 3 = 0",
			"UPDATE dossier_events SET to_state = '" + string(motcua.StateAwaitingSupplement) + "' WHERE seq % 4 = 3 AND dossier_id % 3 = 0",
			"UPDATE dossier_events SET at = at - 5 * 86400000 WHERE seq = 3 AND dossier_id % 5 = 0",
		} {
			if err := db.ExecRaw(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.RefillStandings(ctx); err != nil {
			t.Fatal(err)
		}
		refilled, err := db.StandingRows(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var multi, late int
		for _, r := range refilled {
			k := r.Standing.Stock()
			if k.Multi {
				multi++
			}
			if k.WaitLate {
				late++
			}
		}
		if multi == 0 || late == 0 {
			t.Errorf("the edits left %d rows asked more than once, %d waiting late", multi, late)
		}
		standingsAgree(t, db, ids, moments)
		pendingThenAgrees(t, db, e, moments)
	})
}

// pendingThenAgrees checks that the standing PendingAt reads with the
// dossiers changed since a moment (SQLite) is the one StandingsAt reads.
func pendingThenAgrees(t *testing.T, db *sqlstore.DB, e sqltest.Engine, moments []time.Time) {
	t.Helper()
	ctx := context.Background()
	recorded := 0
	for _, at := range moments {
		if err := db.Read(ctx, func(tx motcua.Tx) error {
			recs, err := tx.PendingAt(ctx, at)
			if err != nil {
				return err
			}
			var ids []int64
			for _, r := range recs {
				if r.Recorded {
					ids = append(ids, r.DossierID)
				}
			}
			recorded += len(ids)
			want, err := tx.StandingsAt(ctx, ids, at)
			if err != nil {
				return err
			}
			for _, r := range recs {
				if r.Recorded && r.Then != want[r.DossierID] {
					t.Errorf("%v: dossier %d: pending with standing %d, recorded %d", at, r.DossierID, r.Then, want[r.DossierID])
				}
				if r.Recorded && r.LastEventAt.Before(at) {
					t.Errorf("%v: dossier %d unchanged since, yet its standing was read", at, r.DossierID)
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if (recorded > 0) != (e == sqltest.SQLite) {
		t.Errorf("%d pending dossiers read with their recorded standing on %s", recorded, e)
	}
}
