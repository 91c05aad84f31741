package calendar_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// vn parses "2006-01-02 15:04" in Vietnam time.
func vn(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Vietnam)
	if err != nil {
		t.Fatalf("time %q: %v", s, err)
	}
	return v
}

func clock(t testing.TB, s string) *motcua.ClockTime {
	t.Helper()
	c, err := motcua.ParseClockTime(s)
	if err != nil {
		t.Fatal(err)
	}
	return &c
}

func wantTime(t *testing.T, what string, got time.Time, want time.Time) {
	t.Helper()
	if !got.Equal(want) {
		t.Errorf("%s = %s, want %s", what, got.In(calendar.Vietnam).Format("Mon 2006-01-02 15:04:05"), want.Format("Mon 2006-01-02 15:04:05"))
	}
}

// Expected values below are worked out by hand from the default periods
// 07:30–11:30 and 13:00–17:00 (8 h a day) and the official days off.
func TestDueWorkingDays(t *testing.T) {
	c := defaultCalendar(t)
	cut := clock(t, "15:00")
	tests := []struct {
		name   string
		start  string
		value  float64
		cutOff *motcua.ClockTime
		want   string
	}{
		// 24 h. Thu 23 Jan: 10:00–11:30 + 13:00–17:00 = 5.5 h; Fri 24: 8 h
		// (13.5 h); Sat 25 Jan–Sun 2 Feb is the Tết block (weekdays 27–31
		// Jan off); Mon 3 Feb: 8 h (21.5 h); Tue 4 Feb: 2.5 h from 07:30.
		{"across Tết 2025", "2025-01-23 10:00", 3, nil, "2025-02-04 10:00"},
		// 16 h. Tue 29 Apr: 09:00–11:30 + 13:00–17:00 = 6.5 h; Wed 30 Apr
		// and Thu 1 May holidays, Fri 2 May swapped off, weekend; Mon 5 May:
		// 8 h (14.5 h); Tue 6 May: 1.5 h from 07:30.
		{"across 30/4–1/5 and the 2025 swap", "2025-04-29 09:00", 2, nil, "2025-05-06 09:00"},
		// 8 h. Fri 25 Apr: 5.5 h; Sat 26 Apr is worked (swap): 2.5 h.
		{"onto the worked Saturday 26 Apr 2025", "2025-04-25 10:00", 1, nil, "2025-04-26 10:00"},
		// 8 h. Fri 9 Jan 2026: 5.5 h; Sat 10 Jan 2026 worked: 2.5 h.
		{"onto the worked Saturday 10 Jan 2026", "2026-01-09 10:00", 1, nil, "2026-01-10 10:00"},
		// 4 h. Wed 31 Dec 2025: 1 h; Thu 1 Jan holiday, Fri 2 Jan swapped
		// off, weekend; Mon 5 Jan: 3 h from 07:30.
		{"half a day across New Year 2026", "2025-12-31 16:00", 0.5, nil, "2026-01-05 10:30"},
		// 16 h. Fri 13 Feb 2026: 2 h; Sat 14–Sun 22 Feb Tết; Mon 23: 8 h
		// (10 h); Tue 24: 07:30–11:30 (14 h) and 13:00–15:00.
		{"across Tết 2026", "2026-02-13 15:00", 2, nil, "2026-02-24 15:00"},
		// 8 h. Mon 23 Nov 2026: 5.5 h; Tue 24 Nov off (Ngày Văn hóa Việt
		// Nam, provisional); Wed 25 Nov: 2.5 h.
		{"across 24 Nov 2026", "2026-11-23 10:00", 1, nil, "2026-11-25 10:00"},
		// 12 h from the start of a day: Mon 8 h, Tue 07:30–11:30.
		{"one and a half days", "2025-04-14 07:30", 1.5, nil, "2025-04-15 11:30"},
		// 8 h from 07:30 ends at 17:00 the same day, not the next morning.
		{"one day from the opening", "2025-04-14 07:30", 1, nil, "2025-04-14 17:00"},
		{"0 days inside working time", "2025-04-14 10:00", 0, nil, "2025-04-14 17:00"},
		{"0 days before opening", "2025-04-14 06:00", 0, nil, "2025-04-14 17:00"},
		{"0 days after closing", "2025-04-14 17:30", 0, nil, "2025-04-15 17:00"},
		{"0 days on a Sunday", "2025-04-27 10:00", 0, nil, "2025-04-28 17:00"},
		{"0 days on the worked Saturday", "2025-04-26 10:00", 0, nil, "2025-04-26 17:00"},
		{"0 days just before the cut-off", "2025-04-14 14:59", 0, cut, "2025-04-14 17:00"},
		{"0 days at the cut-off", "2025-04-14 15:00", 0, cut, "2025-04-15 17:00"},
		// After the cut-off on Fri 24 Jan 2025 the next working day is
		// Mon 3 Feb (Tết block).
		{"0 days after the cut-off before Tết", "2025-01-24 16:00", 0, cut, "2025-02-03 17:00"},
		// Start moves to Tue 15 Apr 07:30; 8 h later is 17:00.
		{"1 day after the cut-off", "2025-04-14 16:00", 1, cut, "2025-04-15 17:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := motcua.TimeLimit{Value: tc.value, Unit: motcua.UnitWorkingDays, CutOff: tc.cutOff}
			wantTime(t, "Due", c.Due(vn(t, tc.start), l), vn(t, tc.want))
		})
	}
}

