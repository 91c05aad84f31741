package calendar

import (
	"fmt"
	"math"
	"sync"

	"github.com/motcua/motcua"
)

// The Vietnamese lunisolar calendar (âm lịch), computed from the astronomy
// of astro.go with the rules of the calendar itself:
//
//  1. a lunar month begins on the local civil day that contains the new
//     moon (local = the time zone passed in; Vietnam uses UTC+7, China
//     UTC+8, which is why the two calendars sometimes differ by a day);
//  2. month 11 is the month that contains the December (winter) solstice,
//     the sun's apparent longitude reaching 270°;
//  3. when 13 months start between one month 11 and the next, one of them
//     is a leap month: the first month after month 11 that contains no major
//     solar term (no crossing of a multiple of 30° of solar longitude). It
//     takes the number of the month before it.
//
// A lunar year is numbered by the Gregorian year in which its month 1 (Tết)
// begins. Its months 1–10 lie between month 11 of the previous Gregorian
// year and month 11 of the year itself; its months 11 and 12 follow.

// VietnamTZ is the time-zone offset, in hours east of UTC, of the Vietnamese
// lunar calendar.
const VietnamTZ = 7.0

// LunarDate is a date of the lunisolar calendar. Year is the year of the
// lunar new year that starts it (Tết of 2025 begins lunar year 2025, Ất Tỵ);
// Leap marks the leap month that repeats Month.
type LunarDate struct {
	Year  int  `json:"year"`
	Month int  `json:"month"`
	Day   int  `json:"day"`
	Leap  bool `json:"leap,omitempty"`
}

// String writes the date the Vietnamese way, day/month/year, with "nhuận"
// after a leap month: "10/3/2025", "15/6 nhuận/2025".
func (l LunarDate) String() string {
	if l.Leap {
		return fmt.Sprintf("%d/%d nhuận/%d", l.Day, l.Month, l.Year)
	}
	return fmt.Sprintf("%d/%d/%d", l.Day, l.Month, l.Year)
}

// SolarToLunar converts the civil date d to the lunisolar calendar computed
// at the time zone tz (hours east of UTC; VietnamTZ for Vietnam).
func SolarToLunar(d Date, tz float64) LunarDate {
	n := d.days()
	info := lunarInterval(d.Year, tz)
	if n < info.starts[0] {
		info = lunarInterval(d.Year-1, tz)
	}
	i := info.months - 1
	for info.starts[i] > n {
		i--
	}
	num, leap := info.monthNumber(i)
	year := info.year
	if num <= 10 { // months 1–10 belong to the lunar year that begins after month 11
		year++
	}
	return LunarDate{Year: year, Month: num, Day: int(n-info.starts[i]) + 1, Leap: leap}
}

// LunarToSolar converts a lunisolar date, computed at the time zone tz, to
// the civil date. It returns an EINVALID *motcua.Error when the date does
// not exist: a month outside 1–12, a leap month in a year that has none of
// that number, or day 30 of a 29-day month.
func LunarToSolar(l LunarDate, tz float64) (Date, error) {
	if l.Month < 1 || l.Month > 12 || l.Day < 1 || l.Day > 30 || math.IsNaN(tz) || math.IsInf(tz, 0) {
		return Date{}, motcua.Errorf(motcua.EINVALID, "lunar_date_invalid", "Ngày âm lịch %s không hợp lệ.", l)
	}
	g, pos := l.Year-1, l.Month+1 // months 1–10: position 2–11 after month 11 of the year before
	if l.Month >= 11 {
		g, pos = l.Year, l.Month-11
	}
	info := lunarInterval(g, tz)
	i := pos
	switch {
	case l.Leap:
		// A leap month directly follows the regular month of its number.
		if info.leap < 0 || info.leap != pos+1 {
			return Date{}, motcua.Errorf(motcua.EINVALID, "lunar_leap_month_missing", "Năm âm lịch %d không có tháng %d nhuận.", l.Year, l.Month)
		}
		i = info.leap
	case info.leap >= 0 && pos >= info.leap:
		i = pos + 1
	}
	start, end := info.starts[i], info.starts[i+1]
	if int64(l.Day) > end-start {
		return Date{}, motcua.Errorf(motcua.EINVALID, "lunar_day_missing", "Tháng %s năm âm lịch %d chỉ có %d ngày.", monthLabel(l), l.Year, end-start)
	}
	return dateFromDays(start + int64(l.Day) - 1), nil
}

func monthLabel(l LunarDate) string {
	if l.Leap {
		return fmt.Sprintf("%d nhuận", l.Month)
	}
	return fmt.Sprint(l.Month)
}

