package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/chart"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// deviceCookie holds a kiosk's or calling display's token, set when an
// administrator binds the device (adminBindDevice).
const deviceCookie = "motcua_thiet_bi"

func deviceToken(r *http.Request) string {
	if c, err := r.Cookie(deviceCookie); err == nil {
		return c.Value
	}
	return ""
}

// kioskData is the ticket machine's page.
type kioskData struct {
	Point *motcua.ReceptionPoint
	Board *service.QueueBoard
}

// kiosk shows a big button per open service area of the device's point.
func (u *UI) kiosk(w http.ResponseWriter, r *http.Request) {
	b, err := u.srv.Service.QueueBoard(r.Context(), deviceToken(r))
	if err != nil {
		u.deviceFail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "kiosk", &page{Title: "Lấy số thứ tự", Data: &kioskData{Point: b.Point, Board: b}})
}

// deviceFail shows a device's error page; an unbound device is told to
// ask an administrator rather than sent to sign in.
func (u *UI) deviceFail(w http.ResponseWriter, r *http.Request, err error) {
	if motcua.ErrorCode(err) == motcua.EUNAUTHORIZED {
		u.render(w, r, http.StatusUnauthorized, "error", &page{Title: "Thiết bị chưa được gắn", Data: motcua.ErrorMessage(err)})
		return
	}
	u.fail(w, r, err)
}

// issue gives a ticket and shows it to print.
func (u *UI) issue(w http.ResponseWriter, r *http.Request) {
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(f.Get("area_id"), 10, 64)
	t, err := u.srv.Service.IssueTicket(r.Context(), deviceToken(r), id)
	if err != nil {
		u.deviceFail(w, r, err)
		return
	}
	seeOther(w, r, "/lay-so/ve?so="+strconv.FormatInt(t.Ticket.ID, 10))
}

// ticket is the printable ticket (80 mm thermal paper by the print style).
func (u *UI) ticket(w http.ResponseWriter, r *http.Request) {
	id, _ := strconv.ParseInt(r.URL.Query().Get("so"), 10, 64)
	t, err := u.srv.Service.KioskTicket(r.Context(), deviceToken(r), id)
	if err != nil {
		u.deviceFail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "ticket", &page{Title: "Số thứ tự " + t.Label, Data: t})
}

// display is the waiting room's calling screen: it reloads itself every
// few seconds (a meta refresh: no script for a TV's browser).
func (u *UI) display(w http.ResponseWriter, r *http.Request) {
	b, err := u.srv.Service.QueueBoard(r.Context(), deviceToken(r))
	if err != nil {
		u.deviceFail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "display", &page{Title: "Màn hình gọi số", Data: b})
}

// queueData is the officer's queue page.
type queueData struct {
	Points  []option
	Point   int64
	Areas   []*motcua.ServiceArea
	Queue   *service.CounterQueue
	Target  time.Duration
	Counter string
	// Back is the query that brings the officer back to the same choices.
	Back string
}

// queuePage shows the queue of one of the officer's reception points, the
// ticket being served and today's figures.
func (u *UI) queuePage(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showQueue(w, r, http.StatusOK, newForm(r.URL.Query()))
}

