package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/motcua/motcua"
)

// YearData is the part of one year's days off that the law leaves to the
// yearly notices (thông báo) of the Ministry (Bộ LĐTBXH until 2025, Bộ Nội
// vụ from 2026) and to later acts: the five Tết days and their make-up days,
// the second National Day day, swapped working days and extra days off.
//
// The days Labour Code 2019 Art.112(1) fixes (1 Jan, Giỗ Tổ Hùng Vương,
// 30 Apr, 1 May, 2 Sep) and their Art.111(3) make-up days are not written
// here: they are computed (see Calendar.Year). A YearData is what an
// administrator enters from each notice; it is embedded for 2021–2027 (see
// BuiltinYears) and is validated by Validate before use.
//
// The data describe the national civil-service calendar, whose weekly rest
// days are Saturday and Sunday.
type YearData struct {
	Year        int    `json:"year"`
	Provisional bool   `json:"provisional"`           // the year's notice is not known yet
	LabourCode  string `json:"labour_code,omitempty"` // legal regime of the year, for display
	// Notices are the texts that decide this year's days; entries refer to
	// them by Number.
	Notices []Notice `json:"notices,omitempty"`
	// DaysOff are the days decided by a notice or a later act.
	DaysOff []DataDayOff `json:"days_off,omitempty"`
	// Swaps are weekdays off exchanged for a weekend day worked.
	Swaps []Swap `json:"swaps,omitempty"`
	// HolidayPeriods are the announced holiday periods (weekends
	// included), as the sources describe them; for display only.
	HolidayPeriods []HolidayPeriod `json:"holiday_periods,omitempty"`
	Note           string          `json:"note,omitempty"`
	Sources        []string        `json:"sources,omitempty"`
}

// Notice is one official text that decides days off.
type Notice struct {
	Number string `json:"number"`           // số hiệu, e.g. "6150/TB-BLĐTBXH"
	Issuer string `json:"issuer,omitempty"` // cơ quan ban hành
	Date   *Date  `json:"date,omitempty"`   // ngày ban hành, when known
	Covers string `json:"covers,omitempty"` // what it decides
	Source string `json:"source,omitempty"` // where the notice was read
	Note   string `json:"note,omitempty"`
}

// The kinds of days off. In YearData.DaysOff only KindTet, KindMakeup,
// KindNationalDayAdjacent and KindExtra are allowed: KindHoliday days are
// computed from the law and KindSwapOff days come from YearData.Swaps.
const (
	KindHoliday             = "holiday"               // Art.112(1) day fixed by date or lunar date
	KindTet                 = "tet"                   // one of the five Tết Âm lịch days
	KindNationalDayAdjacent = "national_day_adjacent" // second National Day day (1 or 3 Sep)
	KindMakeup              = "makeup"                // Art.111(3) make-up for an Art.112(1) day on a rest day
	KindSwapOff             = "swap_off"              // weekday off swapped for a weekend day worked
	KindExtra               = "extra"                 // day off outside Art.112(1), e.g. Ngày Văn hóa Việt Nam
)

// DataDayOff is one day off decided by a notice or by a later act.
type DataDayOff struct {
	Date Date   `json:"date"`
	Kind string `json:"kind"` // KindTet, KindMakeup, KindNationalDayAdjacent or KindExtra
	Name string `json:"name"`
	// Notice is the Number of the notice (in YearData.Notices) that
	// decides the day.
	Notice string `json:"notice,omitempty"`
	// ForDate is, for a make-up day, the Art.112(1) day on a weekly rest
	// day that it makes up for.
	ForDate *Date `json:"for_date,omitempty"`
	// Provisional marks a day whose basis is not confirmed.
	Provisional bool `json:"provisional,omitempty"`
	// Recurring marks an extra day that the act repeats every year on the
	// same day and month: years without data get it as a provisional
	// proposal.
	Recurring  bool     `json:"recurring,omitempty"`
	LegalBasis string   `json:"legal_basis,omitempty"`
	Confidence string   `json:"confidence,omitempty"`
	Sources    []string `json:"sources,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// Swap exchanges a weekday off for a weekend day worked (hoán đổi ngày làm
// việc). No article of the Labour Code provides for it: the Prime Minister
// directs it for the civil service through the yearly notice.
type Swap struct {
	Off          Date     `json:"off"`    // weekday off
	Worked       Date     `json:"worked"` // Saturday or Sunday worked instead
	Name         string   `json:"name"`   // name of the day off
	WorkedReason string   `json:"worked_reason,omitempty"`
	Notice       string   `json:"notice,omitempty"`
	Sources      []string `json:"sources,omitempty"`
	Note         string   `json:"note,omitempty"`
}

// HolidayPeriod is an announced stretch of consecutive days off, weekends
// included ("nghỉ Tết 9 ngày").
type HolidayPeriod struct {
	From   Date   `json:"from"`
	To     Date   `json:"to"`
	Name   string `json:"name"`
	Source string `json:"source,omitempty"`
}

// maxYearDataSize bounds what ParseYearData reads: a year is a few kB.
const maxYearDataSize = 1 << 20

// ParseYearData decodes one year's data from JSON and validates it. Unknown
// fields are rejected (a misspelt field would otherwise silently drop a day
// off). Every error is a *motcua.Error with code EINVALID and a Vietnamese
// message.
func ParseYearData(b []byte) (YearData, error) {
	if len(b) > maxYearDataSize {
		return YearData{}, motcua.Errorf(motcua.EINVALID, "year_data_too_large", "Tệp dữ liệu năm quá lớn (tối đa 1 MB).")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var y YearData
	if err := dec.Decode(&y); err != nil {
		return YearData{}, jsonError(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return YearData{}, motcua.Errorf(motcua.EINVALID, "year_data_trailing", "Tệp dữ liệu năm chỉ được chứa một đối tượng JSON.")
	}
	if err := y.Validate(); err != nil {
		return YearData{}, err
	}
	return y, nil
}

// jsonError turns a decoding error into an EINVALID error for people.
func jsonError(err error) error {
	var (
		me *motcua.Error
		se *json.SyntaxError
		te *json.UnmarshalTypeError
	)
	switch {
	case errors.As(err, &me):
		return motcua.Errorf(motcua.EINVALID, me.Reason, "%s", me.Message)
	case errors.As(err, &se):
		return motcua.Errorf(motcua.EINVALID, "year_data_syntax", "Tệp dữ liệu năm không phải JSON hợp lệ (lỗi cú pháp ở byte %d).", se.Offset)
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "(gốc)"
		}
		return motcua.Errorf(motcua.EINVALID, "year_data_type", "Trường %q trong tệp dữ liệu năm có kiểu giá trị không đúng.", field)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return motcua.Errorf(motcua.EINVALID, "year_data_syntax", "Tệp dữ liệu năm rỗng hoặc bị cắt cụt.")
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return motcua.Errorf(motcua.EINVALID, "year_data_unknown_field", "Tệp dữ liệu năm có trường không được hỗ trợ: %s.", name)
	}
	return motcua.Errorf(motcua.EINVALID, "year_data_syntax", "Tệp dữ liệu năm không đọc được.")
}
