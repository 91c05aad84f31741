package calendar

import (
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

// Vietnam is the time zone of every calendar computation: UTC+7 all year
// round. It is a fixed zone so that the package never needs the tz database
// (containers often lack it) and cannot be broken by a wrong TZ setting.
var Vietnam = motcua.VietnamTime

// vietnamOffset is Vietnam's offset from UTC in seconds.
const vietnamOffset = 7 * 3600

// Date is a civil (Gregorian) date without a time of day. Its zero value is
// "no date". Dates are comparable with ==.
//
// In JSON and text it is written "YYYY-MM-DD".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in Vietnam time, whatever t's location.
func DateOf(t time.Time) Date {
	return dateFromDays(localDay(t))
}

// NewDate returns the date y-m-d, normalised as time.Date does (so 31 April
// becomes 1 May). Use ParseDate to reject impossible dates instead.
func NewDate(y int, m time.Month, d int) Date {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	yy, mm, dd := t.Date()
	return Date{yy, mm, dd}
}

// ParseDate parses "YYYY-MM-DD" and rejects dates that do not exist (such as
// 2025-02-29). The error is a *motcua.Error with code EINVALID.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, motcua.Errorf(motcua.EINVALID, "date_invalid", "Ngày %q không hợp lệ: cần một ngày có thật, viết theo dạng YYYY-MM-DD.", s)
	}
	y, m, d := t.Date()
	return Date{y, m, d}, nil
}

// String formats the date as "YYYY-MM-DD".
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Valid reports whether d is a date that exists in the Gregorian calendar.
func (d Date) Valid() bool {
	return d.Month >= time.January && d.Month <= time.December &&
		d.Day >= 1 && d.Day <= daysInMonth(d.Year, d.Month)
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	return time.Weekday(floorMod(d.days()+int64(time.Thursday), 7))
}

// AddDays returns the date n days after d (before it when n is negative).
func (d Date) AddDays(n int) Date { return dateFromDays(d.days() + int64(n)) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.Compare(o) < 0 }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.Compare(o) > 0 }

// Compare returns -1, 0 or +1 as d is before, equal to or after o.
func (d Date) Compare(o Date) int {
	switch {
	case d.Year != o.Year:
		return sign(d.Year - o.Year)
	case d.Month != o.Month:
		return sign(int(d.Month) - int(o.Month))
	default:
		return sign(d.Day - o.Day)
	}
}

// DaysUntil returns the number of days from d to o (negative if o is
// before d).
func (d Date) DaysUntil(o Date) int { return int(o.days() - d.days()) }

// Time returns the instant the date begins in Vietnam time (00:00 ICT).
func (d Date) Time() time.Time {
	return time.Unix(d.days()*86400-vietnamOffset, 0).In(Vietnam)
}

// MarshalText implements encoding.TextMarshaler ("YYYY-MM-DD").
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler; it accepts only
// "YYYY-MM-DD" dates that exist.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// days returns the number of days from 1970-01-01 to d.
func (d Date) days() int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dateFromDays is the inverse of Date.days.
func dateFromDays(n int64) Date {
	y, m, d := time.Unix(n*86400, 0).UTC().Date()
	return Date{y, m, d}
}

// localDay returns the number of the Vietnam-time day containing t, counted
// from 1970-01-01.
func localDay(t time.Time) int64 { return floorDiv(t.Unix()+vietnamOffset, 86400) }

func daysInMonth(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// weekdayNames are the Vietnamese names of the days of the week, indexed by
// time.Weekday.
var weekdayNames = [7]string{"Chủ nhật", "Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy"}

// WeekdayName returns the Vietnamese name of w ("Thứ Hai", …, "Chủ nhật").
func WeekdayName(w time.Weekday) string {
	if w < time.Sunday || w > time.Saturday {
		return w.String()
	}
	return weekdayNames[w]
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }

func sign(x int) int {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
