package calendar

import (
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
)

// Calendar is the working-time calendar of a province. It implements
// motcua.Calendar. Build it with New (or Default); it is immutable
// afterwards and safe for concurrent use.
//
// Each year is composed once, on first use, into a table of non-working
// days; later lookups read that table without locking or allocating.
type Calendar struct {
	cfg        Config
	periods    []span // working periods in nanoseconds after midnight
	dayLen     time.Duration
	firstStart int64 // start of the first period, ns after midnight
	lastEnd    int64 // end of the last period, ns after midnight
	weekend    weekSet

	data      map[int]*YearData // years given to New
	dataYears []int             // their keys, in order

	near [cacheYears]atomic.Pointer[yearEntry] // years cacheFirst…cacheFirst+cacheYears-1
	mu   sync.Mutex
	far  map[int]*yearEntry // any other year
}

var _ motcua.Calendar = (*Calendar)(nil)

// The years whose tables live in a lock-free array; others go to a map.
const (
	cacheFirst = 1900
	cacheYears = 400
)

type span struct{ start, end int64 }

// yearEntry is a composed year and its table of non-working days.
type yearEntry struct {
	first      int64     // day number (since 1970-01-01) of 1 January
	last       int64     // day number of 31 December
	nonWorking [6]uint64 // bit i: day first+i is not a working day
	cal        YearCalendar
}

func (e *yearEntry) working(day int64) bool {
	i := day - e.first
	return e.nonWorking[i>>6]&(1<<(i&63)) == 0
}

// New returns a calendar with the given working time and year data. Each
// year given replaces the computed proposal for that year (its statutory
// days are still computed from the law); years not given are composed on
// demand and marked provisional. Pass BuiltinYears() to start from the
// shipped data. The years are validated and copied; the error is a
// *motcua.Error with code EINVALID.
func New(cfg Config, years []YearData) (*Calendar, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Calendar{cfg: cfg.clone(), data: map[int]*YearData{}, far: map[int]*yearEntry{}}
	for _, p := range cfg.Periods {
		s := span{int64(p.Start) * int64(time.Minute), int64(p.End) * int64(time.Minute)}
		c.periods = append(c.periods, s)
		c.dayLen += time.Duration(s.end - s.start)
	}
	c.firstStart = c.periods[0].start
	c.lastEnd = c.periods[len(c.periods)-1].end
	for _, w := range cfg.Weekend {
		c.weekend[w] = true
	}
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, err
		}
		if _, dup := c.data[y.Year]; dup {
			return nil, motcua.Errorf(motcua.EINVALID, "calendar_year_duplicate", "Dữ liệu ngày nghỉ năm %d được cung cấp hai lần.", y.Year)
		}
		c.data[y.Year] = y.clone()
	}
	c.dataYears = sortedYears(c.data)
	return c, nil
}

// Config returns a copy of the calendar's configuration.
func (c *Calendar) Config() Config { return c.cfg.clone() }

// Year returns the composed days off and worked days of year y (a copy).
func (c *Calendar) Year(y int) YearCalendar { return c.entry(y).cal.clone() }

// IsWorkingDate reports whether the date d is a working day.
func (c *Calendar) IsWorkingDate(d Date) bool { return c.isWorkingDay(d.days()) }

// WorkingDayLength is the total length of the working periods of a day.
func (c *Calendar) WorkingDayLength() time.Duration { return c.dayLen }

// Location returns Vietnam (UTC+7).
func (c *Calendar) Location() *time.Location { return Vietnam }

// isWorkingDay reports whether the day numbered day (since 1970-01-01) is a
// working day.
func (c *Calendar) isWorkingDay(day int64) bool {
	return c.entry(dateFromDays(day).Year).working(day)
}

// nextWorkingDay returns the first working day after day.
func (c *Calendar) nextWorkingDay(day int64) int64 {
	e := c.entry(dateFromDays(day + 1).Year)
	// A valid configuration leaves a working day every week and a year has
	// a few dozen days off at most, so the search ends within weeks; the
	// bound only turns an impossible state into a loud failure.
	for d := day + 1; d < day+3660; d++ {
		if d > e.last {
			e = c.entry(dateFromDays(d).Year)
		}
		if e.working(d) {
			return d
		}
	}
	panic("calendar: no working day within ten years")
}

// entry returns the composed year y, composing it on first use.
func (c *Calendar) entry(y int) *yearEntry {
	if i := y - cacheFirst; i >= 0 && i < cacheYears {
		if e := c.near[i].Load(); e != nil {
			return e
		}
		e := c.build(y)
		if c.near[i].CompareAndSwap(nil, e) {
			return e
		}
		return c.near[i].Load() // another goroutine composed it first; both are equal
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.far[y]
	if !ok {
		e = c.build(y)
		c.far[y] = e
	}
	return e
}

// build composes year y and derives its table.
func (c *Calendar) build(y int) *yearEntry {
	data := c.data[y]
	var recurring []DataDayOff
	if data == nil {
		// Repeat the recurring extra days of the latest earlier year given.
		if i, _ := slices.BinarySearch(c.dataYears, y); i > 0 {
			for _, d := range c.data[c.dataYears[i-1]].DaysOff {
				if d.Kind == KindExtra && d.Recurring {
					recurring = append(recurring, d)
				}
			}
		}
	}
	cal := compose(y, data, recurring, c.weekend)
	e := &yearEntry{first: Date{y, time.January, 1}.days(), last: Date{y, time.December, 31}.days(), cal: cal}
	mark := func(d Date) {
		if d.Year != y {
			return // composition keeps to its year; guard the table anyway
		}
		i := d.days() - e.first
		e.nonWorking[i>>6] |= 1 << (i & 63)
	}
	for d := (Date{y, time.January, 1}); d.Year == y; d = d.AddDays(1) {
		if c.weekend.rest(d) {
			mark(d)
		}
	}
	for _, w := range cal.WorkedDays {
		if w.Date.Year != y {
			continue
		}
		i := w.Date.days() - e.first
		e.nonWorking[i>>6] &^= 1 << (i & 63)
	}
	for _, o := range cal.DaysOff {
		mark(o.Date)
	}
	return e
}

// clone returns a copy of y that shares no slice with it.
func (y YearData) clone() *YearData {
	y.Notices = slices.Clone(y.Notices)
	for i, n := range y.Notices {
		if n.Date != nil {
			d := *n.Date
			y.Notices[i].Date = &d
		}
	}
	y.DaysOff = slices.Clone(y.DaysOff)
	for i, d := range y.DaysOff {
		if d.ForDate != nil {
			f := *d.ForDate
			y.DaysOff[i].ForDate = &f
		}
		y.DaysOff[i].Sources = slices.Clone(d.Sources)
	}
	y.Swaps = slices.Clone(y.Swaps)
	for i, s := range y.Swaps {
		y.Swaps[i].Sources = slices.Clone(s.Sources)
	}
	y.HolidayPeriods = slices.Clone(y.HolidayPeriods)
	y.Sources = slices.Clone(y.Sources)
	return &y
}
