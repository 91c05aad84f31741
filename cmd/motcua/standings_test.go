package main

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
)

// recordMatchesHistory checks that a province's record of standings
// (dossier_standings) holds rows, and that the standing it gives every
// dossier at the ends of the months of 2025 and 2026 is the one replayed
// from the dossier's events: after a restore or a merge of provinces the
// copied record still tells a past period's end as the history does.
func recordMatchesHistory(t *testing.T, db *sqlstore.DB) {
	t.Helper()
	ctx := context.Background()
	if len(fields(t, db, "dossier_standings")) == 0 {
		t.Fatal("no record of standings")
	}
	var ids []int64
	for _, vals := range fields(t, db, "dossiers") {
		id, err := strconv.ParseInt(vals[0], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	seen := 0
	for m := time.Date(2025, 1, 1, 0, 0, 0, 0, motcua.VietnamTime); m.Year() < 2027; m = m.AddDate(0, 1, 0) {
		if err := db.Read(ctx, func(tx motcua.Tx) error {
			got, err := tx.StandingsAt(ctx, ids, m)
			if err != nil {
				return err
			}
			lines, err := tx.HistoryBefore(ctx, ids, m)
			if err != nil {
				return err
			}
			want := motcua.ReplayHistory(lines)
			seen += len(want)
			for _, id := range ids {
				if got[id] != motcua.StandingOf(want[id]) {
					t.Errorf("%v: dossier %d: recorded standing %d, replayed %+v", m, id, got[id], want[id])
				}
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if seen == 0 {
		t.Fatal("no dossier had events before the months' ends")
	}
}
