package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// SeedQueue gives the demo's phường Trung Tâm centre a waiting-room queue
// and the mornings of its last working days: the administrator sets up
// three service areas and a kiosk, citizens take tickets from the kiosk,
// and the one-stop officer calls them from counter 1 or 2 (one citizen in
// a dozen does not come), all through the service with a clock moved
// through those mornings, so that the queue report has real waits to show.
// Arrivals and service times are a generator's assumptions (a ticket every
// 3–15 minutes from 7:30 to 10:30, 4–16 minutes at the counter), not
// facts. It needs a province made by Seed.
func SeedQueue(ctx context.Context, o Options) (tickets int, err error) {
	var clock time.Time
	cfg := o.Service
	cfg.Now = func() time.Time { return clock }
	svc := service.New(o.Store, o.Cal, o.Hasher, cfg)
	user := func(name string) (context.Context, error) {
		var u *motcua.User
		err := o.Store.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err })
		return motcua.NewContextWithUser(ctx, u), err
	}
	admin, err := user("admin")
	if err != nil {
		return 0, err
	}
	officer, err := user("motcua.trungtam")
	if err != nil {
		return 0, err
	}
	_, points, err := svc.Agency(ctx, "H99.102")
	if err != nil || len(points) == 0 {
		return 0, fmt.Errorf("phường Trung Tâm's reception point: %w", err)
	}
	pt := points[0]
	clock = o.Now.Add(-10 * 24 * time.Hour)
	var areaIDs []int64
	for _, a := range []struct{ prefix, name string }{{"A", "Hộ tịch, chứng thực"}, {"B", "Đất đai, xây dựng"}, {"C", "Lĩnh vực khác"}} {
		sa := &motcua.ServiceArea{ReceptionPointID: pt.ID, Prefix: a.prefix, Name: a.name, Active: true}
		if err := svc.SaveServiceArea(admin, sa); err != nil {
			return 0, fmt.Errorf("service area %s: %w", a.prefix, err)
		}
		areaIDs = append(areaIDs, sa.ID)
	}
	kiosk, err := svc.BindQueueDevice(admin, pt.ID, "Máy lấy số sảnh chính (dữ liệu mẫu)")
	if err != nil {
		return 0, err
	}
	rng := rand.New(rand.NewPCG(468, 30))
	today := motcua.DayOf(o.Now)
	mornings := 0
	for d := today - 10; d < today && mornings < 5; d++ {
		open := d.Start().Add(7*time.Hour + 30*time.Minute)
		if o.Cal.NextWorkingMoment(open) != open {
			continue // not a working morning
		}
		mornings++
		var arrivals []time.Time
		for t := open.Add(time.Duration(rng.IntN(10)) * time.Minute); t.Before(open.Add(3 * time.Hour)); t = t.Add(time.Duration(3+rng.IntN(13)) * time.Minute) {
			arrivals = append(arrivals, t)
		}
		counter := fmt.Sprint(1 + mornings%2)
		free, issued := open, 0
		var current int64
		for served := range arrivals {
			call := free
			if arrivals[served].After(call) {
				call = arrivals[served]
			}
			for ; issued < len(arrivals) && !arrivals[issued].After(call); issued++ {
				clock = arrivals[issued]
				if _, err := svc.IssueTicket(ctx, kiosk, areaIDs[rng.IntN(len(areaIDs))]); err != nil {
					return tickets, err
				}
				tickets++
			}
			clock = call
			c, err := svc.CallNext(officer, pt.ID, areaIDs, counter)
			if err != nil {
				return tickets, err
			}
			current = c.Ticket.ID
			if rng.IntN(12) == 0 {
				clock = call.Add(2 * time.Minute)
				if _, err := svc.TicketAction(officer, current, service.TicketSkip); err != nil {
					return tickets, err
				}
				current, free = 0, clock
				continue
			}
			free = call.Add(time.Duration(4+rng.IntN(13)) * time.Minute)
		}
		if current != 0 {
			clock = free
			if _, err := svc.TicketAction(officer, current, service.TicketFinish); err != nil {
				return tickets, err
			}
		}
	}
	return tickets, nil
}
