package calendar_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// builtinYear returns a deep copy of one embedded year.
func builtinYear(t testing.TB, year int) calendar.YearData {
	t.Helper()
	years, err := calendar.BuiltinYears()
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range years {
		if y.Year == year {
			b, err := json.Marshal(y)
			if err != nil {
				t.Fatal(err)
			}
			var c calendar.YearData
			if err := json.Unmarshal(b, &c); err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	t.Fatalf("no built-in year %d", year)
	return calendar.YearData{}
}

func datePtr(t testing.TB, s string) *calendar.Date {
	d := mustDate(t, s)
	return &d
}

func TestBuiltinYears(t *testing.T) {
	years, err := calendar.BuiltinYears()
	if err != nil {
		t.Fatal(err)
	}
	var got []int
	for _, y := range years {
		got = append(got, y.Year)
		if err := y.Validate(); err != nil {
			t.Errorf("%d: %v", y.Year, err)
		}
		if y.Provisional != (y.Year == 2027) {
			t.Errorf("%d provisional = %v", y.Year, y.Provisional)
		}
		if len(y.Sources) == 0 {
			t.Errorf("%d has no sources", y.Year)
		}
	}
	if !reflect.DeepEqual(got, []int{2021, 2022, 2023, 2024, 2025, 2026, 2027}) {
		t.Errorf("built-in years %v", got)
	}
	// The unconfirmed 24 Nov is marked provisional with its basis.
	for _, y := range years {
		for _, d := range y.DaysOff {
			if d.Kind == calendar.KindExtra && (!d.Provisional || d.LegalBasis == "" || d.Confidence == "" || len(d.Sources) == 0) {
				t.Errorf("%s: extra day without provisional flag or sources: %+v", d.Date, d)
			}
		}
	}
}

func TestValidateYearData(t *testing.T) {
	tests := []struct {
		name   string
		year   int
		mutate func(*calendar.YearData)
		reason string
		field  string
	}{
		{"valid 2025", 2025, func(*calendar.YearData) {}, "", ""},
		{"valid 2021 with weekend Tết days and make-ups", 2021, func(*calendar.YearData) {}, "", ""},
		{"year before Labour Code 2019", 2025, func(y *calendar.YearData) { y.Year = 2020 }, "year_data_year_range", "year"},
		{"date outside the year", 2025, func(y *calendar.YearData) {
			y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: mustDate(t, "2026-11-24"), Kind: calendar.KindExtra, Name: "Ngày Văn hóa Việt Nam", Sources: []string{"x"}})
		}, "year_data_date_outside_year", "days_off[6].date"},
		{"missing date", 2025, func(y *calendar.YearData) { y.DaysOff[0].Date = calendar.Date{} }, "year_data_date_missing", "days_off[0].date"},
		{"swap worked on a Friday", 2025, func(y *calendar.YearData) { y.Swaps[0].Worked = mustDate(t, "2025-04-25") }, "year_data_swap_worked_weekday", "swaps[0].worked"},
		{"swap off on a Saturday", 2025, func(y *calendar.YearData) { y.Swaps[0].Off = mustDate(t, "2025-05-03") }, "year_data_swap_off_weekend", "swaps[0].off"},
		{"swap worked on a Tết Saturday", 2021, func(y *calendar.YearData) {
			y.Notices = append(y.Notices, calendar.Notice{Number: "1/TB"})
			y.Swaps = []calendar.Swap{{Off: mustDate(t, "2021-02-17"), Worked: mustDate(t, "2021-02-13"), Name: "Hoán đổi", Notice: "1/TB"}}
		}, "year_data_worked_day_off", "swaps[0].worked"},
		{"swap without basis", 2025, func(y *calendar.YearData) { y.Swaps[0].Notice = "" }, "year_data_swap_source", "swaps[0].notice"},
		{"same day twice", 2025, func(y *calendar.YearData) { y.DaysOff[1].Date = y.DaysOff[0].Date }, "year_data_duplicate_date", "days_off[1].date"},
		{"swap off on a Tết day", 2025, func(y *calendar.YearData) { y.Swaps[0].Off = mustDate(t, "2025-01-28") }, "year_data_duplicate_date", "swaps[0].off"},
		{"statutory date declared", 2025, func(y *calendar.YearData) {
			y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: mustDate(t, "2025-04-30"), Kind: calendar.KindExtra, Name: "30/4", Sources: []string{"x"}})
		}, "year_data_statutory_date", "days_off[6].date"},
		{"unknown kind", 2025, func(y *calendar.YearData) { y.DaysOff[5].Kind = "bridge" }, "year_data_kind_unknown", "days_off[5].kind"},
		{"holiday kind", 2025, func(y *calendar.YearData) { y.DaysOff[5].Kind = calendar.KindHoliday }, "year_data_kind_statutory", "days_off[5].kind"},
		{"four Tết days", 2025, func(y *calendar.YearData) { y.DaysOff = y.DaysOff[1:] }, "year_data_tet_count", "days_off"},
		{"Tết day far from Tết", 2025, func(y *calendar.YearData) { y.DaysOff[0].Date = mustDate(t, "2025-03-03") }, "year_data_tet_far", "days_off[0].date"},
		{"adjacent day on 4 Sep", 2025, func(y *calendar.YearData) { y.DaysOff[5].Date = mustDate(t, "2025-09-04") }, "year_data_national_day_adjacent", "days_off[5].date"},
		{"two adjacent days", 2025, func(y *calendar.YearData) {
			y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: mustDate(t, "2025-09-03"), Kind: calendar.KindNationalDayAdjacent, Name: "Quốc khánh"})
		}, "year_data_national_day_adjacent_count", "days_off"},
		{"make-up for a weekday holiday", 2025, func(y *calendar.YearData) {
			y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: mustDate(t, "2025-04-08"), Kind: calendar.KindMakeup, Name: "Nghỉ bù", ForDate: datePtr(t, "2025-04-07")})
		}, "year_data_makeup_not_rest", "days_off[6].for_date"},
		{"make-up for an ordinary Saturday", 2025, func(y *calendar.YearData) {
			y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: mustDate(t, "2025-03-10"), Kind: calendar.KindMakeup, Name: "Nghỉ bù", ForDate: datePtr(t, "2025-03-08")})
		}, "year_data_makeup_not_holiday", "days_off[6].for_date"},
		{"make-up without its holiday", 2021, func(y *calendar.YearData) { y.DaysOff[5].ForDate = nil }, "year_data_makeup_for", "days_off[5].for_date"},
		{"make-up on a Saturday", 2021, func(y *calendar.YearData) {
			y.DaysOff[6].Date = mustDate(t, "2021-02-20")
		}, "year_data_makeup_weekend", "days_off[6].date"},
		{"make-up before its holiday", 2021, func(y *calendar.YearData) { y.DaysOff[5].Date = mustDate(t, "2021-02-09") }, "year_data_makeup_order", "days_off[5].date"},
		{"two make-ups for one day", 2021, func(y *calendar.YearData) { y.DaysOff[6].ForDate = datePtr(t, "2021-02-13") }, "year_data_makeup_twice", "days_off[6].for_date"},
		{"for_date on a Tết day", 2025, func(y *calendar.YearData) { y.DaysOff[0].ForDate = datePtr(t, "2025-01-26") }, "year_data_for_date_kind", "days_off[0].for_date"},
		{"unknown notice", 2025, func(y *calendar.YearData) { y.DaysOff[0].Notice = "1/TB-XYZ" }, "year_data_notice_unknown", "days_off[0].notice"},
		{"notice twice", 2025, func(y *calendar.YearData) { y.Notices = append(y.Notices, y.Notices[0]) }, "year_data_notice_duplicate", "notices[1].number"},
		{"notice without number", 2025, func(y *calendar.YearData) {
			y.Notices = append(y.Notices, calendar.Notice{Issuer: "Bộ Nội vụ"})
		}, "year_data_text_missing", "notices[1].number"},
		{"notice dated after the year", 2025, func(y *calendar.YearData) { y.Notices[0].Date = datePtr(t, "2026-01-05") }, "year_data_notice_date", "notices[0].date"},
		{"confirmed year without notice", 2026, func(y *calendar.YearData) {
			y.Notices = nil
			for i := range y.DaysOff {
				y.DaysOff[i].Notice = ""
			}
			for i := range y.Swaps {
				y.Swaps[i].Notice = ""
				y.Swaps[i].Sources = []string{"báo chí"}
			}
		}, "year_data_notice_missing", "notices"},
		{"confirmed year without Tết", 2025, func(y *calendar.YearData) { y.DaysOff = y.DaysOff[5:] }, "year_data_tet_missing", "days_off"},
		{"confirmed year without second National Day day", 2025, func(y *calendar.YearData) {
			y.DaysOff = y.DaysOff[:5]
		}, "year_data_national_day_adjacent_missing", "days_off"},
		{"provisional year may lack them", 2025, func(y *calendar.YearData) {
			y.Provisional = true
			y.DaysOff = nil
		}, "", ""},
		{"extra day without source", 2026, func(y *calendar.YearData) {
			y.DaysOff[6].LegalBasis, y.DaysOff[6].Sources = "", nil
		}, "year_data_extra_source", "days_off[6].sources"},
		{"recurring Tết day", 2025, func(y *calendar.YearData) { y.DaysOff[0].Recurring = true }, "year_data_recurring_kind", "days_off[0].recurring"},
		{"empty name", 2025, func(y *calendar.YearData) { y.DaysOff[2].Name = "  " }, "year_data_text_missing", "days_off[2].name"},
		{"invalid UTF-8", 2025, func(y *calendar.YearData) { y.DaysOff[2].Name = "T\xffết" }, "year_data_text_encoding", "days_off[2].name"},
		{"control character", 2025, func(y *calendar.YearData) { y.Note = "a\x00b" }, "year_data_text_control", "note"},
		{"period ending before it starts", 2025, func(y *calendar.YearData) {
			y.HolidayPeriods[0].From, y.HolidayPeriods[0].To = y.HolidayPeriods[0].To, y.HolidayPeriods[0].From
		}, "year_data_period_order", "holiday_periods[0].to"},
		{"period too long", 2025, func(y *calendar.YearData) { y.HolidayPeriods[0].To = mustDate(t, "2025-03-31") }, "year_data_period_length", "holiday_periods[0].to"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			y := builtinYear(t, tc.year)
			tc.mutate(&y)
			err := y.Validate()
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var e *motcua.Error
			if !asError(err, &e) {
				t.Fatalf("Validate = %v, want a *motcua.Error", err)
			}
			if e.Code != motcua.EINVALID || e.Reason != tc.reason {
				t.Errorf("code %q reason %q, want invalid/%q (%s)", e.Code, e.Reason, tc.reason, e.Message)
			}
			if _, ok := e.Fields[tc.field]; !ok {
				t.Errorf("no message for field %q in %v", tc.field, e.Fields)
			}
			if !strings.HasPrefix(e.Message, "Dữ liệu ngày nghỉ năm") {
				t.Errorf("message %q", e.Message)
			}
		})
	}
}

