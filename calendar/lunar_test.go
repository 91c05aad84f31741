package calendar_test

import (
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

func mustDate(t testing.TB, s string) calendar.Date {
	t.Helper()
	d, err := calendar.ParseDate(s)
	if err != nil {
		t.Fatalf("ParseDate(%q): %v", s, err)
	}
	return d
}

// Vietnamese dates of Tết and Giỗ Tổ Hùng Vương from the tables of
// docs/stack.md §8 and docs/domain-vn.md §2.3.
var vietnamLunarTable = []struct {
	year      int
	tet, hung string
}{
	{1985, "1985-01-21", ""},
	{2007, "2007-02-17", ""},
	{2009, "", "2009-04-04"},
	{2020, "2020-01-25", "2020-04-02"},
	{2021, "2021-02-12", "2021-04-21"},
	{2022, "2022-02-01", "2022-04-10"},
	{2023, "2023-01-22", "2023-04-29"},
	{2024, "2024-02-10", "2024-04-18"},
	{2025, "2025-01-29", "2025-04-07"},
	{2026, "2026-02-17", "2026-04-26"},
	{2027, "2027-02-06", "2027-04-16"},
	{2028, "2028-01-26", "2028-04-04"},
	{2029, "2029-02-13", "2029-04-23"},
	{2030, "2030-02-02", "2030-04-12"},
	{2037, "", "2037-04-24"},
	{2038, "", "2038-04-13"},
	{2053, "2053-02-18", ""},
}

func TestTetAndHungKingsVietnam(t *testing.T) {
	for _, tc := range vietnamLunarTable {
		if tc.tet != "" {
			if got := calendar.Tet(tc.year); got != mustDate(t, tc.tet) {
				t.Errorf("Tet(%d) = %s, want %s", tc.year, got, tc.tet)
			}
		}
		if tc.hung != "" {
			if got := calendar.HungKings(tc.year); got != mustDate(t, tc.hung) {
				t.Errorf("HungKings(%d) = %s, want %s", tc.year, got, tc.hung)
			}
		}
	}
}

// At UTC+8 the same method gives the Chinese dates of docs/stack.md §8.
func TestLunarChinaTimeZone(t *testing.T) {
	tests := []struct {
		lunar calendar.LunarDate
		want  string
	}{
		{calendar.LunarDate{Year: 1985, Month: 1, Day: 1}, "1985-02-20"},
		{calendar.LunarDate{Year: 2007, Month: 1, Day: 1}, "2007-02-18"},
		{calendar.LunarDate{Year: 2009, Month: 3, Day: 10}, "2009-04-05"},
		{calendar.LunarDate{Year: 2030, Month: 1, Day: 1}, "2030-02-03"},
		{calendar.LunarDate{Year: 2037, Month: 3, Day: 10}, "2037-04-25"},
		{calendar.LunarDate{Year: 2038, Month: 3, Day: 10}, "2038-04-14"},
		{calendar.LunarDate{Year: 2053, Month: 1, Day: 1}, "2053-02-19"},
		{calendar.LunarDate{Year: 2025, Month: 1, Day: 1}, "2025-01-29"},
	}
	for _, tc := range tests {
		got, err := calendar.LunarToSolar(tc.lunar, 8)
		if err != nil {
			t.Errorf("LunarToSolar(%v, 8): %v", tc.lunar, err)
			continue
		}
		if got != mustDate(t, tc.want) {
			t.Errorf("LunarToSolar(%v, 8) = %s, want %s", tc.lunar, got, tc.want)
		}
	}
}

func TestLeapMonths(t *testing.T) {
	tests := []struct {
		date string // first day of a leap month
		want calendar.LunarDate
	}{
		{"2020-05-23", calendar.LunarDate{Year: 2020, Month: 4, Day: 1, Leap: true}},
		{"2023-03-22", calendar.LunarDate{Year: 2023, Month: 2, Day: 1, Leap: true}},
		{"2025-07-25", calendar.LunarDate{Year: 2025, Month: 6, Day: 1, Leap: true}},
		{"2033-12-22", calendar.LunarDate{Year: 2033, Month: 11, Day: 1, Leap: true}},
		{"2025-08-23", calendar.LunarDate{Year: 2025, Month: 7, Day: 1}},
		{"2025-01-28", calendar.LunarDate{Year: 2024, Month: 12, Day: 29}}, // New Year's Eve 2025
	}
	for _, tc := range tests {
		d := mustDate(t, tc.date)
		if got := calendar.SolarToLunar(d, calendar.VietnamTZ); got != tc.want {
			t.Errorf("SolarToLunar(%s) = %v, want %v", tc.date, got, tc.want)
		}
		if got, err := calendar.LunarToSolar(tc.want, calendar.VietnamTZ); err != nil || got != d {
			t.Errorf("LunarToSolar(%v) = %s, %v; want %s", tc.want, got, err, tc.date)
		}
	}
	if s := (calendar.LunarDate{Year: 2025, Month: 6, Day: 15, Leap: true}).String(); s != "15/6 nhuận/2025" {
		t.Errorf("String = %q", s)
	}
}

func TestLunarToSolarRejects(t *testing.T) {
	for _, l := range []calendar.LunarDate{
		{Year: 2025, Month: 0, Day: 1},
		{Year: 2025, Month: 13, Day: 1},
		{Year: 2025, Month: 1, Day: 0},
		{Year: 2025, Month: 1, Day: 31},
		{Year: 2025, Month: 5, Day: 1, Leap: true},  // 2025's leap month is 6
		{Year: 2024, Month: 6, Day: 1, Leap: true},  // 2024 has no leap month
		{Year: 2023, Month: 2, Day: 30, Leap: true}, // leap 2/2023 has 29 days (22 Mar–19 Apr)
	} {
		d, err := calendar.LunarToSolar(l, calendar.VietnamTZ)
		if motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("LunarToSolar(%+v) = %s, %v; want an EINVALID error", l, d, err)
		}
	}
}

