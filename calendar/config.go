package calendar

import (
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// Period is one working period of a day, from Start (inclusive) to End
// (exclusive), in Vietnam time.
type Period struct {
	Start motcua.ClockTime `json:"start"`
	End   motcua.ClockTime `json:"end"`
}

// Config is a province's working time: the working periods of a working
// day, the weekly rest days, and what happens to a deadline in calendar
// days or months that falls on a non-working day.
type Config struct {
	Periods []Period       `json:"periods"`
	Weekend []time.Weekday `json:"weekend"`
	// MoveCalendarDeadlinesToWorkingDay moves a deadline in calendar days
	// or months that ends on a non-working day to the end of the next
	// working day (the default; the Civil Code rule, BLDS 2015 Art.148, is
	// not confirmed for administrative procedures).
	MoveCalendarDeadlinesToWorkingDay bool `json:"move_calendar_deadlines_to_working_day"`
}

// DefaultConfig returns the usual working time of Vietnamese state
// agencies: 07:30–11:30 and 13:00–17:00 (eight hours), Saturday and Sunday
// off, calendar deadlines moved to the next working day. Provinces set their
// own periods before go-live.
func DefaultConfig() Config {
	return Config{
		Periods: []Period{
			{Start: 7*60 + 30, End: 11*60 + 30},
			{Start: 13 * 60, End: 17 * 60},
		},
		Weekend:                           []time.Weekday{time.Saturday, time.Sunday},
		MoveCalendarDeadlinesToWorkingDay: true,
	}
}

// Validate checks that there is at least one period, that periods are
// non-empty, inside the day (00:00–24:00), in order and non-overlapping,
// and that the weekend names valid, distinct days and leaves at least one
// working day. The error is a *motcua.Error with code EINVALID.
func (c Config) Validate() error {
	if len(c.Periods) == 0 {
		return motcua.Errorf(motcua.EINVALID, "calendar_periods_missing", "Cần khai báo ít nhất một khoảng thời gian làm việc trong ngày.")
	}
	for i, p := range c.Periods {
		switch {
		case p.Start < 0 || p.End > 24*60 || p.Start > 24*60 || p.End < 0:
			return motcua.Errorf(motcua.EINVALID, "calendar_period_range", "Khoảng làm việc thứ %d (%s–%s) phải nằm trong ngày, từ 00:00 đến 24:00.", i+1, p.Start, p.End)
		case p.End <= p.Start:
			return motcua.Errorf(motcua.EINVALID, "calendar_period_empty", "Khoảng làm việc thứ %d (%s–%s) phải kết thúc sau khi bắt đầu.", i+1, p.Start, p.End)
		case i > 0 && p.Start < c.Periods[i-1].End:
			q := c.Periods[i-1]
			return motcua.Errorf(motcua.EINVALID, "calendar_period_order", "Khoảng làm việc thứ %d (%s–%s) phải bắt đầu sau khi khoảng thứ %d (%s–%s) kết thúc.", i+1, p.Start, p.End, i, q.Start, q.End)
		}
	}
	var seen weekSet
	for _, w := range c.Weekend {
		if w < time.Sunday || w > time.Saturday {
			return motcua.Errorf(motcua.EINVALID, "calendar_weekend_invalid", "Ngày nghỉ hằng tuần không hợp lệ: %d (cần 0 = Chủ nhật đến 6 = Thứ Bảy).", int(w))
		}
		if seen[w] {
			return motcua.Errorf(motcua.EINVALID, "calendar_weekend_duplicate", "Ngày nghỉ hằng tuần %s được khai báo hai lần.", WeekdayName(w))
		}
		seen[w] = true
	}
	if len(c.Weekend) == 7 {
		return motcua.Errorf(motcua.EINVALID, "calendar_weekend_all", "Phải có ít nhất một ngày làm việc trong tuần.")
	}
	return nil
}

func (c Config) clone() Config {
	c.Periods = slices.Clone(c.Periods)
	c.Weekend = slices.Clone(c.Weekend)
	return c
}