func TestDueWorkingHours(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		start string
		hours float64
		want  string
	}{
		{"2025-04-12 10:00", 8, "2025-04-14 17:00"},   // Saturday → Mon 07:30 + 8 h
		{"2025-04-06 10:00", 8, "2025-04-08 17:00"},   // Sunday; Mon 7 Apr is Giỗ Tổ
		{"2025-05-01 10:00", 2, "2025-05-05 09:30"},   // holiday, swap day, weekend
		{"2025-04-14 11:00", 1.5, "2025-04-14 14:00"}, // 0.5 h morning, 1 h afternoon
		{"2025-04-14 07:30", 4, "2025-04-14 11:30"},   // ends at the end of the morning
		{"2025-04-14 12:00", 0, "2025-04-14 13:00"},   // 0 h: the next working moment
	}
	for _, tc := range tests {
		l := motcua.TimeLimit{Value: tc.hours, Unit: motcua.UnitWorkingHours}
		wantTime(t, "Due("+tc.start+", "+l.String()+")", c.Due(vn(t, tc.start), l), vn(t, tc.want))
	}
}

func TestDueCalendarDaysAndMonths(t *testing.T) {
	c := defaultCalendar(t)
	noMoveCfg := calendar.DefaultConfig()
	noMoveCfg.MoveCalendarDeadlinesToWorkingDay = false
	years, err := calendar.BuiltinYears()
	if err != nil {
		t.Fatal(err)
	}
	noMove, err := calendar.New(noMoveCfg, years)
	if err != nil {
		t.Fatal(err)
	}
	cut := clock(t, "15:00")
	tests := []struct {
		name   string
		cal    *calendar.Calendar
		start  string
		value  float64
		unit   motcua.TimeUnit
		cutOff *motcua.ClockTime
		want   string
	}{
		// 14 Jan + 15 = 29 Jan, mùng 1 Tết → next working day Mon 3 Feb.
		{"days onto Tết", c, "2025-01-14 10:00", 15, motcua.UnitCalendarDays, nil, "2025-02-03 17:00"},
		{"days onto Tết, not moved", noMove, "2025-01-14 10:00", 15, motcua.UnitCalendarDays, nil, "2025-01-29 17:00"},
		// 16 Apr + 10 = Sat 26 Apr, a worked Saturday: due that day.
		{"days onto the worked Saturday", c, "2025-04-16 10:00", 10, motcua.UnitCalendarDays, nil, "2025-04-26 17:00"},
		{"days onto a working day", c, "2025-04-08 10:00", 7, motcua.UnitCalendarDays, nil, "2025-04-15 17:00"},
		{"0 days", c, "2025-04-14 09:00", 0, motcua.UnitCalendarDays, nil, "2025-04-14 17:00"},
		// 25 Oct + 30 = 24 Nov 2026 (day off, provisional) → Wed 25 Nov.
		{"days onto 24 Nov 2026", c, "2026-10-25 10:00", 30, motcua.UnitCalendarDays, nil, "2026-11-25 17:00"},
		// After the cut-off the start is Mon 3 Feb 07:30; + 1 day = Tue 4 Feb.
		{"days after the cut-off", c, "2025-01-24 16:00", 1, motcua.UnitCalendarDays, cut, "2025-02-04 17:00"},
		{"month clamped (common year)", c, "2025-01-31 10:00", 1, motcua.UnitMonths, nil, "2025-02-28 17:00"},
		{"month clamped (leap year)", c, "2024-01-31 10:00", 1, motcua.UnitMonths, nil, "2024-02-29 17:00"},
		{"year from 29 Feb", c, "2024-02-29 10:00", 12, motcua.UnitMonths, nil, "2025-02-28 17:00"},
		// 30 Apr 2025 holiday, 1 May holiday, 2 May swap, weekend → Mon 5 May.
		{"months onto 30 Apr", c, "2025-01-30 10:00", 3, motcua.UnitMonths, nil, "2025-05-05 17:00"},
		// 31 Jan 2026 is a Saturday → Mon 2 Feb.
		{"month across the year end", c, "2025-12-31 10:00", 1, motcua.UnitMonths, nil, "2026-02-02 17:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := motcua.TimeLimit{Value: tc.value, Unit: tc.unit, CutOff: tc.cutOff}
			wantTime(t, "Due", tc.cal.Due(vn(t, tc.start), l), vn(t, tc.want))
		})
	}
}

