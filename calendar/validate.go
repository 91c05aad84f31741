package calendar

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// Bounds of the years a YearData may describe: the Labour Code 2019 regime
// onwards, and no further than the lunar computation is meant to be used.
const (
	minDataYear = firstLabourCode2019Year
	maxDataYear = 2199
)

// tetDays is the number of Tết Âm lịch days of Art.112(1).
const tetDays = 5

// tetWindow bounds, in days either side of mùng 1 Tết, where a notice may
// place the Tết days; it catches a block typed in the wrong month or year.
const tetWindow = 7

// Validate checks the data as an administrator would enter them and returns
// nil or a *motcua.Error with code EINVALID. Its Message names the first
// problem in Vietnamese (and how many others there are); Fields maps the
// JSON path of every problem (such as "swaps[0].worked") to its message.
//
// It checks: the year is supported; every date exists and lies in the year;
// texts are valid UTF-8 without control characters and required ones are
// present; notice numbers are unique and every reference to a notice
// exists; kinds are known (statutory days and swaps have their own place);
// no date is given twice, nor a statutory Art.112(1) date; there are exactly
// five Tết days near mùng 1 Tết; the second National Day day is 1 or 3
// September; a make-up day is a weekday after the Art.112(1) day on a
// weekend it makes up for, one per day; a swap exchanges a weekday off for a
// Saturday or Sunday worked that is not itself a day off; an extra day
// carries its legal basis or source; a year that is not provisional has a
// notice, its Tết days and its second National Day day.
func (y YearData) Validate() error {
	v := &validator{year: y.Year}
	if y.Year < minDataYear || y.Year > maxDataYear {
		v.add("year", "year_data_year_range", "Năm %d nằm ngoài phạm vi hỗ trợ (%d–%d, thời kỳ Bộ luật Lao động 2019).", y.Year, minDataYear, maxDataYear)
		return v.err()
	}
	v.text("labour_code", y.LabourCode, false)
	v.text("note", y.Note, false)
	for i, s := range y.Sources {
		v.text(fmt.Sprintf("sources[%d]", i), s, true)
	}

	notices := v.notices(y.Notices)
	used := map[Date]string{} // date → field that claims it as a day off
	statutory := map[Date]string{}
	for _, s := range statutoryDays(y.Year) {
		statutory[s.date] = s.name
	}
	art112 := map[Date]bool{} // Art.112(1) days: statutory, Tết, second National Day day
	for d := range statutory {
		art112[d] = true
	}

	tet := Tet(y.Year)
	var tetCount, adjacentCount int
	var makeups []int
	for i, d := range y.DaysOff {
		f := fmt.Sprintf("days_off[%d]", i)
		v.text(f+".name", d.Name, true)
		v.text(f+".legal_basis", d.LegalBasis, false)
		v.text(f+".confidence", d.Confidence, false)
		v.text(f+".note", d.Note, false)
		for j, s := range d.Sources {
			v.text(fmt.Sprintf("%s.sources[%d]", f, j), s, true)
		}
		v.noticeRef(f+".notice", d.Notice, notices)
		if d.Recurring && d.Kind != KindExtra {
			v.add(f+".recurring", "year_data_recurring_kind", "Chỉ ngày nghỉ thêm (extra) mới được đánh dấu lặp lại hằng năm (%s).", d.Date)
		}
		if d.ForDate != nil && d.Kind != KindMakeup {
			v.add(f+".for_date", "year_data_for_date_kind", "Chỉ ngày nghỉ bù mới có trường for_date (%s).", d.Date)
		}
		if !v.inYear(f+".date", d.Date) {
			continue
		}
		v.claim(f+".date", d.Date, used, statutory)
		switch d.Kind {
		case KindTet:
			tetCount++
			art112[d.Date] = true
			if gap := tet.DaysUntil(d.Date); gap < -tetWindow || gap > tetWindow {
				v.add(f+".date", "year_data_tet_far", "Ngày nghỉ Tết %s cách mùng 1 Tết (%s) quá %d ngày.", d.Date, tet, tetWindow)
			}
		case KindNationalDayAdjacent:
			adjacentCount++
			art112[d.Date] = true
			if d.Date.Month != time.September || (d.Date.Day != 1 && d.Date.Day != 3) {
				v.add(f+".date", "year_data_national_day_adjacent", "Ngày nghỉ Quốc khánh liền kề phải là 01/09 hoặc 03/09, không phải %s.", d.Date)
			}
		case KindMakeup:
			makeups = append(makeups, i)
		case KindExtra:
			if d.LegalBasis == "" && d.Notice == "" && len(d.Sources) == 0 {
				v.add(f+".sources", "year_data_extra_source", "Ngày nghỉ thêm %s phải ghi căn cứ pháp lý, thông báo hoặc nguồn.", d.Date)
			}
		case KindHoliday:
			v.add(f+".kind", "year_data_kind_statutory", "Ngày lễ theo Điều 112 khoản 1 (%s) được tính tự động, không khai báo trong dữ liệu năm.", d.Date)
		case KindSwapOff:
			v.add(f+".kind", "year_data_kind_swap", "Ngày nghỉ hoán đổi (%s) phải khai báo trong mục swaps, kèm Thứ Bảy làm bù.", d.Date)
		default:
			v.add(f+".kind", "year_data_kind_unknown", "Loại ngày nghỉ %q không hợp lệ (%s); chỉ nhận: tet, makeup, national_day_adjacent, extra.", d.Kind, d.Date)
		}
	}
	if tetCount != 0 && tetCount != tetDays {
		v.add("days_off", "year_data_tet_count", "Năm %d khai báo %d ngày nghỉ Tết Âm lịch; Bộ luật Lao động quy định đúng %d ngày.", y.Year, tetCount, tetDays)
	}
	if adjacentCount > 1 {
		v.add("days_off", "year_data_national_day_adjacent_count", "Năm %d khai báo %d ngày nghỉ Quốc khánh liền kề; chỉ được có một.", y.Year, adjacentCount)
	}

	madeUp := map[Date]string{}
	for _, i := range makeups {
		d := y.DaysOff[i]
		f := fmt.Sprintf("days_off[%d]", i)
		if civilServiceRest(d.Date) {
			v.add(f+".date", "year_data_makeup_weekend", "Ngày nghỉ bù %s là %s, không phải ngày làm việc.", d.Date, WeekdayName(d.Date.Weekday()))
		}
		if d.ForDate == nil {
			v.add(f+".for_date", "year_data_makeup_for", "Ngày nghỉ bù %s phải ghi ngày lễ được bù (for_date).", d.Date)
			continue
		}
		fd := *d.ForDate
		switch {
		case !v.inYear(f+".for_date", fd):
		case !art112[fd]:
			v.add(f+".for_date", "year_data_makeup_not_holiday", "Ngày %s không phải ngày lễ, Tết theo Điều 112 khoản 1 nên không có nghỉ bù.", fd)
		case !civilServiceRest(fd):
			v.add(f+".for_date", "year_data_makeup_not_rest", "Ngày lễ %s là %s, không trùng ngày nghỉ hằng tuần nên không có nghỉ bù.", fd, WeekdayName(fd.Weekday()))
		case !fd.Before(d.Date):
			v.add(f+".date", "year_data_makeup_order", "Ngày nghỉ bù %s phải sau ngày lễ %s.", d.Date, fd)
		case madeUp[fd] != "":
			v.add(f+".for_date", "year_data_makeup_twice", "Ngày lễ %s đã được bù ở %s.", fd, madeUp[fd])
		default:
			madeUp[fd] = f
		}
	}

	worked := map[Date]string{}
	for i, s := range y.Swaps {
		f := fmt.Sprintf("swaps[%d]", i)
		v.text(f+".name", s.Name, true)
		v.text(f+".worked_reason", s.WorkedReason, false)
		v.text(f+".note", s.Note, false)
		for j, src := range s.Sources {
			v.text(fmt.Sprintf("%s.sources[%d]", f, j), src, true)
		}
		v.noticeRef(f+".notice", s.Notice, notices)
		if s.Notice == "" && len(s.Sources) == 0 {
			v.add(f+".notice", "year_data_swap_source", "Hoán đổi ngày làm việc phải ghi thông báo hoặc nguồn quyết định.")
		}
		if v.inYear(f+".off", s.Off) {
			if civilServiceRest(s.Off) {
				v.add(f+".off", "year_data_swap_off_weekend", "Ngày nghỉ hoán đổi %s là %s; ngày nghỉ hoán đổi phải là ngày làm việc (Thứ Hai–Thứ Sáu).", s.Off, WeekdayName(s.Off.Weekday()))
			}
			v.claim(f+".off", s.Off, used, statutory)
		}
		if v.inYear(f+".worked", s.Worked) {
			if !civilServiceRest(s.Worked) {
				v.add(f+".worked", "year_data_swap_worked_weekday", "Ngày làm bù %s là %s; ngày làm bù phải là Thứ Bảy hoặc Chủ nhật.", s.Worked, WeekdayName(s.Worked.Weekday()))
			}
			if prev := worked[s.Worked]; prev != "" {
				v.add(f+".worked", "year_data_duplicate_date", "Ngày làm bù %s đã khai báo ở %s.", s.Worked, prev)
			}
			worked[s.Worked] = f + ".worked"
		}
	}
	// A day worked cannot also be a day off; checked once every day off is known.
	for i, s := range y.Swaps {
		d, f := s.Worked, fmt.Sprintf("swaps[%d].worked", i)
		if d.Year != y.Year || worked[d] != f {
			continue // reported above
		}
		if name, ok := statutory[d]; ok {
			v.add(f, "year_data_worked_holiday", "Ngày làm bù %s trùng ngày lễ %s.", d, name)
		} else if other := used[d]; other != "" {
			v.add(f, "year_data_worked_day_off", "Ngày làm bù %s trùng ngày nghỉ đã khai báo ở %s.", d, other)
		}
	}

	for i, p := range y.HolidayPeriods {
		f := fmt.Sprintf("holiday_periods[%d]", i)
		v.text(f+".name", p.Name, true)
		v.text(f+".source", p.Source, false)
		okFrom, okTo := v.inYear(f+".from", p.From), v.inYear(f+".to", p.To)
		if okFrom && okTo {
			if p.To.Before(p.From) {
				v.add(f+".to", "year_data_period_order", "Đợt nghỉ %q kết thúc (%s) trước khi bắt đầu (%s).", p.Name, p.To, p.From)
			} else if p.From.DaysUntil(p.To) > 30 {
				v.add(f+".to", "year_data_period_length", "Đợt nghỉ %q dài quá 31 ngày.", p.Name)
			}
		}
	}

	if !y.Provisional {
		if len(y.Notices) == 0 {
			v.add("notices", "year_data_notice_missing", "Năm %d không tạm tính nên phải có ít nhất một thông báo lịch nghỉ.", y.Year)
		}
		if tetCount == 0 {
			v.add("days_off", "year_data_tet_missing", "Năm %d không tạm tính nên phải khai báo %d ngày nghỉ Tết Âm lịch theo thông báo.", y.Year, tetDays)
		}
		if adjacentCount == 0 {
			v.add("days_off", "year_data_national_day_adjacent_missing", "Năm %d không tạm tính nên phải khai báo ngày nghỉ Quốc khánh liền kề theo thông báo.", y.Year)
		}
	}
	return v.err()
}

