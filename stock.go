package motcua

import "time"

// Bucket is where a dossier stands in report 06a's "pending" columns at the
// end of a day.
type Bucket uint8

// Buckets.
const (
	BucketNone    Bucket = iota // not received yet, or finished
	BucketWaiting               // waiting for the applicant's supplement
	BucketWithin                // being handled, within time
	BucketOverdue               // being handled, overdue
)

// Stock is the report-relevant standing of a dossier after an event: not
// counted, waiting for a supplement, or pending with an appointment (Due,
// zero when the law sets no limit). A pending dossier is overdue at the
// end of day X when Due is before the end of X.
//
// Multi and WaitLate carry what indicator 2.1 of QĐ 766 adds: a dossier
// asked more than once for a supplement is overdue whatever its
// appointment, and one waiting for a supplement is judged at the request,
// which is late when it came after the appointment.
type Stock struct {
	Kind     Bucket // BucketNone, BucketWaiting, or BucketWithin for "pending"
	Due      time.Time
	Multi    bool // more than one supplement request so far
	WaitLate bool // waiting, and the (last) request came after the appointment
}

// StockOf returns the standing of a dossier with status s.
func StockOf(s *Status) Stock {
	if s.ReceivedAt.IsZero() || s.State.Finished() {
		return Stock{}
	}
	k := Stock{Multi: len(s.Supplements) > 1}
	if s.State == StateAwaitingSupplement {
		k.Kind = BucketWaiting
		if n := len(s.Supplements); n > 0 && !s.DueAt.IsZero() {
			k.WaitLate = s.Supplements[n-1].RequestedAt.After(s.DueAt)
		}
		return k
	}
	k.Kind, k.Due = BucketWithin, s.DueAt
	return k
}

// StockOfPending is StockOf for a dossier known only by what indicator 2.1
// reads of it (a standing replayed from its history).
func StockOfPending(p Pending766) Stock {
	k := Stock{Multi: p.Supplements > 1}
	if p.State == StateAwaitingSupplement {
		k.Kind = BucketWaiting
		k.WaitLate = !p.DueAt.IsZero() && !p.LastRequest.IsZero() && p.LastRequest.After(p.DueAt)
		return k
	}
	k.Kind, k.Due = BucketWithin, p.DueAt
	return k
}

// At returns the report-06a bucket of a dossier with this standing at the
// end of day x.
func (k Stock) At(x Day) Bucket {
	if k.Kind != BucketWithin || k.Due.IsZero() || !k.Due.Before(x.End()) {
		return k.Kind
	}
	return BucketOverdue
}

// OnTime766 reports indicator 2.1's verdict at the end of day x on a
// dossier pending then with this standing (see Pending766.OnTime).
func (k Stock) OnTime766(x Day) bool {
	switch {
	case k.Multi:
		return false
	case k.Kind == BucketWaiting:
		return !k.WaitLate
	}
	return k.At(x) == BucketWithin
}

// overdueFrom is the first day at whose end a pending dossier is overdue.
func (k Stock) overdueFrom() (Day, bool) {
	if k.Kind != BucketWithin || k.Due.IsZero() {
		return 0, false
	}
	return DayOf(k.Due.Add(-time.Nanosecond)), true
}

// metric is the stock counter that holds a dossier with this standing
// when its bucket is b.
func (k Stock) metric(b Bucket) Metric {
	switch {
	case b == BucketWaiting && (k.Multi || k.WaitLate):
		return MetricStockWaitingLate
	case b == BucketWaiting:
		return MetricStockWaiting
	case b == BucketWithin && k.Multi:
		return MetricStockWithinMulti
	case b == BucketWithin:
		return MetricStockWithin
	case k.Multi:
		return MetricStockOverdueMulti
	}
	return MetricStockOverdue
}

// Day is a calendar day in Vietnam time, counted from 1970-01-01.
type Day int64

// DayOf returns the Vietnam-time day of t.
func DayOf(t time.Time) Day {
	s := t.Unix() + 7*3600
	if s < 0 {
		return Day((s - 86399) / 86400)
	}
	return Day(s / 86400)
}

// Start returns the first instant of the day (00:00 Vietnam time).
func (d Day) Start() time.Time { return time.Unix(int64(d)*86400-7*3600, 0).UTC() }

// End returns the first instant after the day.
func (d Day) End() time.Time { return (d + 1).Start() }

// stockDeltas is the contribution of standing k from day a onwards (sign
// +1) or its withdrawal from day a onwards (sign −1): the bucket at a, and
// the move from within to overdue on the day the appointment passes.
func stockDeltas(agency int64, k Stock, a Day, sign int64) []StatDelta {
	if k.Kind == BucketNone {
		return nil
	}
	b := k.At(a)
	out := []StatDelta{{AgencyID: agency, Day: a, Metric: k.metric(b), N: sign}}
	if x, ok := k.overdueFrom(); ok && x > a {
		out = append(out,
			StatDelta{AgencyID: agency, Day: x, Metric: k.metric(BucketWithin), N: -sign},
			StatDelta{AgencyID: agency, Day: x, Metric: k.metric(BucketOverdue), N: sign})
	}
	return out
}