func TestDueInvalidLimit(t *testing.T) {
	c := defaultCalendar(t)
	for _, l := range []motcua.TimeLimit{
		{Value: 1, Unit: "weeks"},
		{Value: -1, Unit: motcua.UnitWorkingDays},
		{Value: 0.3, Unit: motcua.UnitWorkingDays},
		{Value: 1.5, Unit: motcua.UnitCalendarDays},
	} {
		if got := c.Due(vn(t, "2025-04-14 10:00"), l); !got.IsZero() {
			t.Errorf("Due with invalid %+v = %s, want the zero time", l, got)
		}
	}
}

func TestAddWorking(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		start string
		d     time.Duration
		want  string
	}{
		{"2025-04-14 07:30", 4 * time.Hour, "2025-04-14 11:30"},
		{"2025-04-14 07:30", 8 * time.Hour, "2025-04-14 17:00"},
		{"2025-04-14 11:00", time.Hour, "2025-04-14 13:30"},
		{"2025-04-14 11:30", time.Minute, "2025-04-14 13:01"},
		{"2025-04-25 16:00", 2 * time.Hour, "2025-04-26 08:30"}, // Sat 26 Apr worked
		{"2025-04-29 16:00", 2 * time.Hour, "2025-05-05 08:30"}, // 30/4, 1/5, 2/5 swap, weekend
		{"2025-05-03 10:00", 30 * time.Minute, "2025-05-05 08:00"},
		{"2026-01-08 16:00", 9 * time.Hour, "2026-01-09 17:00"},
		{"2026-01-08 16:00", 10 * time.Hour, "2026-01-10 08:30"}, // Sat 10 Jan 2026 worked
		// 40 h from Mon 9 Feb 2026 07:30: Mon 9 – Fri 13 Feb, ending at
		// 17:00 on Friday (the earliest instant, not Monday's opening).
		{"2026-02-09 07:30", 40 * time.Hour, "2026-02-13 17:00"},
		// One hour more: Sat 14 – Sun 22 Feb is Tết 2026, so Mon 23 Feb 08:30.
		{"2026-02-09 07:30", 41 * time.Hour, "2026-02-23 08:30"},
	}
	for _, tc := range tests {
		wantTime(t, "AddWorking("+tc.start+", "+tc.d.String()+")", c.AddWorking(vn(t, tc.start), tc.d), vn(t, tc.want))
	}
	start := vn(t, "2025-04-13 10:00") // a Sunday: 0 leaves t alone
	if got := c.AddWorking(start, 0); got != start {
		t.Errorf("AddWorking(t, 0) = %v, want t itself", got)
	}
}

