package sqlstore_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestQueueStore keeps service areas (a prefix unique per point), devices
// (by token hash, revocable), and tickets: a number unique per area and
// day, a state changed only from the state the caller read (so that two
// officers never both call one ticket), and the filters the queue reads.
func TestQueueStore(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		db := sqltest.Open(t, e)
		a := mustAgency(t, db, "H99.101")
		pt := &motcua.ReceptionPoint{AgencyID: a.ID, Code: "P1", Name: "Quầy 1"}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateReceptionPoint(ctx, pt) })
		areaA := &motcua.ServiceArea{ReceptionPointID: pt.ID, Prefix: "A", Name: "Hộ tịch", Active: true}
		areaB := &motcua.ServiceArea{ReceptionPointID: pt.ID, Prefix: "B", Name: "Đất đai", Active: true}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveServiceArea(ctx, areaA) })
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveServiceArea(ctx, areaB) })
		dup := &motcua.ServiceArea{ReceptionPointID: pt.ID, Prefix: "A", Name: "Trùng", Active: true}
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.SaveServiceArea(ctx, dup) }); motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Errorf("a taken prefix: %v", err)
		}
		areaB.Active, areaB.Name = false, "Đất đai, nhà ở"
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.SaveServiceArea(ctx, areaB) })
		var areas []*motcua.ServiceArea
		db.Read(ctx, func(tx motcua.Tx) (err error) { areas, err = tx.ServiceAreas(ctx, pt.ID); return err })
		if len(areas) != 2 || *areas[0] != *areaA || *areas[1] != *areaB {
			t.Errorf("areas read back: %+v", areas)
		}

		at := time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
		dev := &motcua.QueueDevice{TokenHash: bytes.Repeat([]byte{7}, 32), ReceptionPointID: pt.ID, Name: "Máy lấy số", CreatedBy: 3, CreatedAt: at}
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateQueueDevice(ctx, dev) })
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.RevokeQueueDevice(ctx, dev.TokenHash) })
		var got *motcua.QueueDevice
		db.Read(ctx, func(tx motcua.Tx) (err error) { got, err = tx.QueueDevice(ctx, dev.TokenHash); return err })
		if got == nil || !got.Revoked || got.Name != dev.Name || !got.CreatedAt.Equal(at) || !bytes.Equal(got.TokenHash, dev.TokenHash) {
			t.Errorf("device read back: %+v", got)
		}
		if err := db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.QueueDevice(ctx, []byte{1}); return err }); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("an unknown device: %v", err)
		}

		day := motcua.DayOf(at)
		var ts []*motcua.Ticket
		for i, area := range []int64{areaA.ID, areaA.ID, areaB.ID, areaA.ID} {
			n := i + 1
			if area == areaB.ID {
				n = 1
			}
			k := &motcua.Ticket{AreaID: area, ReceptionPointID: pt.ID, Day: day, Number: n, IssuedAt: at.Add(time.Duration(i) * time.Minute), State: motcua.TicketWaiting}
			if area == areaA.ID && i == 3 {
				k.Number = 3
			}
			mustWrite(t, db, func(tx motcua.Tx) error { return tx.CreateTicket(ctx, k) })
			ts = append(ts, k)
		}
		again := &motcua.Ticket{AreaID: areaA.ID, ReceptionPointID: pt.ID, Day: day, Number: 1, IssuedAt: at, State: motcua.TicketWaiting}
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.CreateTicket(ctx, again) }); motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Errorf("a number issued twice: %v", err)
		}
		// Calling: from waiting once; a second caller who read it waiting
		// is refused.
		call := *ts[0]
		call.State, call.FirstCalledAt, call.CalledAt, call.CalledBy, call.Counter = motcua.TicketCalled, at.Add(10*time.Minute), at.Add(10*time.Minute), 9, "2"
		mustWrite(t, db, func(tx motcua.Tx) error { return tx.UpdateTicket(ctx, &call, motcua.TicketWaiting) })
		if err := db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateTicket(ctx, &call, motcua.TicketWaiting) }); motcua.ErrorCode(err) != motcua.ECONFLICT {
			t.Errorf("a ticket called twice: %v", err)
		}
		var back *motcua.Ticket
		db.Read(ctx, func(tx motcua.Tx) (err error) { back, err = tx.Ticket(ctx, call.ID); return err })
		if back == nil || *back != call {
			t.Errorf("ticket read back: %+v, want %+v", back, call)
		}
		find := func(f motcua.TicketFilter) []int64 {
			var out []*motcua.Ticket
			if err := db.Read(ctx, func(tx motcua.Tx) (err error) { out, err = tx.Tickets(ctx, f); return err }); err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, k := range out {
				ids = append(ids, k.ID)
			}
			return ids
		}
		eq := func(name string, got []int64, want ...int64) {
			t.Helper()
			if len(got) != len(want) {
				t.Errorf("%s: %v, want %v", name, got, want)
				return
			}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("%s: %v, want %v", name, got, want)
					return
				}
			}
		}
		waiting := []motcua.TicketState{motcua.TicketWaiting}
		eq("waiting in A", find(motcua.TicketFilter{AreaIDs: []int64{areaA.ID}, States: waiting}), ts[1].ID, ts[3].ID)
		eq("waiting in A, first", find(motcua.TicketFilter{AreaIDs: []int64{areaA.ID}, States: waiting, Limit: 1}), ts[1].ID)
		eq("no area", find(motcua.TicketFilter{AreaIDs: []int64{}}))
		eq("issued in the first two minutes", find(motcua.TicketFilter{ReceptionPointID: pt.ID, IssuedFrom: at, IssuedTo: at.Add(2 * time.Minute)}), ts[0].ID, ts[1].ID)
		eq("called by 9 since", find(motcua.TicketFilter{ReceptionPointID: pt.ID, CalledBy: 9, CalledSince: day.Start(), ByLatestCall: true}), ts[0].ID)
		eq("called since later", find(motcua.TicketFilter{ReceptionPointID: pt.ID, CalledSince: at.Add(11 * time.Minute)}))
	})
}
