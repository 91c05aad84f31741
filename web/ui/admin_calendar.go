package ui

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// calendarData is a year of the working calendar with its editing forms.
type calendarData struct {
	V        *service.CalendarYearView
	JSON     string
	Kinds    []option
	Notices  []option
	Prev     int
	Next     int
	Weekdays map[calendar.Date]string
}

// adminCalendar shows a year's days off and worked weekend days, and the
// forms that change them (quick additions, or the whole year's data).
func (u *UI) adminCalendar(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	year, _ := strconv.Atoi(r.URL.Query().Get("nam"))
	if year == 0 {
		year = u.srv.Service.Now().In(motcua.VietnamTime).Year()
	}
	p := &page{Section: "admin"}
	if r.URL.Query().Get("xong") != "" {
		p.Flash = "Đã lưu lịch năm; các thời hạn tính từ bây giờ dùng lịch mới."
	}
	u.showCalendar(w, r, http.StatusOK, year, newForm(nil), p)
}

func (u *UI) showCalendar(w http.ResponseWriter, r *http.Request, status, year int, f *form, p *page) {
	v, err := u.srv.Service.CalendarYear(r.Context(), year)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	b, _ := json.MarshalIndent(v.Data, "", "  ")
	d := &calendarData{V: v, JSON: string(b), Prev: year - 1, Next: year + 1, Weekdays: map[calendar.Date]string{}}
	if _, ok := f.Values["data"]; !ok {
		f.Values.Set("data", d.JSON)
	}
	d.Kinds = optionsOf(calendar.KindExtra, "Ngày nghỉ thêm (theo văn bản)", calendar.KindTet, "Ngày nghỉ Tết Âm lịch",
		calendar.KindNationalDayAdjacent, "Ngày liền kề Quốc khánh", calendar.KindMakeup, "Ngày nghỉ bù")
	d.Notices = []option{{"", "—"}}
	for _, n := range v.Data.Notices {
		d.Notices = append(d.Notices, option{n.Number, n.Number})
	}
	for _, x := range v.Days.DaysOff {
		d.Weekdays[x.Date] = calendar.WeekdayName(x.Date.Weekday())
	}
	for _, x := range v.Days.WorkedDays {
		d.Weekdays[x.Date] = calendar.WeekdayName(x.Date.Weekday())
	}
	p.Title = "Lịch làm việc năm " + strconv.Itoa(year)
	p.Form, p.Data = f, d
	u.render(w, r, status, "admin_calendar", p)
}

// adminSaveCalendar applies one change to a year: a notice, a day off or a
// swap added through the small forms, or the whole year's data edited as
// JSON. Nothing is saved unless the whole year is valid.
func (u *UI) adminSaveCalendar(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	f.Action = f.Get("op")
	year, _ := strconv.Atoi(f.Get("nam"))
	ctx := r.Context()
	v, err := u.srv.Service.CalendarYear(ctx, year)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	y := v.Data
	date := func(field string) calendar.Date {
		iso, ok := vnToISO(f.Trim(field))
		d, err := calendar.ParseDate(iso)
		if !ok || err != nil {
			f.set(field, "Ngày phải có dạng ngày/tháng/năm, ví dụ 24/11/"+strconv.Itoa(year)+".")
		}
		return d
	}
	switch f.Action {
	case "notice":
		y.Notices = append(y.Notices, calendar.Notice{Number: f.Trim("number"), Issuer: f.Trim("issuer"), Covers: f.Trim("covers")})
	case "dayoff":
		y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: date("date"), Kind: f.Get("kind"), Name: f.Trim("name"),
			Notice: f.Get("notice"), LegalBasis: f.Trim("legal_basis")})
	case "swap":
		y.Swaps = append(y.Swaps, calendar.Swap{Off: date("off"), Worked: date("worked"), Name: f.Trim("name"), Notice: f.Get("notice")})
	case "json":
		y, err = calendar.ParseYearData([]byte(f.Get("data")))
		if err == nil && y.Year != year {
			err = motcua.Errorf(motcua.EINVALID, "year_mismatch", "Dữ liệu là của năm %d, không phải năm %d đang sửa.", y.Year, year)
		}
		if err != nil {
			f.fail(err)
		}
	default:
		f.set("op", "Thao tác không hợp lệ.")
	}
	if f.ok() {
		if _, err = u.srv.Service.SaveCalendarYear(ctx, y); err == nil {
			seeOther(w, r, "/quan-tri/lich?nam="+strconv.Itoa(year)+"&xong=1")
			return
		}
		f.fail(err)
	}
	status := web.Status(err)
	if err == nil {
		status = http.StatusUnprocessableEntity
	}
	// Messages keyed by the new entry's JSON path go next to the small
	// form's fields.
	for k, msg := range f.Errors {
		field := k[strings.LastIndexByte(k, '.')+1:]
		if strings.HasPrefix(k, "days_off[") || strings.HasPrefix(k, "swaps[") || strings.HasPrefix(k, "notices[") {
			if _, posted := f.Values[field]; posted {
				f.Errors[field] = msg
			}
		}
	}
	u.showCalendar(w, r, status, year, f, &page{Section: "admin"})
}