func TestWorkingBetween(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		from, to string
		want     time.Duration
	}{
		{"2025-04-14 07:30", "2025-04-14 17:00", 8 * time.Hour},
		{"2025-04-14 11:00", "2025-04-14 13:30", time.Hour},
		{"2025-04-14 12:00", "2025-04-14 12:30", 0},
		{"2025-04-25 16:00", "2025-04-28 08:30", 10 * time.Hour}, // Fri 1 h + Sat 8 h + Mon 1 h
		{"2025-01-24 16:00", "2025-02-03 08:30", 2 * time.Hour},  // across the Tết block
		{"2025-04-14 17:00", "2025-04-14 10:00", 0},              // reversed
		{"2025-04-14 10:00", "2025-04-14 10:00", 0},
		// 2025 has 261 weekdays (52 weeks and a Wednesday), 12 of them
		// off (1 Jan, 27–31 Jan, 7 Apr, 30 Apr, 1–2 May, 1–2 Sep), and one
		// Saturday worked: 250 working days.
		{"2025-01-01 00:00", "2026-01-01 00:00", 250 * 8 * time.Hour},
	}
	for _, tc := range tests {
		if got := c.WorkingBetween(vn(t, tc.from), vn(t, tc.to)); got != tc.want {
			t.Errorf("WorkingBetween(%s, %s) = %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestNextWorkingMomentAndDayBounds(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		at                        string
		next, endOfDay, nextStart string
	}{
		{"2025-04-14 07:30", "2025-04-14 07:30", "2025-04-14 17:00", "2025-04-15 07:30"},
		{"2025-04-14 11:29", "2025-04-14 11:29", "2025-04-14 17:00", "2025-04-15 07:30"},
		{"2025-04-14 11:30", "2025-04-14 13:00", "2025-04-14 17:00", "2025-04-15 07:30"},
		{"2025-04-14 06:00", "2025-04-14 07:30", "2025-04-14 17:00", "2025-04-15 07:30"},
		{"2025-04-14 17:00", "2025-04-15 07:30", "2025-04-15 17:00", "2025-04-15 07:30"},
		{"2025-04-13 10:00", "2025-04-14 07:30", "2025-04-14 17:00", "2025-04-14 07:30"}, // Sunday
		{"2025-04-06 10:00", "2025-04-08 07:30", "2025-04-08 17:00", "2025-04-08 07:30"}, // Sun, then Giỗ Tổ
		{"2025-01-24 17:00", "2025-02-03 07:30", "2025-02-03 17:00", "2025-02-03 07:30"}, // Tết block
		{"2025-04-25 18:00", "2025-04-26 07:30", "2025-04-26 17:00", "2025-04-26 07:30"}, // worked Saturday
		{"2025-04-29 10:00", "2025-04-29 10:00", "2025-04-29 17:00", "2025-05-05 07:30"},
	}
	for _, tc := range tests {
		at := vn(t, tc.at)
		wantTime(t, "NextWorkingMoment("+tc.at+")", c.NextWorkingMoment(at), vn(t, tc.next))
		wantTime(t, "EndOfWorkingDay("+tc.at+")", c.EndOfWorkingDay(at), vn(t, tc.endOfDay))
		wantTime(t, "StartOfNextWorkingDay("+tc.at+")", c.StartOfNextWorkingDay(at), vn(t, tc.nextStart))
	}
	// Inside a period NextWorkingMoment returns t itself, location included.
	in := time.Date(2025, 4, 14, 3, 0, 0, 0, time.UTC) // 10:00 in Vietnam
	if got := c.NextWorkingMoment(in); got != in {
		t.Errorf("NextWorkingMoment(%v) = %v, want t unchanged", in, got)
	}
	if got := c.Due(in, motcua.TimeLimit{Unit: motcua.UnitWorkingHours, Value: 1}).Location(); got != calendar.Vietnam {
		t.Errorf("Due returns times in %v, want Vietnam", got)
	}
}

func TestIsWorkingDay(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		at   time.Time
		want bool
	}{
		{vn(t, "2025-04-26 10:00"), true},  // Saturday worked (swap)
		{vn(t, "2025-05-02 10:00"), false}, // Friday swapped off
		{vn(t, "2026-01-10 10:00"), true},  // Saturday worked
		{vn(t, "2026-01-02 10:00"), false}, // Friday swapped off
		{vn(t, "2026-11-24 10:00"), false}, // Ngày Văn hóa Việt Nam (provisional)
		{vn(t, "2026-02-20 10:00"), false}, // Tết
		{vn(t, "2026-02-23 10:00"), true},  // first day after Tết 2026
		{vn(t, "2026-04-27 10:00"), false}, // make-up for Giỗ Tổ on Sunday 26 Apr
		{vn(t, "2025-04-19 10:00"), false}, // ordinary Saturday
		// Vietnam time, not UTC: Sun 4 May 2025 17:30 UTC is Mon 5 May
		// 00:30 in Vietnam, a working day.
		{time.Date(2025, 5, 4, 17, 30, 0, 0, time.UTC), true},
		// Thu 1 May 16:59 UTC is 23:59 in Vietnam on the holiday.
		{time.Date(2025, 5, 1, 16, 59, 0, 0, time.UTC), false},
	}
	for _, tc := range tests {
		if got := c.IsWorkingDay(tc.at); got != tc.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tc.at.In(calendar.Vietnam), got, tc.want)
		}
	}
	if c.WorkingDayLength() != 8*time.Hour {
		t.Errorf("WorkingDayLength = %s", c.WorkingDayLength())
	}
	if c.Location() != calendar.Vietnam {
		t.Errorf("Location = %v", c.Location())
	}
	if _, off := time.Date(2025, 7, 1, 0, 0, 0, 0, calendar.Vietnam).Zone(); off != 7*3600 {
		t.Errorf("Vietnam offset = %d", off)
	}
}

