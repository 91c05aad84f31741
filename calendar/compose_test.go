package calendar_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/calendar"
)

func defaultCalendar(t testing.TB) *calendar.Calendar {
	t.Helper()
	c, err := calendar.Default()
	if err != nil {
		t.Fatalf("calendar.Default: %v", err)
	}
	return c
}

// weekdayOffAndWorked returns, for one composed year, the weekdays
// (Monday–Friday) that are off and the weekend days that are worked.
func weekdayOffAndWorked(y calendar.YearCalendar) (off, worked []string) {
	for _, d := range y.DaysOff {
		if w := d.Date.Weekday(); w != time.Saturday && w != time.Sunday {
			off = append(off, d.Date.String())
		}
	}
	for _, d := range y.WorkedDays {
		worked = append(worked, d.Date.String())
	}
	slices.Sort(off)
	slices.Sort(worked)
	return off, worked
}

// sharedHolidays is the part of testdata/holidays-vn.json (the project's
// public-holiday table, compiled with its sources in the shared folder
// and copied here) the cross-check reads.
type sharedHolidays struct {
	LunarReference struct {
		Tet       map[string]string `json:"tet_nguyen_dan"`
		HungKings map[string]string `json:"gio_to_hung_vuong"`
	} `json:"lunar_reference"`
	Years []struct {
		Year    int `json:"year"`
		DaysOff []struct {
			Date      string `json:"date"`
			OnWeekend bool   `json:"on_weekend"`
		} `json:"days_off"`
		WeekendDaysWorked []struct {
			Date string `json:"date"`
		} `json:"weekend_days_worked"`
	} `json:"years"`
}

func readShared(t *testing.T) sharedHolidays {
	t.Helper()
	b, err := os.ReadFile("testdata/holidays-vn.json")
	if err != nil {
		t.Fatal(err)
	}
	var s sharedHolidays
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("holidays-vn.json: %v", err)
	}
	return s
}

// The composition (law + embedded notices) must give exactly the weekday
// days off and worked weekend days that the shared research file lists.
func TestComposeMatchesSharedHolidays(t *testing.T) {
	shared := readShared(t)
	c := defaultCalendar(t)
	checked := 0
	for _, y := range shared.Years {
		if y.Year < 2021 || y.Year > 2026 {
			continue
		}
		checked++
		var wantOff, wantWorked []string
		for _, d := range y.DaysOff {
			if !d.OnWeekend {
				wantOff = append(wantOff, d.Date)
			}
		}
		for _, d := range y.WeekendDaysWorked {
			wantWorked = append(wantWorked, d.Date)
		}
		slices.Sort(wantOff)
		slices.Sort(wantWorked)
		gotOff, gotWorked := weekdayOffAndWorked(c.Year(y.Year))
		if !slices.Equal(gotOff, wantOff) {
			t.Errorf("%d weekday days off:\n got %v\nwant %v", y.Year, gotOff, wantOff)
		}
		if !slices.Equal(gotWorked, wantWorked) {
			t.Errorf("%d worked weekend days:\n got %v\nwant %v", y.Year, gotWorked, wantWorked)
		}
	}
	if checked != 6 {
		t.Errorf("cross-checked %d years, want 6 (2021–2026)", checked)
	}
}

func TestLunarReferenceOfSharedHolidays(t *testing.T) {
	shared := readShared(t)
	if len(shared.LunarReference.Tet) == 0 || len(shared.LunarReference.HungKings) == 0 {
		t.Fatal("lunar_reference block is empty")
	}
	for _, table := range []struct {
		name string
		m    map[string]string
		f    func(int) calendar.Date
	}{
		{"Tet", shared.LunarReference.Tet, calendar.Tet},
		{"HungKings", shared.LunarReference.HungKings, calendar.HungKings},
	} {
		for ys, want := range table.m {
			y, err := time.Parse("2006", ys)
			if err != nil {
				t.Fatalf("year %q: %v", ys, err)
			}
			if got := table.f(y.Year()); got.String() != want {
				t.Errorf("%s(%s) = %s, want %s", table.name, ys, got, want)
			}
		}
	}
}

