package motcua_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestSegments checks spans covered by whole years, months and days.
func TestSegments(t *testing.T) {
	d := motcua.DayOfDate
	mi := func(y int, m time.Month) int64 { return int64(y)*12 + int64(m) - 1 }
	for _, c := range []struct {
		name       string
		from, to   motcua.Day
		monthsOnly bool
		want       []motcua.Segment
		ok         bool
	}{
		{"a year", d(2025, 1, 1), d(2025, 12, 31), false, []motcua.Segment{{Scale: motcua.ScaleYear, From: 2025, To: 2025}}, true},
		{"two years", d(2024, 1, 1), d(2025, 12, 31), true, []motcua.Segment{{Scale: motcua.ScaleYear, From: 2024, To: 2025}}, true},
		{"a quarter", d(2025, 4, 1), d(2025, 6, 30), true, []motcua.Segment{{Scale: motcua.ScaleMonth, From: mi(2025, 4), To: mi(2025, 6)}}, true},
		{"ragged", d(2024, 12, 30), d(2026, 2, 2), false, []motcua.Segment{
			{Scale: motcua.ScaleDay, From: int64(d(2024, 12, 30)), To: int64(d(2024, 12, 31))},
			{Scale: motcua.ScaleYear, From: 2025, To: 2025},
			{Scale: motcua.ScaleMonth, From: mi(2026, 1), To: mi(2026, 1)},
			{Scale: motcua.ScaleDay, From: int64(d(2026, 2, 1)), To: int64(d(2026, 2, 2))},
		}, true},
		{"February of a leap year", d(2024, 2, 1), d(2024, 2, 29), true, []motcua.Segment{{Scale: motcua.ScaleMonth, From: mi(2024, 2), To: mi(2024, 2)}}, true},
		{"not whole months", d(2025, 3, 2), d(2025, 3, 31), true, nil, false},
		{"one day", d(2025, 3, 2), d(2025, 3, 2), false, []motcua.Segment{{Scale: motcua.ScaleDay, From: int64(d(2025, 3, 2)), To: int64(d(2025, 3, 2))}}, true},
		{"empty", d(2025, 3, 2), d(2025, 3, 1), false, nil, true},
	} {
		got, ok := motcua.Segments(c.from, c.to, c.monthsOnly)
		if ok != c.ok || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v %v, want %+v %v", c.name, got, ok, c.want, c.ok)
		}
	}
	// Every day of a span is covered once: sum a counter of 1 per day.
	perDay := func(segs []motcua.Segment) int64 {
		var n int64
		for _, s := range segs {
			for p := s.From; p <= s.To; p++ {
				switch s.Scale {
				case motcua.ScaleDay:
					n++
				case motcua.ScaleMonth:
					y, m := int(p/12), time.Month(p%12+1)
					n += int64(d(y, m+1, 0) - d(y, m, 1) + 1)
				case motcua.ScaleYear:
					n += int64(d(int(p), 12, 31) - d(int(p), 1, 1) + 1)
				}
			}
		}
		return n
	}
	for _, span := range [][2]motcua.Day{{d(2023, 5, 17), d(2026, 11, 22)}, {d(1970, 1, 1), d(2025, 7, 31)}, {d(2025, 2, 28), d(2025, 3, 1)}} {
		segs, _ := motcua.Segments(span[0], span[1], false)
		if got, want := perDay(segs), int64(span[1]-span[0]+1); got != want {
			t.Errorf("%v covers %d days, want %d", span, got, want)
		}
	}
}

// TestRollup checks that a change reaches its day (agency counters only),
// month and year, and that changes cancelling out leave nothing.
func TestRollup(t *testing.T) {
	day := motcua.DayOfDate(2025, 3, 31)
	m := map[motcua.StatKey]int64{}
	motcua.Rollup([]motcua.StatDelta{
		{AgencyID: 5, Day: day, Metric: motcua.MetricReceivedOnline, N: 2},
		{AgencyID: 5, ProcedureID: 9, Day: day, Metric: motcua.MetricProcOnline, N: 1},
		{AgencyID: 5, ProcedureID: 9, Day: day + 1, Metric: motcua.MetricProcOnline, N: 1}, // 1 April
		{AgencyID: 6, Day: day, Metric: motcua.MetricStockWithin, N: 1},
		{AgencyID: 6, Day: day, Metric: motcua.MetricStockWithin, N: -1},
	}, m)
	march, april := int64(2025*12+2), int64(2025*12+3)
	want := map[motcua.StatKey]int64{
		{Scale: motcua.ScaleDay, Period: int64(day), AgencyID: 5, Metric: motcua.MetricReceivedOnline}:          2,
		{Scale: motcua.ScaleMonth, Period: march, AgencyID: 5, Metric: motcua.MetricReceivedOnline}:             2,
		{Scale: motcua.ScaleYear, Period: 2025, AgencyID: 5, Metric: motcua.MetricReceivedOnline}:               2,
		{Scale: motcua.ScaleMonth, Period: march, AgencyID: 5, ProcedureID: 9, Metric: motcua.MetricProcOnline}: 1,
		{Scale: motcua.ScaleMonth, Period: april, AgencyID: 5, ProcedureID: 9, Metric: motcua.MetricProcOnline}: 1,
		{Scale: motcua.ScaleYear, Period: 2025, AgencyID: 5, ProcedureID: 9, Metric: motcua.MetricProcOnline}:   2,
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("rollup %v\nwant %v", m, want)
	}
	keys := motcua.SortedKeys(m)
	for i := 1; i < len(keys); i++ {
		a, b := keys[i-1], keys[i]
		if a.Scale > b.Scale || a.Scale == b.Scale && a.Metric > b.Metric {
			t.Errorf("keys out of order: %+v before %+v", a, b)
		}
	}
}
