package ui

import (
	"net/http"
	"strconv"

	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/web"
)

// accessLogData is the access log's page: the filter's choices and a page
// of entries.
type accessLogData struct {
	Actions []option
	Page    *service.AccessLogPage
	// More is the address of the next page ("" at the end).
	More string
}

// accessLog shows the access log to a supervisor, filtered by dossier
// code (ma), account (tai-khoan) and kind (loai).
func (u *UI) accessLog(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	f := newForm(r.URL.Query())
	d := &accessLogData{Actions: []option{{"", "Mọi loại"}}}
	for _, a := range service.AuditActions {
		d.Actions = append(d.Actions, option{a.Action, a.Label})
	}
	before, _ := strconv.ParseInt(f.Get("truoc"), 10, 64)
	q := service.AccessLogQuery{DossierCode: f.Trim("ma"), Username: f.Trim("tai-khoan"), Action: f.Get("loai"), Before: before}
	pg, err := u.srv.Service.AccessLog(r.Context(), q)
	status := http.StatusOK
	if err != nil {
		if web.Status(err) == http.StatusForbidden {
			u.fail(w, r, err)
			return
		}
		f.fail(err)
		if m := f.Errors["dossier_code"]; m != "" {
			f.Errors["ma"] = m
		}
		if m := f.Errors["username"]; m != "" {
			f.Errors["tai-khoan"] = m
		}
		if web.Status(err) == http.StatusNotFound {
			f.Errors["ma"] = f.Message
		}
		status = web.Status(err)
	} else {
		d.Page = pg
		if pg.Next != 0 {
			v := r.URL.Query()
			v.Set("truoc", strconv.FormatInt(pg.Next, 10))
			d.More = "/nhat-ky-truy-cap?" + v.Encode()
		}
	}
	u.render(w, r, status, "accesslog", &page{Title: "Nhật ký truy cập dữ liệu cá nhân", Section: "accesslog", Form: f, Data: d})
}
