package calendar_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// TestWithSaved: a saved year replaces the built-in one, a year beyond
// them is added, and a saved year that does not parse is refused by year.
func TestWithSaved(t *testing.T) {
	extra := calendar.YearData{Year: 2031, Provisional: true,
		Notices: []calendar.Notice{{Number: "99/TB-TEST"}},
		DaysOff: []calendar.DataDayOff{{Date: calendar.DateOf(time.Date(2031, 6, 10, 0, 0, 0, 0, motcua.VietnamTime)),
			Kind: calendar.KindExtra, Name: "Nghỉ thử nghiệm", Notice: "99/TB-TEST"}}}
	data, err := json.Marshal(extra)
	if err != nil {
		t.Fatal(err)
	}
	c, err := calendar.WithSaved(calendar.DefaultConfig(), []*motcua.CalendarYear{{Year: 2031, Data: data}})
	if err != nil {
		t.Fatal(err)
	}
	if c.IsWorkingDay(time.Date(2031, 6, 10, 9, 0, 0, 0, motcua.VietnamTime)) {
		t.Error("the saved day off is a working day")
	}
	if !c.IsWorkingDay(time.Date(2031, 6, 11, 9, 0, 0, 0, motcua.VietnamTime)) {
		t.Error("the day after it is not a working day")
	}
	_, err = calendar.WithSaved(calendar.DefaultConfig(), []*motcua.CalendarYear{{Year: 2025, Data: []byte("{")}})
	if err == nil || !strings.Contains(err.Error(), "calendar year 2025") {
		t.Errorf("a broken saved year: %v", err)
	}
}