// Hand-checked years, independent of the shared file.
func TestComposeYears(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		year       int
		off        []string // every weekday off
		worked     []string
		provisonal bool
	}{
		// domain-vn.md §2.2: weekday holidays 1 Jan, 27–31 Jan, 7 Apr,
		// 30 Apr, 1–2 May, 1–2 Sep; Saturday 26 Apr worked.
		{2025, []string{"2025-01-01", "2025-01-27", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31",
			"2025-04-07", "2025-04-30", "2025-05-01", "2025-05-02", "2025-09-01", "2025-09-02"},
			[]string{"2025-04-26"}, false},
		// 1 Jan Sat → Mon 3 Jan; Giỗ Tổ Sun 10 Apr → Mon 11 Apr;
		// 30 Apr Sat + 1 May Sun → Mon 2 May, Tue 3 May.
		{2022, []string{"2022-01-03", "2022-01-31", "2022-02-01", "2022-02-02", "2022-02-03", "2022-02-04",
			"2022-04-11", "2022-05-02", "2022-05-03", "2022-09-01", "2022-09-02"}, nil, false},
		// 1 Jan Sun → Mon 2 Jan; Tết 20–24 Jan with Sat 21, Sun 22 made
		// up Wed 25, Thu 26; 29 Apr Sat, 30 Apr Sun, 1 May Mon → Tue 2,
		// Wed 3 May; 2 Sep Sat → Mon 4 Sep (Fri 1 Sep is the adjacent day).
		{2023, []string{"2023-01-02", "2023-01-20", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
			"2023-05-01", "2023-05-02", "2023-05-03", "2023-09-01", "2023-09-04"}, nil, false},
		// 2027 has no notice: law (1 May Sat → Mon 3 May) + proposals: Tết
		// 6 Feb is a Saturday, so the block is Fri 5 (eve), Sat 6, Sun 7,
		// Mon 8, Tue 9 with Sat/Sun made up Wed 10, Thu 11; 2 Sep Thu →
		// Fri 3 Sep; 24 Nov Wed from the data (provisional).
		{2027, []string{"2027-01-01", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
			"2027-04-16", "2027-04-30", "2027-05-03", "2027-09-02", "2027-09-03", "2027-11-24"}, nil, true},
		// 2028, no data at all: 1 Jan Sat → Mon 3 Jan; Tết Wed 26 Jan → eve Tue 25, mùng 1–4 Wed
		// 26–Sat 29, Sat made up Mon 31 (the 25–31 Jan block of
		// domain-vn.md); Giỗ Tổ Tue 4 Apr; 30 Apr Sun → Tue 2 May (1 May
		// Mon is a holiday); 2 Sep Sat → adjacent Fri 1 Sep, made up Mon 4
		// Sep; 24 Nov Fri repeated from 2027's recurring day.
		{2028, []string{"2028-01-03", "2028-01-25", "2028-01-26", "2028-01-27", "2028-01-28", "2028-01-31",
			"2028-04-04", "2028-05-01", "2028-05-02", "2028-09-01", "2028-09-04", "2028-11-24"}, nil, true},
	}
	for _, tc := range tests {
		y := c.Year(tc.year)
		off, worked := weekdayOffAndWorked(y)
		if !slices.Equal(off, tc.off) {
			t.Errorf("%d weekday days off:\n got %v\nwant %v", tc.year, off, tc.off)
		}
		if !slices.Equal(worked, tc.worked) {
			t.Errorf("%d worked days: got %v, want %v", tc.year, worked, tc.worked)
		}
		if y.Provisional != tc.provisonal {
			t.Errorf("%d provisional = %v, want %v", tc.year, y.Provisional, tc.provisonal)
		}
	}
}

