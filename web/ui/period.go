package ui

import (
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
)

// Period kinds of the statistics pages' selector (the "ky" field).
const (
	kindYear    = "nam"
	kindQuarter = "quy"
	kindMonth   = "thang"
	kindRange   = "khoang"
)

// firstYear is the earliest year the selector accepts: motcua holds no
// dossiers from before NĐ 61/2018, let alone 2000.
const firstYear = 2000

// statPeriod is the period a statistics page shows.
type statPeriod struct {
	motcua.Period
	// Capped says that the period chosen ran past today and was cut there:
	// figures at a period's end describe its last day, and a day still to
	// come has none.
	Capped bool
}

// Query returns the period as the parameters of links to other statistics
// pages (ISO dates, which every statistics page reads as a from–to range).
func (p statPeriod) Query() string {
	return url.Values{"tu": {isoDay(p.From)}, "den": {isoDay(p.To)}}.Encode()
}

// isoDay writes a day as YYYY-MM-DD (Vietnam time).
func isoDay(d motcua.Day) string { return d.Start().In(motcua.VietnamTime).Format("2006-01-02") }

// vnDay writes a day as dd/mm/yyyy (Vietnam time).
func vnDay(d motcua.Day) string { return motcua.FormatDate(d.Start()) }

// dayOf returns the day of a date in Vietnam time.
func dayOf(y int, m time.Month, d int) motcua.Day {
	return motcua.DayOf(time.Date(y, m, d, 12, 0, 0, 0, motcua.VietnamTime))
}

// parseDay reads a date typed as dd/mm/yyyy (d/m/yyyy, also with '-' or
// '.') or written in a link as YYYY-MM-DD, and checks that it exists.
func parseDay(s string) (motcua.Day, bool) {
	iso := s
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		var ok bool
		if iso, ok = vnToISO(s); !ok {
			return 0, false
		}
	}
	d, err := calendar.ParseDate(iso)
	if err != nil {
		return 0, false
	}
	return dayOf(d.Year, d.Month, d.Day), true
}

// periodOptions are the choices of the period selector.
type periodOptions struct {
	Kinds, Quarters, Months []option
}

var periodChoices = func() periodOptions {
	o := periodOptions{Kinds: optionsOf(kindYear, "Năm", kindQuarter, "Quý", kindMonth, "Tháng", kindRange, "Khoảng ngày")}
	for q := 1; q <= 4; q++ {
		o.Quarters = append(o.Quarters, option{strconv.Itoa(q), "Quý " + roman(q)})
	}
	for m := 1; m <= 12; m++ {
		o.Months = append(o.Months, option{strconv.Itoa(m), fmt.Sprintf("Tháng %d", m)})
	}
	return o
}()

func roman(q int) string { return [...]string{"", "I", "II", "III", "IV"}[q] }

// readPeriod reads the period of a statistics page from its query: a year,
// a quarter or a month of a year, or a range of dates. Without any, it is
// the current year up to today. A period that runs past today ends today.
// Mistakes are recorded on f, by field, in Vietnamese; ok is false then.
// On success f holds the period as the selector shows it again.
func readPeriod(f *form, now time.Time) (p statPeriod, ok bool) {
	today := motcua.DayOf(now)
	nowVN := now.In(motcua.VietnamTime)
	kind := f.Trim("ky")
	if kind == "" {
		kind = kindYear
		if f.Trim("tu") != "" || f.Trim("den") != "" {
			kind = kindRange
		}
	}
	year := nowVN.Year()
	if kind != kindRange {
		if s := f.Trim("nam"); s != "" {
			y, err := strconv.Atoi(s)
			switch {
			case err != nil || len(s) != 4:
				f.set("nam", "Năm phải là số có 4 chữ số, ví dụ 2025.")
			case y < firstYear || y > nowVN.Year():
				f.set("nam", fmt.Sprintf("Năm phải từ %d đến %d.", firstYear, nowVN.Year()))
			}
			year = y
		}
	}
	pick := func(field string, max int, msg string, def int) int {
		s := f.Trim(field)
		if s == "" {
			return def
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > max {
			f.set(field, msg)
		}
		return n
	}
	startField := "nam"
	switch kind {
	case kindYear:
		p.Period = motcua.Period{From: dayOf(year, 1, 1), To: dayOf(year, 12, 31)}
	case kindQuarter:
		q := pick("quy", 4, "Chọn quý từ I đến IV.", (int(nowVN.Month())+2)/3)
		first := time.Month(3*q - 2)
		p.Period = motcua.Period{From: dayOf(year, first, 1), To: dayOf(year, first+3, 0)}
		startField = "quy"
	case kindMonth:
		m := time.Month(pick("thang", 12, "Chọn tháng từ 1 đến 12.", int(nowVN.Month())))
		p.Period = motcua.Period{From: dayOf(year, m, 1), To: dayOf(year, m+1, 0)}
		startField = "thang"
	case kindRange:
		var okFrom, okTo bool
		p.From, okFrom = parseDay(f.Trim("tu"))
		p.To, okTo = parseDay(f.Trim("den"))
		if !okFrom {
			f.set("tu", "Ngày bắt đầu phải có dạng ngày/tháng/năm, ví dụ 01/03/2025.")
		}
		if !okTo {
			f.set("den", "Ngày kết thúc phải có dạng ngày/tháng/năm, ví dụ 31/03/2025.")
		}
		startField = "tu"
	default:
		f.set("ky", "Chọn kỳ thống kê: năm, quý, tháng hoặc khoảng ngày.")
	}
	if !f.ok() {
		return p, false
	}
	if err := p.Validate(); err != nil {
		field := "tu"
		if motcua.ErrorReason(err) == "period_reversed" {
			field = "den"
		}
		f.set(field, motcua.ErrorMessage(err))
		return p, false
	}
	if p.From > today {
		f.set(startField, "Kỳ thống kê chưa bắt đầu (hôm nay là ngày "+vnDay(today)+"), nên chưa có số liệu.")
		return p, false
	}
	if p.To > today {
		p.To, p.Capped = today, true
	}
	// Show the selector as it was understood, with the dates it gives.
	f.Values.Set("ky", kind)
	end := p.To.Start().In(motcua.VietnamTime)
	if kind == kindRange {
		year = end.Year()
	}
	f.Values.Set("nam", strconv.Itoa(year))
	if f.Trim("quy") == "" || kind == kindRange {
		f.Values.Set("quy", strconv.Itoa((int(end.Month())+2)/3))
	}
	if f.Trim("thang") == "" || kind == kindRange {
		f.Values.Set("thang", strconv.Itoa(int(end.Month())))
	}
	f.Values.Set("tu", vnDay(p.From))
	f.Values.Set("den", vnDay(p.To))
	return p, true
}