// Tet returns the date of Tết Nguyên Đán (1/1 of the lunar year) of the
// given year, in Vietnam (UTC+7).
func Tet(year int) Date {
	d, _ := LunarToSolar(LunarDate{Year: year, Month: 1, Day: 1}, VietnamTZ) // day 1 of month 1 always exists
	return d
}

// HungKings returns the date of Giỗ Tổ Hùng Vương (10/3 of the lunar
// year, the regular month 3 even in a year with a leap month 3) of the given
// year, in Vietnam (UTC+7).
func HungKings(year int) Date {
	d, _ := LunarToSolar(LunarDate{Year: year, Month: 3, Day: 10}, VietnamTZ) // day 10 always exists
	return d
}

// lunarYearInfo describes the months from month 11 of Gregorian year `year`
// to the next month 11 (exclusive).
type lunarYearInfo struct {
	year   int
	months int       // 12, or 13 when one is a leap month
	leap   int       // index of the leap month in starts, or -1
	starts [14]int64 // first day of each month, plus the next month 11 (days since 1970-01-01)
}

// monthNumber returns the number of the i-th month after month 11 and
// whether it is the leap month.
func (y *lunarYearInfo) monthNumber(i int) (int, bool) {
	leap := false
	if y.leap >= 0 && i >= y.leap {
		leap = i == y.leap
		i--
	}
	return (i+10)%12 + 1, leap
}

type lunarKey struct {
	year int
	tz   float64
}

// lunarCache keeps computed intervals: converting every day of a year would
// otherwise recompute the same new moons and solar terms each time.
var lunarCache = struct {
	sync.Mutex
	m map[lunarKey]*lunarYearInfo
}{m: make(map[lunarKey]*lunarYearInfo)}

const lunarCacheMax = 4096

func lunarInterval(year int, tz float64) *lunarYearInfo {
	key := lunarKey{year, tz}
	lunarCache.Lock()
	info, ok := lunarCache.m[key]
	lunarCache.Unlock()
	if ok {
		return info
	}
	info = computeLunarInterval(year, tz)
	lunarCache.Lock()
	if len(lunarCache.m) >= lunarCacheMax {
		clear(lunarCache.m) // bounded memory; intervals are cheap to recompute
	}
	lunarCache.m[key] = info
	lunarCache.Unlock()
	return info
}

func computeLunarInterval(year int, tz float64) *lunarYearInfo {
	a := month11(year, tz)
	b := month11(year+1, tz)
	info := &lunarYearInfo{year: year, months: b - a, leap: -1}
	for i := 0; i <= info.months; i++ {
		info.starts[i] = newMoonDay(a+i, tz)
	}
	if info.months == 13 {
		for i := 1; i < 13; i++ {
			if !hasMajorTerm(info.starts[i], info.starts[i+1], tz) {
				info.leap = i
				break
			}
		}
		if info.leap < 0 {
			// Cannot happen astronomically (13 months share 12 major terms
			// between two solstices), but keep the structure consistent if
			// rounding ever says otherwise: treat the last month as leap.
			info.leap = 12
		}
	}
	return info
}

// newMoonDay returns the local day (days since 1970-01-01 at time zone tz)
// that contains the new moon of lunation k: the first day of a lunar month.
func newMoonDay(k int, tz float64) int64 {
	return localDayOfUT(jdeToUT(newMoonJDE(k)), tz)
}

// localDayOfUT returns the local day containing the instant jd (UT).
func localDayOfUT(jd, tz float64) int64 {
	return int64(math.Floor(jd - jdUnixEpoch + tz/24))
}

// month11 returns the lunation number k of the lunar month that contains the
// December solstice of the Gregorian year.
func month11(year int, tz float64) int {
	guess := float64(Date{year, 12, 21}.days()) + jdUnixEpoch
	solstice := sunLongitudeTime(270, guess)
	day := localDayOfUT(jdeToUT(solstice), tz)
	k := int(math.Floor((solstice - 2451550.09766) / 29.530588861))
	for newMoonDay(k, tz) > day {
		k--
	}
	for newMoonDay(k+1, tz) <= day {
		k++
	}
	return k
}

// hasMajorTerm reports whether the sun's longitude crosses a multiple of 30°
// during the local days [start, end): the 30° sector it lies in at the local
// midnight that opens the month differs from the one at the midnight that
// closes it.
func hasMajorTerm(start, end int64, tz float64) bool {
	return sunSector(start, tz) != sunSector(end, tz)
}

func sunSector(day int64, tz float64) int {
	midnight := float64(day) + jdUnixEpoch - tz/24
	return int(sunLongitude(utToJDE(midnight)) / 30)
}