func asError(err error, target **motcua.Error) bool {
	e, ok := err.(*motcua.Error)
	*target = e
	return ok
}

func TestValidateReportsEveryProblem(t *testing.T) {
	y := builtinYear(t, 2025)
	y.DaysOff[0].Kind = "bridge"
	y.Swaps[0].Worked = mustDate(t, "2025-04-25")
	err := y.Validate()
	var e *motcua.Error
	if !asError(err, &e) || len(e.Fields) < 2 || !strings.Contains(e.Message, "lỗi khác") {
		t.Fatalf("Validate = %#v", err)
	}
}

func TestParseYearData(t *testing.T) {
	valid, err := json.Marshal(builtinYear(t, 2025))
	if err != nil {
		t.Fatal(err)
	}
	y, err := calendar.ParseYearData(valid)
	if err != nil || y.Year != 2025 || len(y.Swaps) != 1 || y.Swaps[0].Worked.Weekday() != time.Saturday {
		t.Fatalf("ParseYearData(2025) = %+v, %v", y, err)
	}
	if !reflect.DeepEqual(y, builtinYear(t, 2025)) {
		t.Error("ParseYearData(Marshal(y)) differs from y")
	}
	tests := []struct {
		name, in, reason string
	}{
		{"empty", ``, "year_data_syntax"},
		{"syntax", `{"year": 2025,`, "year_data_syntax"},
		{"not an object", `[1,2]`, "year_data_type"},
		{"unknown field", `{"year": 2027, "provisional": true, "holidays": []}`, "year_data_unknown_field"},
		{"impossible date", `{"year": 2027, "provisional": true, "days_off": [{"date": "2027-02-30", "kind": "extra", "name": "x", "sources": ["y"]}]}`, "date_invalid"},
		{"wrong type", `{"year": "2027"}`, "year_data_type"},
		{"trailing data", `{"year": 2027, "provisional": true} {}`, "year_data_trailing"},
		{"invalid content", `{"year": 2027, "provisional": true, "days_off": [{"date": "2027-06-05", "kind": "weekend", "name": "x"}]}`, "year_data_kind_unknown"},
		{"minimal provisional year", `{"year": 2027, "provisional": true}`, ""},
	}
	for _, tc := range tests {
		_, err := calendar.ParseYearData([]byte(tc.in))
		if got := motcua.ErrorReason(err); got != tc.reason {
			t.Errorf("%s: reason %q, want %q (%v)", tc.name, got, tc.reason, err)
		}
		if err != nil && (motcua.ErrorCode(err) != motcua.EINVALID || motcua.ErrorMessage(err) == "") {
			t.Errorf("%s: %v is not an EINVALID error with a message", tc.name, err)
		}
	}
}