func TestCustomConfig(t *testing.T) {
	cfg := calendar.Config{
		Periods: []calendar.Period{{Start: 8 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17*60 + 30}},
		Weekend: []time.Weekday{time.Sunday},
	}
	c, err := calendar.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Saturday is a working day here.
	wantTime(t, "AddWorking", c.AddWorking(vn(t, "2025-04-12 08:00"), 4*time.Hour), vn(t, "2025-04-12 12:00"))
	// 0 calendar days from Sunday 13 Apr 2025, not moved (the option is
	// off): the end of the last period of that date.
	wantTime(t, "Due", c.Due(vn(t, "2025-04-13 09:00"), motcua.TimeLimit{Unit: motcua.UnitCalendarDays}), vn(t, "2025-04-13 17:30"))
	// Giỗ Tổ 2022 (10 Apr) was a Sunday: with only Sunday off, the
	// make-up is Mon 11 Apr; 30 Apr 2022 (Saturday) is a plain holiday.
	if c.IsWorkingDay(vn(t, "2022-04-11 09:00")) || c.IsWorkingDay(vn(t, "2022-04-30 09:00")) {
		t.Error("holiday or make-up day counted as working")
	}
	if !c.IsWorkingDay(vn(t, "2022-05-03 09:00")) { // no pile-up: 1 May Sunday → Mon 2 May only
		t.Error("Tue 3 May 2022 should be a working day with Sunday-only rest")
	}
	if c.WorkingDayLength() != 8*time.Hour {
		t.Errorf("WorkingDayLength = %s", c.WorkingDayLength())
	}
}

