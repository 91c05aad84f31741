package motcua

import (
	"sort"
	"time"
)

// Metric is a live counter. Agency-level counters are kept per day, month
// and year; per-procedure ones (PerProcedure) per month and year only,
// which is what the QĐ 766 index needs and keeps the writes of an intake
// few.
type Metric uint8

// Live counters. Flows count the dossiers received (by reception day) or
// finished (by finishing day); stocks hold changes, so that a stock at the
// end of a day is the sum of its changes up to that day.
const (
	MetricReceivedOnline Metric = iota + 1 // received, online
	MetricReceivedDirect                   // received at a counter or by post
	MetricReceivedPost                     // received by post (part of direct)
	MetricDigitized                        // received, digitized as indicator 4.2 counts it
	MetricReused                           // received with a reused component (4.3)
	MetricFinishedEarly
	MetricFinishedOnTime
	MetricFinishedLate
	MetricFinished766 // finished on time by indicator 2.1

	MetricStockWaiting      // waiting for a supplement, on time by 2.1
	MetricStockWaitingLate  // waiting, late by 2.1 (asked twice, or after the appointment)
	MetricStockWithin       // pending within time
	MetricStockOverdue      // pending overdue
	MetricStockWithinMulti  // pending within time but asked twice (late by 2.1)
	MetricStockOverdueMulti // pending overdue and asked twice

	MetricProcReceived         // per procedure: received
	MetricProcOnline           // per procedure: received online
	MetricProcResultFile       // per procedure: received, with an electronic result file
	MetricProcOnlineResultFile // per procedure: online, with an electronic result file
	MetricProcIdentity         // per procedure: with VNeID, store or population data (4.5)
	MetricProcFinished         // per procedure: finished
	MetricProcHandleMS         // per procedure: handling time of the finished, in ms (2.2)
)

// StockMetrics are the stock counters, whose sum is the pending dossiers.
var StockMetrics = []Metric{MetricStockWaiting, MetricStockWaitingLate, MetricStockWithin, MetricStockOverdue,
	MetricStockWithinMulti, MetricStockOverdueMulti}

// PerProcedure reports whether the counter is kept per procedure (months
// and years) rather than per agency (days, months and years).
func (m Metric) PerProcedure() bool { return m >= MetricProcReceived }

// StatDelta is a change of a live counter on a day. ProcedureID is set for
// per-procedure counters only.
type StatDelta struct {
	AgencyID    int64
	ProcedureID int64
	Day         Day
	Metric      Metric
	N           int64
}

// Scale is the span a stored counter covers.
type Scale uint8

// Scales.
const (
	ScaleDay   Scale = iota // Period is a Day
	ScaleMonth              // Period is year×12 + month − 1
	ScaleYear               // Period is the year
)

// StatKey identifies a stored counter.
type StatKey struct {
	Scale       Scale
	Period      int64
	AgencyID    int64
	ProcedureID int64
	Metric      Metric
}

// civil returns the Vietnam-time date of a day.
func (d Day) civil() (int, time.Month, int) {
	return d.Start().In(VietnamTime).Date()
}

// MonthIndex is the month of the day as year×12 + month − 1.
func (d Day) MonthIndex() int64 {
	y, m, _ := d.civil()
	return int64(y)*12 + int64(m) - 1
}

// Year is the day's year.
func (d Day) Year() int64 {
	y, _, _ := d.civil()
	return int64(y)
}

// DayOfDate returns the day of a Vietnam-time date (the month and day may
// overflow, as time.Date allows).
func DayOfDate(y int, m time.Month, d int) Day {
	return DayOf(time.Date(y, m, d, 12, 0, 0, 0, VietnamTime))
}

// Rollup adds changes into the stored counters they update, merged: each
// change goes to its day (agency-level counters only), its month and its
// year. Counters whose changes cancel out are left out.
func Rollup(deltas []StatDelta, into map[StatKey]int64) {
	for _, d := range deltas {
		if d.N == 0 {
			continue
		}
		k := StatKey{AgencyID: d.AgencyID, ProcedureID: d.ProcedureID, Metric: d.Metric}
		if !d.Metric.PerProcedure() {
			k.ProcedureID = 0
			k.Scale, k.Period = ScaleDay, int64(d.Day)
			add(into, k, d.N)
		}
		k.Scale, k.Period = ScaleMonth, d.Day.MonthIndex()
		add(into, k, d.N)
		k.Scale, k.Period = ScaleYear, d.Day.Year()
		add(into, k, d.N)
	}
}

func add(m map[StatKey]int64, k StatKey, n int64) {
	if v := m[k] + n; v != 0 {
		m[k] = v
	} else {
		delete(m, k)
	}
}

// SortedKeys returns the keys of counters in a fixed order (so that
// concurrent writers take row locks in the same order).
func SortedKeys(m map[StatKey]int64) []StatKey {
	keys := make([]StatKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].less(keys[j]) })
	return keys
}

func (a StatKey) less(b StatKey) bool {
	switch {
	case a.Scale != b.Scale:
		return a.Scale < b.Scale
	case a.Metric != b.Metric:
		return a.Metric < b.Metric
	case a.Period != b.Period:
		return a.Period < b.Period
	case a.AgencyID != b.AgencyID:
		return a.AgencyID < b.AgencyID
	}
	return a.ProcedureID < b.ProcedureID
}

// Segment is a run of consecutive stored periods of one scale, From and To
// included.
type Segment struct {
	Scale    Scale
	From, To int64
}

// Segments covers the days from..to (included) with as few stored periods
// as possible: whole years, whole months, then days. With monthsOnly, the
// span must be made of whole months (for per-procedure counters); ok is
// false when it is not.
func Segments(from, to Day, monthsOnly bool) (segs []Segment, ok bool) {
	push := func(sc Scale, p int64) {
		if n := len(segs); n > 0 && segs[n-1].Scale == sc && segs[n-1].To == p-1 {
			segs[n-1].To = p
			return
		}
		segs = append(segs, Segment{Scale: sc, From: p, To: p})
	}
	for d := from; d <= to; {
		y, m, day := d.civil()
		switch {
		case m == time.January && day == 1 && DayOfDate(y, 12, 31) <= to:
			push(ScaleYear, int64(y))
			d = DayOfDate(y+1, 1, 1)
		case day == 1 && DayOfDate(y, m+1, 0) <= to:
			push(ScaleMonth, int64(y)*12+int64(m)-1)
			d = DayOfDate(y, m+1, 1)
		default:
			if monthsOnly {
				return nil, false
			}
			push(ScaleDay, int64(d))
			d++
		}
	}
	return segs, true
}

// UpTo covers every day up to x (included), for stocks.
func UpTo(x Day) []Segment {
	segs, _ := Segments(DayOfDate(1970, 1, 1), x, false)
	return segs
}

// WholeMonths reports whether the period is made of whole months, so that
// per-procedure counters can answer for it.
func (p Period) WholeMonths() bool {
	_, ok := Segments(p.From, p.To, true)
	return ok
}

// StatTotal is the sum of a live counter for one agency (and procedure, for
// per-procedure counters).
type StatTotal struct {
	AgencyID    int64
	ProcedureID int64
	Metric      Metric
	N           int64
}
