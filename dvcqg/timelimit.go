package dvcqg

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
)

// timeUnits are the units of the national structured time limit ("N Ngày
// làm việc", or the portal's English codes "N WORKING_DAY"), lower-cased.
// "Khác" (other) is deliberately absent: its number says nothing without
// the text the national data does not carry.
var timeUnits = map[string]motcua.TimeUnit{
	"ngày làm việc": motcua.UnitWorkingDays, "working_day": motcua.UnitWorkingDays,
	"giờ làm việc": motcua.UnitWorkingHours, "working_hour": motcua.UnitWorkingHours,
	"ngày": motcua.UnitCalendarDays, "day": motcua.UnitCalendarDays,
	"tháng": motcua.UnitMonths, "month": motcua.UnitMonths,
}

// structuredLimit is "N Unit", optionally followed by " — description"
// (how the national data writes a structured value with its note).
var structuredLimit = regexp.MustCompile(`^(\d{1,4}(?:[.,]5)?) ([\p{L}_ ]+?)(?: — .*)?$`)

// ParseTimeLimit reads a national time limit text. A structured value in a
// known unit gives a limit; "Không quy định" gives noLimit; anything else —
// "N Khác", prose such as "Ngay trong ngày…" — gives nil: the caller keeps
// the text for a person to confirm, never a guess.
func ParseTimeLimit(text string) (limit *motcua.TimeLimit, noLimit bool) {
	s := strings.TrimSpace(text)
	if strings.EqualFold(s, "Không quy định") {
		return nil, true
	}
	m := structuredLimit.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	unit, ok := timeUnits[strings.ToLower(m[2])]
	if !ok {
		return nil, false
	}
	v, err := strconv.ParseFloat(strings.Replace(m[1], ",", ".", 1), 64)
	if err != nil {
		return nil, false
	}
	l := &motcua.TimeLimit{Value: v, Unit: unit}
	if l.Validate() != nil {
		return nil, false
	}
	return l, false
}