// validator collects every problem of a YearData, so that an administrator
// sees them all at once.
type validator struct {
	year   int
	fields map[string]string
	first  *motcua.Error
	count  int
}

func (v *validator) add(field, reason, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	v.count++
	if v.first == nil {
		v.first = &motcua.Error{Code: motcua.EINVALID, Reason: reason, Message: msg}
	}
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if prev, ok := v.fields[field]; ok {
		msg = prev + " " + msg
	}
	v.fields[field] = msg
}

func (v *validator) err() error {
	if v.first == nil {
		return nil
	}
	e := *v.first
	e.Message = fmt.Sprintf("Dữ liệu ngày nghỉ năm %d không hợp lệ: %s", v.year, e.Message)
	if v.count > 1 {
		e.Message += fmt.Sprintf(" (và %d lỗi khác)", v.count-1)
	}
	e.Fields = v.fields
	return &e
}

// text checks a text field: valid UTF-8, no control characters, present if
// required.
func (v *validator) text(field, s string, required bool) {
	switch {
	case strings.TrimSpace(s) == "":
		if required {
			v.add(field, "year_data_text_missing", "Thiếu nội dung bắt buộc (%s).", field)
		}
	case !utf8.ValidString(s):
		v.add(field, "year_data_text_encoding", "Nội dung %s không phải văn bản UTF-8 hợp lệ.", field)
	case strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }):
		v.add(field, "year_data_text_control", "Nội dung %s chứa ký tự điều khiển.", field)
	}
}

