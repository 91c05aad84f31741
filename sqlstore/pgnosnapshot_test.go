package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestReadWithoutSnapshot: a read marked motcua.NewContextNoSnapshot
// answers what a read in a transaction answers; on PostgreSQL its
// statements run each on its own (a second statement sees a write
// committed after the first, which a read in a REPEATABLE READ transaction
// does not), and it refuses to write. SQLite keeps its snapshot either way.
func TestReadWithoutSnapshot(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		u := &motcua.User{Username: "mai", FullName: "Lê Thị Mai"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateUser(ctx, u) })
		at := time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)
		notify := func(tx motcua.Tx) error {
			return tx.AddStaffNotification(ctx, &motcua.StaffNotification{UserID: u.ID, DossierID: 1, Code: "H99.1-261206-0001",
				Level: motcua.LevelOverdue, Text: "Quá hạn", At: at})
		}
		mustWrite(t, db, notify)
		noSnap := motcua.NewContextNoSnapshot(ctx)

		// Two counts with a committed write between them.
		counts := func(c context.Context) (first, second int) {
			err := db.Read(c, func(tx motcua.Tx) (err error) {
				if first, err = tx.UnreadStaffNotifications(c, u.ID); err != nil {
					return err
				}
				if err := db.Write(ctx, notify); err != nil {
					return err
				}
				second, err = tx.UnreadStaffNotifications(c, u.ID)
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			return first, second
		}
		if f, s := counts(ctx); f != 1 || s != 1 {
			t.Errorf("in a snapshot: counts %d then %d, want 1 and 1 (the write between is not seen)", f, s)
		}
		f, s := counts(noSnap)
		want := 3 // each statement sees what was committed when it started
		if e == sqltest.SQLite {
			want = 2 // SQLite ignores the mark: a read is a snapshot there
		}
		if f != 2 || s != want {
			t.Errorf("without a snapshot: counts %d then %d, want 2 and %d", f, s, want)
		}
		if e != sqltest.Postgres {
			return
		}
		err := db.Read(noSnap, notify)
		if err == nil {
			t.Fatal("a write in a read without a snapshot was accepted")
		}
		var n int
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) { n, err = tx.UnreadStaffNotifications(ctx, u.ID); return err }); err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("after the refused write: %d unread, want 3", n)
		}
	})
}
