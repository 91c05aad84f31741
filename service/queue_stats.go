package service

import (
	"context"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// QueueFigures are the waits and services of a set of tickets. Averages
// are over the tickets that have the time: Called for waits, Served for
// services.
type QueueFigures struct {
	Issued  int
	Called  int // called at least once (wait known)
	Served  int // done (service time known)
	Skipped int // no-show
	// Dossiers is how many tickets ended with a dossier received.
	Dossiers    int
	AvgWait     time.Duration
	MaxWait     time.Duration
	AvgService  time.Duration
	WithinShare float64 // share of the called tickets that waited at most the target, 0..1
	OverTarget  bool    // the average wait exceeds the target
	sumWait     time.Duration
	sumService  time.Duration
	within      int
}

func (f *QueueFigures) add(t *motcua.Ticket, target time.Duration) {
	f.Issued++
	if t.State == motcua.TicketSkipped {
		f.Skipped++
	}
	if t.DossierID != 0 {
		f.Dossiers++
	}
	if w, ok := t.Wait(); ok {
		f.Called++
		f.sumWait += w
		f.MaxWait = max(f.MaxWait, w)
		if w <= target {
			f.within++
		}
	}
	if d, ok := t.Service(); ok {
		f.Served++
		f.sumService += d
	}
}

func (f *QueueFigures) finish(target time.Duration) {
	if f.Called > 0 {
		f.AvgWait = (f.sumWait / time.Duration(f.Called)).Round(time.Second)
		f.WithinShare = float64(f.within) / float64(f.Called)
	}
	if f.Served > 0 {
		f.AvgService = (f.sumService / time.Duration(f.Served)).Round(time.Second)
	}
	f.OverTarget = f.AvgWait > target
}

// QueueRow is the figures of one counter or one area.
type QueueRow struct {
	Key   string // the counter's label or the area's name
	Label string
	QueueFigures
}

// QueueStats are a reception point's queue figures for a period of days
// (Vietnam time, both included): overall, per counter and per area,
// against the target wait (QĐ 468/QĐ-TTg).
type QueueStats struct {
	Point     *motcua.ReceptionPoint
	From, To  motcua.Day
	Target    time.Duration
	All       QueueFigures
	ByCounter []QueueRow
	ByArea    []QueueRow
}

// maxQueueDays bounds a report's period: a year of one point's tickets.
const maxQueueDays = 366

// QueueReport returns the queue figures of a reception point for the days
// from..to. Who may read them: the staff who work at the point's agency
// (handling roles), and supervisors and leaders of it or above.
// Errors: EUNAUTHORIZED, EFORBIDDEN, ENOTFOUND, EINVALID (period).
func (s *Service) QueueReport(ctx context.Context, pointID int64, from, to motcua.Day) (*QueueStats, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	p, err := s.receptionPoint(ctx, pointID)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	if !s.mayReadAgency(u, p.AgencyID, byID) && !s.holdsOver(u, motcua.RoleLeader, p.AgencyID, byID) {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "queue_not_yours", "Anh/chị không theo dõi hàng chờ của điểm tiếp nhận này.")
	}
	if to < from || to-from >= maxQueueDays {
		return nil, motcua.Errorf(motcua.EINVALID, "period_invalid", "Khoảng thời gian phải từ một ngày đến một năm, ngày đầu không sau ngày cuối.")
	}
	return s.queueStats(ctx, p, from, to)
}

// QueueWaitTarget is the target wait in force.
func (s *Service) QueueWaitTarget() time.Duration { return s.cfg.QueueWaitTarget }

func (s *Service) queueStats(ctx context.Context, p *motcua.ReceptionPoint, from, to motcua.Day) (*QueueStats, error) {
	target := s.cfg.QueueWaitTarget
	st := &QueueStats{Point: p, From: from, To: to, Target: target}
	var tickets []*motcua.Ticket
	var areas []*motcua.ServiceArea
	err := s.store.Read(ctx, func(tx motcua.Tx) (err error) {
		if areas, err = tx.ServiceAreas(ctx, p.ID); err != nil {
			return err
		}
		tickets, err = tx.Tickets(ctx, motcua.TicketFilter{ReceptionPointID: p.ID, IssuedFrom: from.Start(), IssuedTo: (to + 1).Start()})
		return err
	})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, a := range areas {
		names[a.ID] = a.Prefix + " – " + a.Name
	}
	counters, byArea := map[string]*QueueRow{}, map[string]*QueueRow{}
	row := func(m map[string]*QueueRow, key, label string) *QueueRow {
		r := m[key]
		if r == nil {
			r = &QueueRow{Key: key, Label: label}
			m[key] = r
		}
		return r
	}
	for _, t := range tickets {
		st.All.add(t, target)
		row(byArea, names[t.AreaID], names[t.AreaID]).add(t, target)
		if t.Counter != "" {
			row(counters, t.Counter, "Quầy "+t.Counter).add(t, target)
		}
	}
	st.All.finish(target)
	flat := func(m map[string]*QueueRow) []QueueRow {
		var out []QueueRow
		for _, r := range m {
			r.finish(target)
			out = append(out, *r)
		}
		slices.SortFunc(out, func(a, b QueueRow) int {
			if len(a.Key) != len(b.Key) { // "2" before "10"
				return len(a.Key) - len(b.Key)
			}
			if a.Key < b.Key {
				return -1
			}
			if a.Key > b.Key {
				return 1
			}
			return 0
		})
		return out
	}
	st.ByCounter, st.ByArea = flat(counters), flat(byArea)
	return st, nil
}
