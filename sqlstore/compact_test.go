package sqlstore_test

import (
	"reflect"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// histories reads every dossier of db and its history.
func histories(t *testing.T, db *sqlstore.DB) (map[int64]*motcua.Dossier, map[int64][]motcua.Event) {
	t.Helper()
	ds, evs := map[int64]*motcua.Dossier{}, map[int64][]motcua.Event{}
	err := db.Read(ctx, func(tx motcua.Tx) error {
		for id := int64(1); ; id++ {
			d, err := tx.Dossier(ctx, id)
			if motcua.ErrorCode(err) == motcua.ENOTFOUND {
				return nil
			} else if err != nil {
				return err
			}
			if ds[id] = d; true {
				if evs[id], err = tx.Events(ctx, id); err != nil {
					return err
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return ds, evs
}

// TestCompactRowsKeepHistories renames an officer in the middle of a
// history and gives him a second role, then takes the demo province back to
// the rows of before migration 22 (the whole status as JSON, the event's
// fields and the actor's name in each event's JSON) and migrates it again:
// every dossier and every event reads back as it was, the history shows
// each name as it was at the time, and the rows are smaller.
func TestCompactRowsKeepHistories(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := seedDemo(t, e)
		var id int64
		var renamed string
		err := db.Write(ctx, func(tx motcua.Tx) error {
			d, err := tx.Dossier(ctx, 1)
			if err != nil {
				return err
			}
			evs, err := tx.Events(ctx, d.ID)
			if err != nil {
				return err
			}
			ev := evs[len(evs)-1]
			for _, x := range evs {
				if x.ActorID != 0 {
					ev = x
				}
			}
			ev.ID, ev.DossierID, ev.Seq = 0, d.ID, d.Status.Seq+1
			ev.At = ev.At.Add(1000)
			renamed = ev.ActorName + " (đổi tên)"
			ev.ActorName, ev.ActorRole, ev.Reason = renamed, motcua.Role("second_role"), "kiểm tra"
			s := d.Status
			s.Seq = ev.Seq
			id = d.ID
			return tx.AppendEvent(ctx, &ev, &s)
		})
		if err != nil {
			t.Fatal(err)
		}
		ds, evs := histories(t, db)
		if len(ds) < 20 {
			t.Fatalf("%d dossiers in the demo province", len(ds))
		}
		h := evs[id]
		last := h[len(h)-1]
		if last.ActorName != renamed || last.ActorRole != "second_role" {
			t.Errorf("renamed actor's event reads %q %q", last.ActorName, last.ActorRole)
		}
		for _, x := range h[:len(h)-1] {
			if x.ActorID == last.ActorID && x.ActorName == renamed {
				t.Errorf("event %d before the rename shows the new name", x.Seq)
			}
		}
		before, err := db.TableBytes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Rewind(ctx, 22); err != nil {
			t.Fatal(err)
		}
		rewound, err := db.TableBytes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sizeOf(rewound, "event_actors") != nil || sizeOf(rewound, "dossier_events") == nil {
			t.Fatalf("rewound schema: %+v", rewound)
		}
		if err := db.Migrate(ctx, func(int, string) {}); err != nil {
			t.Fatal(err)
		}
		ds2, evs2 := histories(t, db)
		if len(ds2) != len(ds) {
			t.Fatalf("%d dossiers after the migration, %d before", len(ds2), len(ds))
		}
		for k, d := range ds {
			if !reflect.DeepEqual(d, ds2[k]) {
				t.Errorf("dossier %d differs after the migration:\n%+v\n%+v", k, d.Status, ds2[k].Status)
			}
			if !reflect.DeepEqual(evs[k], evs2[k]) {
				t.Errorf("history of dossier %d differs after the migration:\n%+v\n%+v", k, evs[k], evs2[k])
			}
		}
		after, err := db.TableBytes(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if sizeOf(after, "event_actors") == nil {
			t.Fatal("no event_actors after the migration")
		}
		for _, table := range []string{"dossier_events", "dossiers"} {
			b, r, a := sizeOf(before, table), sizeOf(rewound, table), sizeOf(after, table)
			t.Logf("%s: %d bytes written compact, %d in the old form, %d migrated", table, b.Bytes, r.Bytes, a.Bytes)
			if table == "dossier_events" && a.Bytes >= r.Bytes {
				t.Errorf("%s: %d bytes migrated, not fewer than the %d of the old form", table, a.Bytes, r.Bytes)
			}
			if a.Rows != b.Rows || a.Rows == 0 {
				t.Errorf("%s: %d rows migrated, %d before", table, a.Rows, b.Rows)
			}
		}
	})
}

func sizeOf(ts []sqlstore.TableBytes, table string) *sqlstore.TableBytes {
	for i := range ts {
		if ts[i].Table == table {
			return &ts[i]
		}
	}
	return nil
}