// inYear checks that d is given and lies in the year of the data.
func (v *validator) inYear(field string, d Date) bool {
	switch {
	case d.IsZero():
		v.add(field, "year_data_date_missing", "Thiếu ngày (%s).", field)
		return false
	case d.Year != v.year:
		v.add(field, "year_data_date_outside_year", "Ngày %s không thuộc năm %d.", d, v.year)
		return false
	}
	return true
}

// claim records d as a day off declared at field, reporting a date given
// twice or a statutory date declared again.
func (v *validator) claim(field string, d Date, used map[Date]string, statutory map[Date]string) {
	if name, ok := statutory[d]; ok {
		v.add(field, "year_data_statutory_date", "Ngày %s đã là ngày lễ %s theo Điều 112 khoản 1 (tính tự động).", d, name)
		return
	}
	if prev := used[d]; prev != "" {
		v.add(field, "year_data_duplicate_date", "Ngày %s đã khai báo ở %s.", d, prev)
		return
	}
	used[d] = field
}

// notices checks the notice list and returns the set of their numbers.
func (v *validator) notices(ns []Notice) map[string]bool {
	set := map[string]bool{}
	for i, n := range ns {
		f := fmt.Sprintf("notices[%d]", i)
		v.text(f+".number", n.Number, true)
		v.text(f+".issuer", n.Issuer, false)
		v.text(f+".covers", n.Covers, false)
		v.text(f+".source", n.Source, false)
		v.text(f+".note", n.Note, false)
		if n.Date != nil && (n.Date.Year < v.year-2 || n.Date.Year > v.year) {
			v.add(f+".date", "year_data_notice_date", "Ngày ban hành %s của thông báo %s không hợp lý cho năm %d.", n.Date, n.Number, v.year)
		}
		if n.Number == "" {
			continue
		}
		if set[n.Number] {
			v.add(f+".number", "year_data_notice_duplicate", "Thông báo %s được khai báo hai lần.", n.Number)
		}
		set[n.Number] = true
	}
	return set
}

func (v *validator) noticeRef(field, number string, notices map[string]bool) {
	if number != "" && !notices[number] {
		v.add(field, "year_data_notice_unknown", "Thông báo %q không có trong danh sách thông báo của năm.", number)
	}
}