// Every day from 1900 to 2100 converts to a lunar date and back, and the
// lunar dates run on without gaps: each day is the next lunar day or the
// first day of the next month, months have 29 or 30 days, and the lunar
// year changes exactly on Tết.
func TestLunarRoundTrip(t *testing.T) {
	from, to := mustDate(t, "1900-01-01"), mustDate(t, "2100-12-31")
	if testing.Short() {
		from, to = mustDate(t, "2015-01-01"), mustDate(t, "2035-12-31")
	}
	prev := calendar.SolarToLunar(from.AddDays(-1), calendar.VietnamTZ)
	monthLen := -1 // days seen after day 1 of the current month; -1 before the first month start
	for d := from; !d.After(to); d = d.AddDays(1) {
		l := calendar.SolarToLunar(d, calendar.VietnamTZ)
		back, err := calendar.LunarToSolar(l, calendar.VietnamTZ)
		if err != nil || back != d {
			t.Fatalf("%s → %v → %s, %v", d, l, back, err)
		}
		switch {
		case l.Day == prev.Day+1 && l.Month == prev.Month && l.Leap == prev.Leap && l.Year == prev.Year:
			if monthLen >= 0 {
				monthLen++
			}
		case l.Day == 1:
			if monthLen >= 0 && monthLen != 28 && monthLen != 29 {
				t.Fatalf("lunar month before %s has %d days", d, monthLen+1)
			}
			monthLen = 0
			wantMonth, wantYear := prev.Month+1, prev.Year
			if l.Leap {
				wantMonth = prev.Month
			}
			if wantMonth == 13 {
				wantMonth, wantYear = 1, prev.Year+1
			}
			if l.Month != wantMonth || l.Year != wantYear || (l.Leap && prev.Leap) {
				t.Fatalf("%s: %v follows %v", d, l, prev)
			}
			if l.Month == 1 && !l.Leap && d != calendar.Tet(l.Year) && d.Year >= 1900 {
				t.Fatalf("%s starts lunar year %d but Tet(%d) = %s", d, l.Year, l.Year, calendar.Tet(l.Year))
			}
		default:
			t.Fatalf("%s: %v follows %v", d, l, prev)
		}
		prev = l
	}
}

// docs/stack.md §8: in 2085, 2086 and 2095 Giỗ Tổ falls one day earlier in
// Vietnam than 10/3 in China, while Tết is the same day.
func TestHungKingsEarlierInVietnam(t *testing.T) {
	for _, year := range []int{2085, 2086, 2095} {
		cn, err := calendar.LunarToSolar(calendar.LunarDate{Year: year, Month: 3, Day: 10}, 8)
		if err != nil {
			t.Fatal(err)
		}
		if vnDate := calendar.HungKings(year); vnDate.AddDays(1) != cn {
			t.Errorf("%d: Giỗ Tổ %s in Vietnam, 10/3 %s in China; want one day earlier", year, vnDate, cn)
		}
		cnTet, _ := calendar.LunarToSolar(calendar.LunarDate{Year: year, Month: 1, Day: 1}, 8)
		if calendar.Tet(year) != cnTet {
			t.Errorf("%d: Tết %s in Vietnam, %s in China; want the same day", year, calendar.Tet(year), cnTet)
		}
	}
}
