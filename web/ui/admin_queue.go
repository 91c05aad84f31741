package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// adminQueueData is the queue's configuration of a reception point.
type adminQueueData struct {
	Points  []option
	Point   int64
	Areas   []*motcua.ServiceArea
	Devices []*motcua.QueueDevice
}

// adminQueue shows a point's service areas and devices, with the forms to
// add an area and to bind the browser in use as a kiosk or display.
func (u *UI) adminQueue(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	u.showAdminQueue(w, r, http.StatusOK, newForm(r.URL.Query()))
}

func (u *UI) showAdminQueue(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	points, err := u.srv.Service.QueuePoints(ctx, true)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	if len(points) == 0 {
		u.fail(w, r, motcua.Errorf(motcua.EFORBIDDEN, "not_admin", "Chỉ quản trị viên mới cấu hình được hàng chờ."))
		return
	}
	d := &adminQueueData{}
	for _, p := range points {
		d.Points = append(d.Points, option{strconv.FormatInt(p.ID, 10), p.Name})
	}
	d.Point, _ = strconv.ParseInt(f.Get("diem"), 10, 64)
	if d.Point == 0 {
		d.Point = points[0].ID
		f.Values.Set("diem", d.Points[0].Value)
	}
	if d.Areas, err = u.srv.Service.ServiceAreas(ctx, d.Point); err == nil {
		d.Devices, err = u.srv.Service.QueueDevices(ctx, d.Point)
	}
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, status, "admin_queue", &page{Title: "Cấu hình hàng chờ", Section: "admin", Form: f, Data: d})
}

// adminSaveArea adds or changes a service area.
func (u *UI) adminSaveArea(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	id, _ := strconv.ParseInt(f.Get("area_id"), 10, 64)
	point, _ := strconv.ParseInt(f.Get("diem"), 10, 64)
	a := &motcua.ServiceArea{ID: id, ReceptionPointID: point, Prefix: f.Trim("prefix"), Name: f.Trim("name"), Active: f.Get("active") != "0"}
	if err := u.srv.Service.SaveServiceArea(r.Context(), a); err != nil {
		if c := motcua.ErrorCode(err); c == motcua.EFORBIDDEN || c == motcua.ENOTFOUND {
			u.fail(w, r, err)
			return
		}
		f.fail(err)
		u.showAdminQueue(w, r, web.Status(err), f)
		return
	}
	seeOther(w, r, "/quan-tri/xep-hang?diem="+strconv.FormatInt(point, 10))
}

// adminBindDevice makes the browser in use a kiosk (or calling display) of
// the point: the device's token goes into a long-lived cookie of this
// browser only, and the browser is sent to the device's page.
func (u *UI) adminBindDevice(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f, err := readForm(w, r)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	point, _ := strconv.ParseInt(f.Get("diem"), 10, 64)
	tok, err := u.srv.Service.BindQueueDevice(r.Context(), point, f.Trim("name"))
	if err != nil {
		if motcua.ErrorCode(err) == motcua.EINVALID {
			f.fail(err)
			u.showAdminQueue(w, r, web.Status(err), f)
			return
		}
		u.fail(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: deviceCookie, Value: tok, Path: "/", MaxAge: 400 * 24 * 3600, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteLaxMode})
	to := "/lay-so"
	if f.Get("kind") == "display" {
		to = "/goi-so"
	}
	seeOther(w, r, to)
}
