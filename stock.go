package motcua

import "time"

// Bucket is where a dossier stands in a report's "pending" columns at the
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
type Stock struct {
	Kind Bucket // BucketNone, BucketWaiting, or BucketWithin for "pending"
	Due  time.Time
}

// StockOf returns the standing of a dossier with status s.
func StockOf(s *Status) Stock {
	switch {
	case s.ReceivedAt.IsZero() || s.State.Finished():
		return Stock{}
	case s.State == StateAwaitingSupplement:
		return Stock{Kind: BucketWaiting}
	}
	return Stock{Kind: BucketWithin, Due: s.DueAt}
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

// At returns the bucket of a dossier with this standing at the end of day x.
func (k Stock) At(x Day) Bucket {
	if k.Kind != BucketWithin || k.Due.IsZero() || !k.Due.Before(x.End()) {
		return k.Kind
	}
	return BucketOverdue
}

// overdueFrom is the first day at whose end a pending dossier is overdue.
func (k Stock) overdueFrom() (Day, bool) {
	if k.Kind != BucketWithin || k.Due.IsZero() {
		return 0, false
	}
	return DayOf(k.Due.Add(-time.Nanosecond)), true
}

// Metric is a live counter kept per agency and day.
type Metric uint8

// Live counters. The Received and Finished ones count events of the day;
// the stock ones hold changes, so that a stock at the end of a day is the
// sum of its changes up to that day.
const (
	MetricReceivedOnline Metric = iota + 1 // received, online
	MetricReceivedDirect                   // received at a counter or by post
	MetricFinishedEarly
	MetricFinishedOnTime
	MetricFinishedLate
	MetricStockWaiting // change of the number waiting for a supplement
	MetricStockWithin  // change of the number pending within time
	MetricStockOverdue // change of the number pending and overdue
)

// StatDelta is a change of a live counter.
type StatDelta struct {
	AgencyID int64
	Day      Day
	Metric   Metric
	N        int64
}

func stockMetric(b Bucket) Metric {
	switch b {
	case BucketWaiting:
		return MetricStockWaiting
	case BucketWithin:
		return MetricStockWithin
	}
	return MetricStockOverdue
}

// stockDeltas is the contribution of standing k from day a onwards (sign
// +1) or its withdrawal from day a onwards (sign −1): the bucket at a, and
// the move from within to overdue on the day the appointment passes.
func stockDeltas(agency int64, k Stock, a Day, sign int64) []StatDelta {
	if k.Kind == BucketNone {
		return nil
	}
	out := []StatDelta{{AgencyID: agency, Day: a, Metric: stockMetric(k.At(a)), N: sign}}
	if x, ok := k.overdueFrom(); ok && x > a {
		out = append(out,
			StatDelta{AgencyID: agency, Day: x, Metric: MetricStockWithin, N: -sign},
			StatDelta{AgencyID: agency, Day: x, Metric: MetricStockOverdue, N: sign})
	}
	return out
}

// StatDeltasOf returns the live-counter changes that an event at `at`
// turning status prev into next (whose Report must be computed) causes for
// a dossier settled by agency:
// the reception and the finish of the day, and the change of standing from
// that day on (including the future day on which a pending dossier will
// become overdue, which a later event cancels if it comes first).
func StatDeltasOf(agency int64, channel Channel, prev, next *Status, at time.Time) []StatDelta {
	day := DayOf(at)
	var out []StatDelta
	if prev.ReceivedAt.IsZero() && !next.ReceivedAt.IsZero() {
		m := MetricReceivedDirect
		if channel == ChannelOnline {
			m = MetricReceivedOnline
		}
		out = append(out, StatDelta{AgencyID: agency, Day: DayOf(next.ReceivedAt), Metric: m, N: 1})
	}
	if !next.ReceivedAt.IsZero() && next.State.Finished() && !prev.State.Finished() {
		m := MetricFinishedOnTime
		switch next.Report.Class {
		case Early:
			m = MetricFinishedEarly
		case Late:
			m = MetricFinishedLate
		}
		out = append(out, StatDelta{AgencyID: agency, Day: DayOf(next.FinishedAt), Metric: m, N: 1})
	}
	before, after := StockOf(prev), StockOf(next)
	if before.Kind != after.Kind || !before.Due.Equal(after.Due) {
		out = append(out, stockDeltas(agency, before, day, -1)...)
		out = append(out, stockDeltas(agency, after, day, +1)...)
	}
	return out
}

// Pending766 is what indicator 2.1 needs of a dossier pending at a moment T:
// its standing then, its supplement requests so far and the last one's time.
type Pending766 struct {
	State       State
	DueAt       time.Time
	Supplements int
	LastRequest time.Time
}

// OnTime reports indicator 2.1's verdict on a dossier pending at T: more
// than one supplement request makes it overdue; a dossier waiting for its
// supplement ended at the request; any other pending dossier ends at T.
// It is on time when that end is not after its appointment (always, when
// the law sets no limit).
func (p Pending766) OnTime(T time.Time) bool {
	if p.Supplements > 1 {
		return false
	}
	if p.DueAt.IsZero() {
		return true
	}
	end := T
	if p.State == StateAwaitingSupplement && !p.LastRequest.IsZero() {
		end = p.LastRequest
	}
	return !end.After(p.DueAt)
}
