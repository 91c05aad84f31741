package calendar

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// DayOff is one day off of a year, with why it is off and on what basis.
type DayOff struct {
	Date Date   `json:"date"`
	Name string `json:"name"` // Vietnamese, for display
	// Kind is one of KindHoliday, KindTet, KindNationalDayAdjacent,
	// KindMakeup, KindSwapOff, KindExtra.
	Kind   string `json:"kind"`
	Source string `json:"source,omitempty"` // the law, notice or act it rests on
	// Provisional marks a day that is not confirmed: proposed by the
	// system for a year without a notice, or taken from an unconfirmed act.
	Provisional bool   `json:"provisional,omitempty"`
	Note        string `json:"note,omitempty"`
}

// WorkedDay is a weekly rest day declared a working day (the Saturday of a
// swap).
type WorkedDay struct {
	Date   Date   `json:"date"`
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
}

// YearCalendar is a year's days off and worked weekend days as the Calendar
// uses them, with the notices they come from, for display and checking.
type YearCalendar struct {
	Year int `json:"year"`
	// Provisional is set when any part of the year is not confirmed by a
	// notice: the year's data say so, or the system proposed days.
	Provisional bool `json:"provisional"`
	// DaysOff lists every day off in date order, those falling on a weekly
	// rest day included (a holiday on a Saturday is shown; its make-up day
	// follows).
	DaysOff        []DayOff        `json:"days_off"`
	WorkedDays     []WorkedDay     `json:"worked_days"`
	Notices        []Notice        `json:"notices,omitempty"`
	HolidayPeriods []HolidayPeriod `json:"holiday_periods,omitempty"`
	LabourCode     string          `json:"labour_code,omitempty"`
	Note           string          `json:"note,omitempty"`
	Sources        []string        `json:"sources,omitempty"`
	// Proposals explains, in Vietnamese, what the system proposed in the
	// absence of a notice and by which rule.
	Proposals []string `json:"proposals,omitempty"`
}

// Off returns the day off on d, if any.
func (y YearCalendar) Off(d Date) (DayOff, bool) {
	i, ok := slices.BinarySearchFunc(y.DaysOff, d, func(o DayOff, d Date) int { return o.Date.Compare(d) })
	if !ok {
		return DayOff{}, false
	}
	return y.DaysOff[i], true
}

// Worked returns the worked weekend day on d, if any.
func (y YearCalendar) Worked(d Date) (WorkedDay, bool) {
	i, ok := slices.BinarySearchFunc(y.WorkedDays, d, func(w WorkedDay, d Date) int { return w.Date.Compare(d) })
	if !ok {
		return WorkedDay{}, false
	}
	return y.WorkedDays[i], true
}

// clone returns a copy that shares no slice with y.
func (y YearCalendar) clone() YearCalendar {
	y.DaysOff = slices.Clone(y.DaysOff)
	y.WorkedDays = slices.Clone(y.WorkedDays)
	y.Notices = slices.Clone(y.Notices)
	y.HolidayPeriods = slices.Clone(y.HolidayPeriods)
	y.Sources = slices.Clone(y.Sources)
	y.Proposals = slices.Clone(y.Proposals)
	return y
}

// weekSet marks the weekly rest days.
type weekSet [7]bool

func (w weekSet) rest(d Date) bool { return w[d.Weekday()] }

// composer builds a YearCalendar step by step.
type composer struct {
	year    int
	weekend weekSet
	off     map[Date]DayOff
	worked  map[Date]WorkedDay
	out     YearCalendar
}