// StockDeltas returns the changes of the stock counters that an event at
// `at` turning status prev into next causes for a dossier settled by
// agency: the withdrawal of its old standing and the addition of its new
// one from that day on, each with the future day on which a pending
// dossier becomes overdue (which a later event cancels if it comes first).
func StockDeltas(agency int64, prev, next *Status, at time.Time) []StatDelta {
	before, after := StockOf(prev), StockOf(next)
	if before.Kind == after.Kind && before.Due.Equal(after.Due) && before.Multi == after.Multi && before.WaitLate == after.WaitLate {
		return nil
	}
	day := DayOf(at)
	return append(stockDeltas(agency, before, day, -1), stockDeltas(agency, after, day, +1)...)
}

// FlowDeltas returns the changes of the flow counters (receptions and
// finishes, by the day they happened) when a dossier of procedure, settled
// by agency, goes from prev to next (both with their Report computed): its
// contribution as prev is withdrawn and its contribution as next added, so
// a flag learnt after reception (a result file, say) moves the dossier
// between counters of its reception day.
func FlowDeltas(agency, procedure int64, ch Channel, prev, next *Status) []StatDelta {
	a := flowContribution(agency, procedure, ch, prev, -1)
	b := flowContribution(agency, procedure, ch, next, +1)
	if len(a) == 0 {
		return b
	}
	// Cancel equal changes so that an event that changes nothing the
	// counters see writes nothing.
	for i := range a {
		for j := range b {
			if b[j].N != 0 && a[i].AgencyID == b[j].AgencyID && a[i].ProcedureID == b[j].ProcedureID &&
				a[i].Day == b[j].Day && a[i].Metric == b[j].Metric {
				n := a[i].N + b[j].N
				a[i].N, b[j].N = 0, n
				break
			}
		}
	}
	out := make([]StatDelta, 0, len(a)+len(b))
	for _, d := range append(a, b...) {
		if d.N != 0 {
			out = append(out, d)
		}
	}
	return out
}

// flowContribution is what a dossier with status s adds (sign +1) to the
// flow counters.
func flowContribution(agency, procedure int64, ch Channel, s *Status, sign int64) []StatDelta {
	if s.ReceivedAt.IsZero() {
		return nil
	}
	r := &s.Report
	rd := DayOf(s.ReceivedAt)
	add := func(out []StatDelta, day Day, m Metric, n int64) []StatDelta {
		d := StatDelta{AgencyID: agency, Day: day, Metric: m, N: sign * n}
		if m.PerProcedure() {
			d.ProcedureID = procedure
		}
		return append(out, d)
	}
	out := make([]StatDelta, 0, 12)
	if ch == ChannelOnline {
		out = add(out, rd, MetricReceivedOnline, 1)
		out = add(out, rd, MetricProcOnline, 1)
		if r.Flags.Has(FlagResultFile) {
			out = add(out, rd, MetricProcOnlineResultFile, 1)
		}
	} else {
		out = add(out, rd, MetricReceivedDirect, 1)
		if ch == ChannelPost {
			out = add(out, rd, MetricReceivedPost, 1)
		}
	}
	out = add(out, rd, MetricProcReceived, 1)
	if r.Flags.DigitizedOK() {
		out = add(out, rd, MetricDigitized, 1)
	}
	if r.Flags.Has(FlagReused) {
		out = add(out, rd, MetricReused, 1)
	}
	if r.Flags.Identity() {
		out = add(out, rd, MetricProcIdentity, 1)
	}
	if r.Flags.Has(FlagResultFile) {
		out = add(out, rd, MetricProcResultFile, 1)
	}
	if s.State.Finished() {
		fd := DayOf(s.FinishedAt)
		m := MetricFinishedOnTime
		switch r.Class {
		case Early:
			m = MetricFinishedEarly
		case Late:
			m = MetricFinishedLate
		}
		out = add(out, fd, m, 1)
		if r.OnTime766 {
			out = add(out, fd, MetricFinished766, 1)
		}
		out = add(out, fd, MetricProcFinished, 1)
		if r.HandleMS != 0 {
			out = add(out, fd, MetricProcHandleMS, r.HandleMS)
		}
	}
	return out
}

// StatDeltasOf returns every live-counter change that an event at `at`
// turning status prev into d.Status causes. Both statuses must carry their
// Report (ReportFactsOf; the stored one for prev).
func StatDeltasOf(d *Dossier, prev *Status, at time.Time) []StatDelta {
	out := FlowDeltas(d.CompetentAgencyID, d.ProcedureID, d.Channel, prev, &d.Status)
	return append(out, StockDeltas(d.CompetentAgencyID, prev, &d.Status, at)...)
}

// Pending766 is what indicator 2.1 needs of a dossier pending at a moment T:
// its standing then, its supplement requests so far and the last one's time.
type Pending766 struct {
	State       State
	DueAt       time.Time
	Supplements int
	LastRequest time.Time
}