func TestYearCalendarDetails(t *testing.T) {
	c := defaultCalendar(t)
	tests := []struct {
		date        string
		kind        string
		provisional bool
		source      string // substring
	}{
		{"2025-04-07", calendar.KindHoliday, false, "Điều 112"},
		{"2025-05-02", calendar.KindSwapOff, false, "6150/TB-BLĐTBXH"},
		{"2025-09-01", calendar.KindNationalDayAdjacent, false, "6150/TB-BLĐTBXH"},
		{"2022-05-02", calendar.KindMakeup, false, "Điều 111"},
		{"2023-09-04", calendar.KindMakeup, false, "5034/TB-LĐTBXH"},
		{"2021-02-15", calendar.KindMakeup, false, "4875/TB-LĐTBXH"},
		{"2026-04-27", calendar.KindMakeup, false, "Điều 111"},
		{"2026-11-24", calendar.KindExtra, true, "Nghị quyết 28/2026/QH16"},
		{"2027-02-05", calendar.KindTet, true, "Đề xuất"},
		{"2027-02-10", calendar.KindMakeup, true, "Điều 111"},
		{"2027-09-03", calendar.KindNationalDayAdjacent, true, "Đề xuất"},
		{"2030-11-24", calendar.KindExtra, true, "Nghị quyết 28/2026/QH16"},
		{"2023-04-29", calendar.KindHoliday, false, "Điều 112"}, // on a Saturday, still listed
	}
	for _, tc := range tests {
		d := mustDate(t, tc.date)
		o, ok := c.Year(d.Year).Off(d)
		if !ok {
			t.Errorf("%s is not listed as a day off", tc.date)
			continue
		}
		if o.Kind != tc.kind || o.Provisional != tc.provisional || !strings.Contains(o.Source, tc.source) {
			t.Errorf("%s = %+v, want kind %s, provisional %v, source containing %q", tc.date, o, tc.kind, tc.provisional, tc.source)
		}
		if o.Name == "" {
			t.Errorf("%s has no name", tc.date)
		}
	}
	// No Art.111(3) make-up for 24 Nov, which is not an Art.112(1) day:
	// 24 Nov 2029 is a Saturday and Monday 26 Nov stays a working day.
	if o, ok := c.Year(2029).Off(mustDate(t, "2029-11-26")); ok {
		t.Errorf("2029-11-26 is off (%+v); 24 Nov gets no make-up day", o)
	}
	y := c.Year(2025)
	if w, ok := y.Worked(mustDate(t, "2025-04-26")); !ok || !strings.Contains(w.Source, "6150") {
		t.Errorf("2025-04-26 worked = %+v, %v", w, ok)
	}
	if len(y.Notices) != 1 || y.Notices[0].Number != "6150/TB-BLĐTBXH" {
		t.Errorf("2025 notices = %+v", y.Notices)
	}
	if len(c.Year(2030).Proposals) == 0 {
		t.Error("2030 has no explanation of its proposals")
	}
	// Year returns a copy: changing it must not change the calendar.
	y.DaysOff[0].Name = "changed"
	if c.Year(2025).DaysOff[0].Name == "changed" {
		t.Error("Year exposes the calendar's own slices")
	}
}

// The second National Day day proposed for each weekday of 2 September.
func TestProposedNationalDayAdjacent(t *testing.T) {
	c, err := calendar.New(calendar.DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[time.Weekday]int{ // weekday of 2 Sep → day of September proposed
		time.Monday: 3, time.Tuesday: 1, time.Wednesday: 1, time.Thursday: 3,
		time.Friday: 1, time.Saturday: 1, time.Sunday: 3,
	}
	seen := map[time.Weekday]bool{}
	for year := 2028; len(seen) < 7; year++ {
		w := calendar.Date{Year: year, Month: time.September, Day: 2}.Weekday()
		if seen[w] {
			continue
		}
		seen[w] = true
		var got []int
		for _, d := range c.Year(year).DaysOff {
			if d.Kind == calendar.KindNationalDayAdjacent {
				got = append(got, d.Date.Day)
			}
		}
		if len(got) != 1 || got[0] != want[w] {
			t.Errorf("%d (2 Sep is %s): adjacent day %v, want [%d]", year, w, got, want[w])
		}
	}
}

// Every year 2021–2100 composes to five Tết days and, from the data or a
// proposal, one second National Day day.
func TestComposeEveryYear(t *testing.T) {
	c := defaultCalendar(t)
	for year := 2021; year <= 2100; year++ {
		y := c.Year(year)
		var tet, adj int
		for i, d := range y.DaysOff {
			if d.Date.Year != year {
				t.Errorf("%d lists %s", year, d.Date)
			}
			if i > 0 && !y.DaysOff[i-1].Date.Before(d.Date) {
				t.Errorf("%d days off not in strict date order at %s", year, d.Date)
			}
			switch d.Kind {
			case calendar.KindTet:
				tet++
			case calendar.KindNationalDayAdjacent:
				adj++
			}
		}
		if tet != 5 || adj != 1 {
			t.Errorf("%d: %d Tết days and %d second National Day days", year, tet, adj)
		}
	}
}