// compose builds the days off of year:
//
//  1. the Art.112(1) days fixed by date (1 Jan, 10/3 lunar, 30 Apr, 1 May,
//     2 Sep);
//  2. the year's data, when given: Tết days and make-up days as the notice
//     states them, the second National Day day, swaps, extra days;
//  3. a proposal (see propose.go) for what the data lack: the Tết block,
//     the second National Day day and, for a year without data, the
//     recurring extra days of the latest earlier year with data;
//  4. Art.111(3): each Art.112(1) day on a weekly rest day that no notice
//     already makes up for gives a make-up day on the next working day not
//     already off, taken in date order so that several pile up on
//     consecutive working days.
//
// A date already off keeps its first reason. data may be nil; recurring
// are the extra days to repeat when data is nil.
func compose(year int, data *YearData, recurring []DataDayOff, weekend weekSet) YearCalendar {
	c := &composer{
		year:    year,
		weekend: weekend,
		off:     map[Date]DayOff{},
		worked:  map[Date]WorkedDay{},
		out:     YearCalendar{Year: year},
	}
	for _, s := range statutoryDays(year) {
		c.addOff(DayOff{Date: s.date, Name: s.name, Kind: KindHoliday, Source: sourceArt112})
	}

	madeUp := map[Date]bool{}
	var hasTet, hasAdjacent bool
	if data != nil {
		c.out.Provisional = data.Provisional
		c.out.Notices = slices.Clone(data.Notices)
		c.out.HolidayPeriods = slices.Clone(data.HolidayPeriods)
		c.out.LabourCode = data.LabourCode
		c.out.Note = data.Note
		c.out.Sources = slices.Clone(data.Sources)
		for _, d := range data.DaysOff {
			c.addOff(DayOff{
				Date:        d.Date,
				Name:        d.Name,
				Kind:        d.Kind,
				Source:      dataSource(d.Notice, d.LegalBasis, d.Sources, data.Notices),
				Provisional: d.Provisional || data.Provisional,
				Note:        joinNote(d.Note, d.Confidence),
			})
			switch d.Kind {
			case KindTet:
				hasTet = true
			case KindNationalDayAdjacent:
				hasAdjacent = true
			case KindMakeup:
				if d.ForDate != nil {
					madeUp[*d.ForDate] = true
				}
			}
		}
		for _, s := range data.Swaps {
			src := dataSource(s.Notice, "", s.Sources, data.Notices)
			c.addOff(DayOff{Date: s.Off, Name: s.Name, Kind: KindSwapOff, Source: src, Provisional: data.Provisional, Note: s.Note})
			reason := s.WorkedReason
			if reason == "" {
				reason = fmt.Sprintf("Làm bù cho ngày nghỉ hoán đổi %s %s", WeekdayName(s.Off.Weekday()), dmy(s.Off))
			}
			if _, dup := c.worked[s.Worked]; !dup {
				c.worked[s.Worked] = WorkedDay{Date: s.Worked, Name: reason, Source: src}
			}
		}
	} else {
		c.out.Provisional = true
		c.out.Proposals = append(c.out.Proposals, fmt.Sprintf("Chưa có dữ liệu thông báo năm %d: lịch nghỉ gồm các ngày tính theo Bộ luật Lao động và các ngày do hệ thống đề xuất (tạm tính).", year))
		c.proposeRecurring(recurring)
	}
	if !hasTet {
		c.proposeTet()
	}
	if !hasAdjacent && year >= firstLabourCode2019Year {
		c.proposeNationalDayAdjacent()
	}
	c.makeUp(madeUp)

	for _, d := range c.off {
		c.out.DaysOff = append(c.out.DaysOff, d)
	}
	for _, w := range c.worked {
		c.out.WorkedDays = append(c.out.WorkedDays, w)
	}
	slices.SortFunc(c.out.DaysOff, func(a, b DayOff) int { return a.Date.Compare(b.Date) })
	slices.SortFunc(c.out.WorkedDays, func(a, b WorkedDay) int { return a.Date.Compare(b.Date) })
	if c.out.WorkedDays == nil {
		c.out.WorkedDays = []WorkedDay{}
	}
	return c.out
}

// addOff records a day off unless the date already has one.
func (c *composer) addOff(d DayOff) {
	if _, ok := c.off[d.Date]; ok {
		return
	}
	c.off[d.Date] = d
	if d.Provisional {
		c.out.Provisional = true
	}
}

// working reports whether d is a working day given what is composed so far.
func (c *composer) working(d Date) bool {
	if _, off := c.off[d]; off {
		return false
	}
	if _, w := c.worked[d]; w {
		return true
	}
	return !c.weekend.rest(d)
}

// makeUp applies Labour Code Art.111(3) to the Art.112(1) days composed so
// far that fall on a weekly rest day and that no notice makes up for.
func (c *composer) makeUp(madeUp map[Date]bool) {
	var due []DayOff
	for _, d := range c.off {
		switch d.Kind {
		case KindHoliday, KindTet, KindNationalDayAdjacent:
			if c.weekend.rest(d.Date) && !madeUp[d.Date] {
				if _, w := c.worked[d.Date]; !w {
					due = append(due, d)
				}
			}
		}
	}
	slices.SortFunc(due, func(a, b DayOff) int { return a.Date.Compare(b.Date) })
	for _, h := range due {
		m := h.Date.AddDays(1)
		for !c.working(m) {
			m = m.AddDays(1)
		}
		c.addOff(DayOff{
			Date:        m,
			Name:        fmt.Sprintf("Nghỉ bù %s (%s là %s)", baseName(h.Name), dm(h.Date), WeekdayName(h.Date.Weekday())),
			Kind:        KindMakeup,
			Source:      sourceArt111,
			Provisional: h.Provisional,
		})
	}
}

// dataSource describes the basis of a day from the year's data: the notice
// it cites, else its legal basis, else its sources.
func dataSource(notice, legalBasis string, sources []string, notices []Notice) string {
	if notice != "" {
		for _, n := range notices {
			if n.Number == notice && n.Issuer != "" {
				return "Văn bản số " + n.Number + " (" + n.Issuer + ")"
			}
		}
		return "Văn bản số " + notice
	}
	if legalBasis != "" {
		return legalBasis
	}
	return strings.Join(sources, "; ")
}

func joinNote(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, " ")
}

// baseName drops the parenthesised detail of a day's name: "Giỗ Tổ Hùng
// Vương (10/3 âm lịch)" → "Giỗ Tổ Hùng Vương".
func baseName(name string) string {
	if i := strings.Index(name, " ("); i > 0 {
		return name[:i]
	}
	return name
}

// dm formats a date as "dd/mm", dmy as "dd/mm/yyyy", the Vietnamese way.
func dm(d Date) string  { return fmt.Sprintf("%02d/%02d", d.Day, int(d.Month)) }
func dmy(d Date) string { return fmt.Sprintf("%02d/%02d/%04d", d.Day, int(d.Month), d.Year) }

// sortedYears returns the keys of m in increasing order.
func sortedYears[V any](m map[int]V) []int {
	ys := make([]int, 0, len(m))
	for y := range m {
		ys = append(ys, y)
	}
	slices.SortFunc(ys, cmp.Compare[int])
	return ys
}
