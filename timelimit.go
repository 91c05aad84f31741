package motcua

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// TimeUnit is the unit in which a procedure's maximum processing time is
// published (DonViTinh in the national portal's data).
type TimeUnit string

// The units a time limit may be expressed in.
const (
	UnitWorkingHours TimeUnit = "working_hours"
	UnitWorkingDays  TimeUnit = "working_days"
	UnitCalendarDays TimeUnit = "calendar_days"
	UnitMonths       TimeUnit = "months"
)

// Valid reports whether u is one of the known units.
func (u TimeUnit) Valid() bool {
	switch u {
	case UnitWorkingHours, UnitWorkingDays, UnitCalendarDays, UnitMonths:
		return true
	}
	return false
}

// Label returns the Vietnamese name of the unit as shown to people.
func (u TimeUnit) Label() string {
	switch u {
	case UnitWorkingHours:
		return "giờ làm việc"
	case UnitWorkingDays:
		return "ngày làm việc"
	case UnitCalendarDays:
		return "ngày"
	case UnitMonths:
		return "tháng"
	}
	return string(u)
}

// ClockTime is a time of day in Vietnam time, in minutes after midnight.
type ClockTime int

// ParseClockTime parses "HH:MM" (24-hour clock).
func ParseClockTime(s string) (ClockTime, error) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return 0, fmt.Errorf("clock time %q: want HH:MM", s)
	}
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) || len(m) != 2 {
		return 0, fmt.Errorf("clock time %q: want HH:MM between 00:00 and 24:00", s)
	}
	return ClockTime(hh*60 + mm), nil
}

// String formats the time as "HH:MM".
func (c ClockTime) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// MarshalText implements encoding.TextMarshaler.
func (c ClockTime) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *ClockTime) UnmarshalText(b []byte) error {
	v, err := ParseClockTime(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// TimeLimit is a procedure's maximum processing time: an amount in a unit,
// and optionally the same-day cut-off rule found in many published
// procedures ("nếu tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp
// theo"): when the clock starts at or after CutOff (Vietnam time), counting
// starts at the beginning of the next working day.
//
// Value 0 in working days means "within the working day of reception".
// Working days may be fractional in halves (one working day is the length of
// the configured working periods, eight hours by default); calendar days and
// months are whole numbers.
type TimeLimit struct {
	Value  float64    `json:"value"`
	Unit   TimeUnit   `json:"unit"`
	CutOff *ClockTime `json:"cut_off,omitempty"`
}

// Validate checks the limit and returns an EINVALID error naming what is
// wrong, in Vietnamese.
func (l TimeLimit) Validate() error {
	if !l.Unit.Valid() {
		return Errorf(EINVALID, "time_limit_unit", "Đơn vị thời hạn giải quyết không hợp lệ: %q.", string(l.Unit))
	}
	if l.Value < 0 || math.IsNaN(l.Value) || math.IsInf(l.Value, 0) {
		return Errorf(EINVALID, "time_limit_value", "Thời hạn giải quyết phải là số không âm.")
	}
	switch l.Unit {
	case UnitWorkingDays:
		if l.Value*2 != math.Trunc(l.Value*2) {
			return Errorf(EINVALID, "time_limit_value", "Thời hạn tính theo ngày làm việc chỉ được lẻ nửa ngày.")
		}
	case UnitWorkingHours:
		if l.Value*60 != math.Trunc(l.Value*60) {
			return Errorf(EINVALID, "time_limit_value", "Thời hạn tính theo giờ làm việc phải tròn phút.")
		}
	case UnitCalendarDays, UnitMonths:
		if l.Value != math.Trunc(l.Value) {
			return Errorf(EINVALID, "time_limit_value", "Thời hạn tính theo ngày hoặc tháng phải là số nguyên.")
		}
	}
	if l.Value > 3650 {
		return Errorf(EINVALID, "time_limit_value", "Thời hạn giải quyết quá lớn.")
	}
	if l.CutOff != nil && (*l.CutOff < 0 || *l.CutOff > 24*60) {
		return Errorf(EINVALID, "time_limit_cut_off", "Giờ chốt tiếp nhận trong ngày không hợp lệ.")
	}
	return nil
}

// String renders the limit in Vietnamese, e.g. "3 ngày làm việc" or
// "trong ngày (sau 15:00 trả ngày làm việc tiếp theo)".
func (l TimeLimit) String() string {
	var s string
	if l.Value == 0 && l.Unit == UnitWorkingDays {
		s = "trong ngày làm việc"
	} else {
		s = strconv.FormatFloat(l.Value, 'f', -1, 64) + " " + l.Unit.Label()
	}
	if l.CutOff != nil {
		s += " (tiếp nhận sau " + l.CutOff.String() + " tính từ ngày làm việc tiếp theo)"
	}
	return s
}
