package calendar

import (
	"math"
	"time"

	"github.com/motcua/motcua"
)

// Working-time arithmetic. An instant is split into its Vietnam-time day
// number and the nanoseconds since that day's midnight, so that no
// computation depends on a time.Location or allocates.

const nsPerDay = int64(24 * time.Hour)

// split returns the Vietnam-time day of t (days since 1970-01-01) and the
// time of day in nanoseconds.
func split(t time.Time) (day, ns int64) {
	s := t.Unix() + vietnamOffset
	day = floorDiv(s, 86400)
	return day, (s-day*86400)*int64(time.Second) + int64(t.Nanosecond())
}

// at is the inverse of split; the result is in Vietnam time.
func at(day, ns int64) time.Time {
	return time.Unix(day*86400-vietnamOffset+ns/int64(time.Second), ns%int64(time.Second)).In(Vietnam)
}

// IsWorkingDay reports whether t's date (in Vietnam time) is a working day:
// not a weekly rest day unless declared worked, and not a day off.
func (c *Calendar) IsWorkingDay(t time.Time) bool { return c.isWorkingDay(localDay(t)) }

// NextWorkingMoment returns t if t lies inside a working period (start
// inclusive, end exclusive), otherwise the start of the next one.
func (c *Calendar) NextWorkingMoment(t time.Time) time.Time {
	day, ns := split(t)
	if c.isWorkingDay(day) {
		for _, p := range c.periods {
			if ns < p.end {
				if ns >= p.start {
					return t
				}
				return at(day, p.start)
			}
		}
	}
	return at(c.nextWorkingDay(day), c.firstStart)
}

// EndOfWorkingDay returns the end of the last working period of t's date if
// that date is a working day and t is before that end; otherwise the end of
// the next working day.
func (c *Calendar) EndOfWorkingDay(t time.Time) time.Time {
	day, ns := split(t)
	if c.isWorkingDay(day) && ns < c.lastEnd {
		return at(day, c.lastEnd)
	}
	return at(c.nextWorkingDay(day), c.lastEnd)
}

// StartOfNextWorkingDay returns the start of the first working period of the
// first working day after t's date.
func (c *Calendar) StartOfNextWorkingDay(t time.Time) time.Time {
	return at(c.nextWorkingDay(localDay(t)), c.firstStart)
}

// AddWorking returns the earliest instant at which d of working time has
// elapsed since t: the end of a period rather than the start of the next
// (4 h from 07:30 is 11:30, not 13:00). AddWorking(t, 0) is t; a negative d
// also returns t.
func (c *Calendar) AddWorking(t time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return t
	}
	day, ns := split(t)
	rem := int64(d)
	dayLen := int64(c.dayLen)
	e := c.entry(dateFromDays(day).Year)
	for {
		if day > e.last {
			e = c.entry(dateFromDays(day).Year)
		}
		if e.working(day) {
			if ns == 0 && rem > dayLen {
				rem -= dayLen // a whole working day, no need to walk its periods
			} else {
				for _, p := range c.periods {
					if ns >= p.end {
						continue
					}
					from := max(ns, p.start)
					if rem <= p.end-from {
						return at(day, from+rem)
					}
					rem -= p.end - from
				}
			}
		}
		day, ns = day+1, 0
	}
}

// WorkingBetween returns the working time between from and to; zero when to
// is not after from.
func (c *Calendar) WorkingBetween(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	d1, n1 := split(from)
	d2, n2 := split(to)
	if d1 == d2 {
		return time.Duration(c.overlap(d1, n1, n2))
	}
	total := c.overlap(d1, n1, nsPerDay) + c.overlap(d2, 0, n2)
	e := c.entry(dateFromDays(d1 + 1).Year)
	for d := d1 + 1; d < d2; d++ {
		if d > e.last {
			e = c.entry(dateFromDays(d).Year)
		}
		if e.working(d) {
			total += int64(c.dayLen)
		}
	}
	return time.Duration(total)
}

// overlap returns the working time of day between the times of day a and b.
func (c *Calendar) overlap(day, a, b int64) int64 {
	if !c.isWorkingDay(day) {
		return 0
	}
	var sum int64
	for _, p := range c.periods {
		if lo, hi := max(a, p.start), min(b, p.end); hi > lo {
			sum += hi - lo
		}
	}
	return sum
}

// Due returns the instant at which limit, counted from start, ends:
//
//   - a CutOff first moves start to the start of the next working day when
//     start's time of day (Vietnam time) is at or after the cut-off;
//   - working hours: from the next working moment, AddWorking;
//   - working days: likewise with days × WorkingDayLength (halves allowed);
//     0 days is EndOfWorkingDay(start);
//   - calendar days and months: start's date plus the amount (a month-end
//     date clamped to the last day of a shorter month, 31 Jan + 1 month =
//     28/29 Feb), due at the end of that date's last working period; on a
//     non-working date, the end of the next working day when
//     MoveCalendarDeadlinesToWorkingDay is set.
//
// A limit that fails TimeLimit.Validate has no due date: Due returns the
// zero time.Time, which callers must treat as "not computable".
func (c *Calendar) Due(start time.Time, limit motcua.TimeLimit) time.Time {
	if limit.Validate() != nil {
		return time.Time{}
	}
	if limit.CutOff != nil {
		if _, ns := split(start); ns >= int64(*limit.CutOff)*int64(time.Minute) {
			start = c.StartOfNextWorkingDay(start)
		}
	}
	switch limit.Unit {
	case motcua.UnitWorkingHours:
		d := time.Duration(math.Round(limit.Value*60)) * time.Minute
		return c.AddWorking(c.NextWorkingMoment(start), d)
	case motcua.UnitWorkingDays:
		halves := time.Duration(math.Round(limit.Value * 2))
		if halves == 0 {
			return c.EndOfWorkingDay(start)
		}
		return c.AddWorking(c.NextWorkingMoment(start), halves*c.dayLen/2)
	case motcua.UnitCalendarDays:
		return c.dueOnDate(localDay(start) + int64(limit.Value))
	case motcua.UnitMonths:
		return c.dueOnDate(addMonths(DateOf(start), int(limit.Value)).days())
	}
	return time.Time{}
}

// dueOnDate returns the end of the working time of day, moved to the next
// working day when day is not one and the configuration asks for it.
func (c *Calendar) dueOnDate(day int64) time.Time {
	if !c.isWorkingDay(day) && c.cfg.MoveCalendarDeadlinesToWorkingDay {
		day = c.nextWorkingDay(day)
	}
	return at(day, c.lastEnd)
}

// addMonths adds n months to d, clamping the day to the length of the
// resulting month.
func addMonths(d Date, n int) Date {
	m := int64(d.Year)*12 + int64(d.Month) - 1 + int64(n)
	y, mo := int(floorDiv(m, 12)), time.Month(floorMod(m, 12)+1)
	return Date{y, mo, min(d.Day, daysInMonth(y, mo))}
}
