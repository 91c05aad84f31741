package dvcqg_test

import (
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/dvcqg"
)

func TestStatusCodeOfEveryState(t *testing.T) {
	want := map[motcua.State]int{
		motcua.StateSubmitted: 1, motcua.StateReceived: 2, motcua.StateRejected: 3, motcua.StateProcessing: 4,
		motcua.StateApproved: 4, motcua.StateAwaitingSupplement: 5, motcua.StateRefused: 9, motcua.StateResultReady: 9,
		motcua.StateReturned: 10, motcua.StateWithdrawn: 8, motcua.StateStopped: 8, motcua.StateClosed: 8,
	}
	for _, s := range motcua.AllStates {
		w, ok := want[s]
		if !ok {
			t.Fatalf("state %q has no expected national status in this test", s)
		}
		if got := dvcqg.StatusCode(s, false, false); got != w {
			t.Errorf("StatusCode(%q) = %d, want %d", s, got, w)
		}
		if !dvcqg.ValidStatus(dvcqg.StatusCode(s, false, false)) {
			t.Errorf("state %q maps outside 1–10", s)
		}
	}
	if got := dvcqg.StatusCode("bogus", false, false); got != 0 {
		t.Errorf("unknown state = %d, want 0", got)
	}
	// The citizen's withdrawal request shows while the agency has not
	// acted; never over a terminal state.
	if got := dvcqg.StatusCode(motcua.StateProcessing, true, true); got != 7 {
		t.Errorf("withdrawal requested while processing = %d, want 7", got)
	}
	if got := dvcqg.StatusCode(motcua.StateReturned, false, true); got != 10 {
		t.Errorf("withdrawal requested on a returned dossier = %d, want 10", got)
	}
	for _, s := range []motcua.State{motcua.StateReceived, motcua.StateProcessing, motcua.StateApproved, motcua.StateResultReady} {
		if got := dvcqg.StatusCode(s, true, false); got != 6 {
			t.Errorf("payment pending in %q = %d, want 6", s, got)
		}
	}
	if got := dvcqg.StatusCode(motcua.StateAwaitingSupplement, true, false); got != 5 {
		t.Errorf("payment pending while awaiting a supplement = %d, want 5", got)
	}
	if dvcqg.StatusName(6) != "Yêu cầu thực hiện nghĩa vụ tài chính" || dvcqg.StatusName(0) != "" || dvcqg.StatusName(11) != "" {
		t.Error("StatusName does not follow the national list")
	}
}

func TestDatesInVietnamTime(t *testing.T) {
	at := time.Date(2026, 12, 31, 17, 30, 5, 0, time.UTC) // 00:30:05 on 1/1/2027 in Vietnam
	if got := dvcqg.FormatTime(at); got != "20270101003005" {
		t.Fatalf("FormatTime = %q", got)
	}
	back, err := dvcqg.ParseTime("20270101003005")
	if err != nil || !back.Equal(at) {
		t.Fatalf("ParseTime = %v, %v", back, err)
	}
	if dvcqg.FormatTime(time.Time{}) != "" {
		t.Error("zero time must be written empty")
	}
	for _, bad := range []string{"2027-01-01", "20271301000000", "2027010100300", "202701010030051", "2027010100300x"} {
		if _, err := dvcqg.ParseTime(bad); err == nil {
			t.Errorf("ParseTime(%q) accepted", bad)
		}
	}
}

func TestParseTimeLimit(t *testing.T) {
	cases := []struct {
		text    string
		value   float64
		unit    motcua.TimeUnit
		noLimit bool
	}{
		{"5 Ngày làm việc", 5, motcua.UnitWorkingDays, false},
		{"30 ngày làm việc", 30, motcua.UnitWorkingDays, false},
		{"1 WORKING_DAY", 1, motcua.UnitWorkingDays, false},
		{"10 WORKING_DAY — Trực tuyến hoặc qua dịch vụ bưu chính.", 10, motcua.UnitWorkingDays, false},
		{"19 DAY — Kể từ ngày nhận đủ hồ sơ theo quy định.", 19, motcua.UnitCalendarDays, false},
		{"15 Ngày", 15, motcua.UnitCalendarDays, false},
		{"05 Ngày", 5, motcua.UnitCalendarDays, false},
		{"8 Giờ làm việc", 8, motcua.UnitWorkingHours, false},
		{"2 Tháng", 2, motcua.UnitMonths, false},
		{"0,5 Ngày làm việc", 0.5, motcua.UnitWorkingDays, false},
		{"Không quy định", 0, "", true},
		{"1 Khác", 0, "", false},
		{"5 Khác", 0, "", false},
		{"Ngay trong ngày tiếp nhận hồ sơ; trường hợp nhận hồ sơ sau 15 giờ …", 0, "", false},
		{"03 ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ", 0, "", false},
		{"1.5 Ngày", 0, "", false}, // calendar days are whole
		{"", 0, "", false},
	}
	for _, c := range cases {
		l, no := dvcqg.ParseTimeLimit(c.text)
		if no != c.noLimit {
			t.Errorf("%q: noLimit = %v", c.text, no)
		}
		switch {
		case c.unit == "" && l != nil:
			t.Errorf("%q: got %v, want no limit (text kept for a person)", c.text, *l)
		case c.unit != "" && (l == nil || l.Value != c.value || l.Unit != c.unit):
			t.Errorf("%q: got %v, want %v %s", c.text, l, c.value, c.unit)
		}
	}
}