func FuzzParseYearData(f *testing.F) {
	years, err := calendar.BuiltinYears()
	if err != nil {
		f.Fatal(err)
	}
	for _, y := range years {
		b, _ := json.Marshal(y)
		f.Add(b)
	}
	f.Add([]byte(`{"year": 2027, "provisional": true}`))
	f.Add([]byte(`{"year": 2199, "provisional": true, "days_off": [{"date": "2199-11-24", "kind": "extra", "name": "x", "sources": ["y"], "recurring": true}]}`))
	f.Add([]byte(`{"year": 2021, "days_off": [{"date": "2021-02-15", "kind": "makeup", "name": "x", "for_date": "2021-02-13"}]}`))
	f.Add([]byte(`{"year": -1}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		y, err := calendar.ParseYearData(b)
		if err != nil {
			if motcua.ErrorCode(err) != motcua.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if err := y.Validate(); err != nil {
			t.Fatalf("parsed data fail Validate: %v", err)
		}
		// Accepted data must compose and round-trip.
		c, err := calendar.New(calendar.DefaultConfig(), []calendar.YearData{y})
		if err != nil {
			t.Fatalf("New rejects parsed data: %v", err)
		}
		_ = c.Year(y.Year)
		again, err := json.Marshal(y)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := calendar.ParseYearData(again); err != nil {
			t.Fatalf("re-encoded data rejected: %v", err)
		}
	})
}