func (u *UI) showQueue(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	desk, err := u.srv.Service.CounterDesk(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &queueData{Target: u.srv.Service.QueueWaitTarget(), Counter: f.Trim("quay")}
	for _, p := range desk.Points {
		d.Points = append(d.Points, option{strconv.FormatInt(p.ID, 10), p.Name})
	}
	d.Point, _ = strconv.ParseInt(f.Get("diem"), 10, 64)
	if d.Point == 0 && len(desk.Points) > 0 {
		d.Point = desk.Points[0].ID
		f.Values.Set("diem", strconv.FormatInt(d.Point, 10))
	}
	if d.Point != 0 {
		if d.Queue, err = u.srv.Service.CounterQueue(ctx, d.Point); err != nil {
			u.fail(w, r, err)
			return
		}
		if d.Areas, err = u.srv.Service.ServiceAreas(ctx, d.Point); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	d.Back = url.Values{"diem": {f.Get("diem")}, "quay": {d.Counter}, "linh-vuc": f.Values["linh-vuc"]}.Encode()
	u.render(w, r, status, "queue", &page{Title: "Gọi số thứ tự", Section: "queue", Form: f, Data: d})
}

// callNext calls the next ticket of the chosen areas to the officer's
// counter.
func (u *UI) callNext(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	point, _ := strconv.ParseInt(f.Get("diem"), 10, 64)
	var areas []int64
	for _, v := range f.Values["linh-vuc"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			areas = append(areas, id)
		}
	}
	if _, err := u.srv.Service.CallNext(r.Context(), point, areas, f.Get("quay")); err != nil {
		if motcua.ErrorCode(err) == motcua.EFORBIDDEN {
			u.fail(w, r, err)
			return
		}
		f.fail(err)
		u.showQueue(w, r, web.Status(err), f)
		return
	}
	seeOther(w, r, "/quay/xep-hang?"+url.Values{"diem": {f.Get("diem")}, "quay": {f.Get("quay")}, "linh-vuc": f.Values["linh-vuc"]}.Encode())
}

// ticketAction recalls, skips or finishes the ticket being served.
func (u *UI) ticketAction(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(f.Get("ticket_id"), 10, 64)
	if _, err := u.srv.Service.TicketAction(r.Context(), id, f.Get("thao-tac")); err != nil {
		u.fail(w, r, err)
		return
	}
	seeOther(w, r, "/quay/xep-hang?"+url.Values{"diem": {f.Get("diem")}, "quay": {f.Get("quay")}, "linh-vuc": f.Values["linh-vuc"]}.Encode())
}

// queueReportData is the queue report of a point for a period.
type queueReportData struct {
	Points   []option
	Stats    *service.QueueStats
	WaitSVG  template.HTML
	ServeSVG template.HTML
}

// queueReport shows waiting and service times per counter and area for a
// period, against the target, with charts.
func (u *UI) queueReport(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	ctx := r.Context()
	f := newForm(r.URL.Query())
	points, err := u.srv.Service.QueuePoints(ctx, false)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &queueReportData{}
	for _, p := range points {
		d.Points = append(d.Points, option{strconv.FormatInt(p.ID, 10), p.Name})
	}
	if len(points) == 0 {
		u.fail(w, r, motcua.Errorf(motcua.EFORBIDDEN, "queue_not_yours", "Anh/chị không theo dõi hàng chờ của điểm tiếp nhận nào."))
		return
	}
	today := motcua.DayOf(u.srv.Service.Now())
	if f.Get("diem") == "" {
		f.Values.Set("diem", d.Points[0].Value)
	}
	if f.Get("tu") == "" {
		f.Values.Set("tu", vnDay(today-6))
	}
	if f.Get("den") == "" {
		f.Values.Set("den", vnDay(today))
	}
	from, ok1 := parseDay(f.Trim("tu"))
	to, ok2 := parseDay(f.Trim("den"))
	if !ok1 || !ok2 {
		f.set("tu", "Ngày phải có dạng ngày/tháng/năm, ví dụ 01/12/2026.")
		u.render(w, r, http.StatusUnprocessableEntity, "queue_report", &page{Title: "Thời gian chờ tại quầy", Section: "reports", Form: f, Data: d})
		return
	}
	point, _ := strconv.ParseInt(f.Get("diem"), 10, 64)
	if d.Stats, err = u.srv.Service.QueueReport(ctx, point, from, to); err != nil {
		if motcua.ErrorCode(err) == motcua.EINVALID {
			f.fail(err)
			u.render(w, r, web.Status(err), "queue_report", &page{Title: "Thời gian chờ tại quầy", Section: "reports", Form: f, Data: d})
			return
		}
		u.fail(w, r, err)
		return
	}
	wait, serve := queueCharts(d.Stats)
	d.WaitSVG, d.ServeSVG = svgHTML(wait), svgHTML(serve)
	u.render(w, r, http.StatusOK, "queue_report", &page{Title: "Thời gian chờ tại quầy", Section: "reports", Form: f, Data: d})
}

// queueCharts draws the average wait per counter (the bars name the
// target in their title) and the average service time per counter, in
// minutes, so that counters can be compared at a glance.
func queueCharts(st *service.QueueStats) (wait, serve []byte) {
	if len(st.ByCounter) == 0 {
		return nil, nil
	}
	var waits, serves []chart.Bar
	for _, row := range st.ByCounter {
		waits = append(waits, chart.Bar{Label: row.Label, Value: row.AvgWait.Minutes()})
		serves = append(serves, chart.Bar{Label: row.Label, Value: row.AvgService.Minutes()})
	}
	target := chart.Number(st.Target.Minutes())
	wait = chart.HBars("Thời gian chờ bình quân theo quầy (mục tiêu ≤ "+target+" phút)",
		"Thời gian chờ bình quân, tính bằng phút, từ lúc lấy số đến lúc được gọi lần đầu, theo quầy; mục tiêu không quá "+target+" phút (Quyết định 468/QĐ-TTg).",
		"phút", waits)
	serve = chart.HBars("Thời gian phục vụ bình quân theo quầy",
		"Thời gian phục vụ bình quân, tính bằng phút, từ lúc gọi số đến lúc xong (hoặc tiếp nhận hồ sơ), theo quầy.", "phút", serves)
	return wait, serve
}