func TestConfigValidate(t *testing.T) {
	p := func(a, b int) calendar.Period {
		return calendar.Period{Start: motcua.ClockTime(a), End: motcua.ClockTime(b)}
	}
	sat := []time.Weekday{time.Saturday}
	tests := []struct {
		name   string
		cfg    calendar.Config
		reason string
	}{
		{"default", calendar.DefaultConfig(), ""},
		{"until midnight", calendar.Config{Periods: []calendar.Period{p(0, 1440)}}, ""},
		{"no period", calendar.Config{Weekend: sat}, "calendar_periods_missing"},
		{"empty period", calendar.Config{Periods: []calendar.Period{p(600, 600)}}, "calendar_period_empty"},
		{"reversed period", calendar.Config{Periods: []calendar.Period{p(700, 600)}}, "calendar_period_empty"},
		{"past midnight", calendar.Config{Periods: []calendar.Period{p(600, 1441)}}, "calendar_period_range"},
		{"negative", calendar.Config{Periods: []calendar.Period{p(-10, 600)}}, "calendar_period_range"},
		{"overlap", calendar.Config{Periods: []calendar.Period{p(450, 700), p(690, 1020)}}, "calendar_period_order"},
		{"out of order", calendar.Config{Periods: []calendar.Period{p(780, 1020), p(450, 690)}}, "calendar_period_order"},
		{"bad weekday", calendar.Config{Periods: []calendar.Period{p(450, 690)}, Weekend: []time.Weekday{7}}, "calendar_weekend_invalid"},
		{"duplicate weekday", calendar.Config{Periods: []calendar.Period{p(450, 690)}, Weekend: []time.Weekday{0, 0}}, "calendar_weekend_duplicate"},
		{"no working day", calendar.Config{Periods: []calendar.Period{p(450, 690)}, Weekend: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}, "calendar_weekend_all"},
	}
	for _, tc := range tests {
		err := tc.cfg.Validate()
		if got := motcua.ErrorReason(err); got != tc.reason {
			t.Errorf("%s: reason %q, want %q (%v)", tc.name, got, tc.reason, err)
		}
		if err != nil && motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("%s: code %q", tc.name, motcua.ErrorCode(err))
		}
		if _, err2 := calendar.New(tc.cfg, nil); (err2 == nil) != (tc.reason == "") {
			t.Errorf("%s: New error %v", tc.name, err2)
		}
	}
}

func TestNewRejectsBadYears(t *testing.T) {
	years, err := calendar.BuiltinYears()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := calendar.New(calendar.DefaultConfig(), append(years, years[0])); motcua.ErrorReason(err) != "calendar_year_duplicate" {
		t.Errorf("duplicate year: %v", err)
	}
	bad := years[0]
	bad.Year = 1990
	if _, err := calendar.New(calendar.DefaultConfig(), []calendar.YearData{bad}); motcua.ErrorCode(err) != motcua.EINVALID {
		t.Errorf("invalid year accepted: %v", err)
	}
}

// Administrator data replace the built-in year: here 2025 without the
// 2 May swap.
func TestNewYearOverride(t *testing.T) {
	years, err := calendar.BuiltinYears()
	if err != nil {
		t.Fatal(err)
	}
	for i := range years {
		if years[i].Year == 2025 {
			years[i].Swaps = nil
		}
	}
	c, err := calendar.New(calendar.DefaultConfig(), years)
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsWorkingDay(vn(t, "2025-05-02 10:00")) || c.IsWorkingDay(vn(t, "2025-04-26 10:00")) {
		t.Error("the override of 2025 was not applied")
	}
	// The caller's slice is copied: changing it afterwards changes nothing.
	for i := range years {
		years[i].DaysOff = nil
	}
	if c.IsWorkingDay(vn(t, "2025-01-27 10:00")) {
		t.Error("New kept the caller's slices")
	}
}
