package calendar_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want calendar.Date
		ok   bool
	}{
		{"2025-01-29", calendar.Date{Year: 2025, Month: time.January, Day: 29}, true},
		{"2024-02-29", calendar.Date{Year: 2024, Month: time.February, Day: 29}, true},
		{"2025-02-29", calendar.Date{}, false}, // not a leap year
		{"2025-04-31", calendar.Date{}, false},
		{"2025-1-29", calendar.Date{}, false},
		{"29/01/2025", calendar.Date{}, false},
		{"2025-01-29T00:00:00Z", calendar.Date{}, false},
		{"", calendar.Date{}, false},
	}
	for _, tc := range tests {
		got, err := calendar.ParseDate(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
		if err != nil && motcua.ErrorCode(err) != motcua.EINVALID {
			t.Errorf("ParseDate(%q) error code %q", tc.in, motcua.ErrorCode(err))
		}
		if tc.ok && got.String() != tc.in {
			t.Errorf("String() = %q, want %q", got.String(), tc.in)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := mustDate(t, "2024-12-30")
	tests := []struct {
		n    int
		want string
	}{
		{0, "2024-12-30"}, {2, "2025-01-01"}, {61, "2025-03-01"}, {-305, "2024-02-29"}, {-366 - 365, "2022-12-30"},
	}
	for _, tc := range tests {
		if got := d.AddDays(tc.n); got.String() != tc.want {
			t.Errorf("AddDays(%d) = %s, want %s", tc.n, got, tc.want)
		}
		if got := d.DaysUntil(d.AddDays(tc.n)); got != tc.n {
			t.Errorf("DaysUntil(AddDays(%d)) = %d", tc.n, got)
		}
	}
	a, b := mustDate(t, "2025-04-26"), mustDate(t, "2025-05-02")
	if !a.Before(b) || a.After(b) || !b.After(a) || a.Before(a) || a.Compare(a) != 0 || b.Compare(a) != 1 {
		t.Error("Before/After/Compare disagree with the calendar order")
	}
	weekdays := map[string]time.Weekday{
		"2025-04-26": time.Saturday, "2025-05-02": time.Friday, "1970-01-01": time.Thursday,
		"1900-01-01": time.Monday, "2026-02-17": time.Tuesday,
	}
	for s, w := range weekdays {
		if got := mustDate(t, s).Weekday(); got != w {
			t.Errorf("%s.Weekday() = %s, want %s", s, got, w)
		}
	}
	if calendar.WeekdayName(time.Saturday) != "Thứ Bảy" || calendar.WeekdayName(time.Sunday) != "Chủ nhật" {
		t.Error("WeekdayName gives wrong Vietnamese names")
	}
	if !(calendar.Date{}).IsZero() || mustDate(t, "2025-01-01").IsZero() {
		t.Error("IsZero")
	}
	if calendar.NewDate(2025, time.April, 31) != mustDate(t, "2025-05-01") {
		t.Error("NewDate does not normalise")
	}
	if (calendar.Date{Year: 2025, Month: 2, Day: 29}).Valid() || !mustDate(t, "2024-02-29").Valid() {
		t.Error("Valid")
	}
}

func TestDateOfIsVietnamTime(t *testing.T) {
	tests := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 1, 28, 16, 59, 59, 0, time.UTC), "2025-01-28"},
		{time.Date(2025, 1, 28, 17, 0, 0, 0, time.UTC), "2025-01-29"},
		{time.Date(2025, 1, 29, 0, 30, 0, 0, time.FixedZone("UTC+8", 8*3600)), "2025-01-28"},
		{time.Date(1969, 12, 31, 17, 0, 0, 0, time.UTC), "1970-01-01"},
		{time.Date(1969, 12, 31, 16, 59, 0, 0, time.UTC), "1969-12-31"},
	}
	for _, tc := range tests {
		if got := calendar.DateOf(tc.at); got.String() != tc.want {
			t.Errorf("DateOf(%v) = %s, want %s", tc.at, got, tc.want)
		}
	}
	d := mustDate(t, "2025-01-29")
	if got := d.Time(); !got.Equal(time.Date(2025, 1, 28, 17, 0, 0, 0, time.UTC)) || got.Location() != calendar.Vietnam {
		t.Errorf("Time() = %v", got)
	}
}

func TestDateJSON(t *testing.T) {
	type wrap struct {
		D calendar.Date  `json:"d"`
		P *calendar.Date `json:"p,omitempty"`
	}
	b, err := json.Marshal(wrap{D: mustDate(t, "2025-09-02")})
	if err != nil || string(b) != `{"d":"2025-09-02"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var w wrap
	if err := json.Unmarshal([]byte(`{"d":"2026-11-24","p":"2027-02-06"}`), &w); err != nil {
		t.Fatal(err)
	}
	if w.D != mustDate(t, "2026-11-24") || w.P == nil || *w.P != mustDate(t, "2027-02-06") {
		t.Errorf("Unmarshal = %+v", w)
	}
	for _, bad := range []string{`{"d":"2025-02-30"}`, `{"d":20250101}`, `{"d":"hôm nay"}`} {
		if err := json.Unmarshal([]byte(bad), &w); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
	// DayOff has a named Date field, so it marshals as an object.
	b, err = json.Marshal(calendar.DayOff{Date: mustDate(t, "2025-04-30"), Name: "Ngày Chiến thắng", Kind: calendar.KindHoliday})
	if err != nil || string(b) != `{"date":"2025-04-30","name":"Ngày Chiến thắng","kind":"holiday"}` {
		t.Errorf("DayOff JSON = %s, %v", b, err)
	}
}
