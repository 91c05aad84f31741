package service_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestUnreadBellFollowsChanges checks the cached count of the bell: a
// warning recorded through the instance and the member's reading of the
// notifications show on the next page at once (the clock does not move);
// a notification written by another instance shows when that instance's
// change arrives on the bus, or at the latest when the cache's time to
// live has passed.
func TestUnreadBellFollowsChanges(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678"))
		if err != nil {
			t.Fatal(err)
		}
		d := res.Dossier
		officer := f.as("motcua.anphu")
		me := motcua.UserFromContext(officer)
		bell := func() int {
			t.Helper()
			n, err := f.svc.UnreadNotifications(officer)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		stored := func() int {
			t.Helper()
			var n int
			if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { n, err = tx.UnreadStaffNotifications(ctx, me.ID); return err }); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// A minute past the transfer deadline, before the job has run:
		// the bell is read (and cached) with nothing new.
		f.set(d.Status.ActionDueAt.Add(time.Minute))
		before := bell()
		if before != stored() {
			t.Fatalf("bell %d, stored %d", before, stored())
		}
		if _, err := f.svc.WarnClocks(ctx); err != nil {
			t.Fatal(err)
		}
		if s := stored(); s <= before {
			t.Fatalf("the overdue warning did not reach the officer (%d unread, %d before)", s, before)
		}
		if got := bell(); got != stored() {
			t.Fatalf("bell after a warning recorded here = %d, want %d at once", got, stored())
		}
		if _, err := f.svc.MyNotifications(officer); err != nil {
			t.Fatal(err)
		}
		if got := bell(); got != 0 {
			t.Fatalf("bell after reading the notifications = %d", got)
		}
		// Another instance records one: shown when its change arrives.
		add := func() {
			t.Helper()
			if err := f.db.Write(ctx, func(tx motcua.Tx) error {
				return tx.AddStaffNotification(ctx, &motcua.StaffNotification{UserID: me.ID, DossierID: d.ID, Code: d.Code,
					Level: motcua.LevelOverdue, Text: "x", At: f.svc.Now()})
			}); err != nil {
				t.Fatal(err)
			}
		}
		add()
		f.svc.DropCached(ctx, motcua.CacheKey{Kind: motcua.CacheUnread, Key: strconv.FormatInt(me.ID, 10)})
		if got := bell(); got != 1 {
			t.Fatalf("bell after the bus's change = %d, want 1", got)
		}
		// A change the bus lost: shown once the time to live has passed.
		add()
		f.set(f.svc.Now().Add(11 * time.Second))
		if got := bell(); got != 2 {
			t.Fatalf("bell after the time to live = %d, want 2", got)
		}
	})
}
