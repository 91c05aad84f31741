package ui

import (
	"html/template"
	"net/http"
	"strconv"

	"github.com/motcua/motcua/chart"
	"github.com/motcua/motcua/service"
)

// workloadData is the workload page of an agency.
type workloadData struct {
	Units []option
	W     *service.UnitWorkload
	SVG   template.HTML
}

// workload shows the load of one of the caller's agencies.
func (u *UI) workload(w http.ResponseWriter, r *http.Request) {
	usr := u.staff(w, r)
	if usr == nil {
		return
	}
	ctx := r.Context()
	f := newForm(r.URL.Query())
	agencies, err := u.srv.Service.AgencyIndex(ctx)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &workloadData{}
	for _, id := range usr.AgencyIDs() {
		if a := agencies[id]; a != nil {
			d.Units = append(d.Units, option{strconv.FormatInt(id, 10), a.Name})
		}
	}
	id, _ := strconv.ParseInt(f.Get("don-vi"), 10, 64)
	if id == 0 && len(d.Units) > 0 {
		id, _ = strconv.ParseInt(d.Units[0].Value, 10, 64)
		f.Values.Set("don-vi", d.Units[0].Value)
	}
	if d.W, err = u.srv.Service.UnitWorkload(ctx, id); err != nil {
		u.fail(w, r, err)
		return
	}
	if len(d.W.Officers) > 0 {
		var bars []chart.Bar
		for _, o := range d.W.Officers {
			bars = append(bars, chart.Bar{Label: o.User.FullName, Value: float64(o.Open)})
		}
		d.SVG = svgHTML(chart.HBars("Hồ sơ đang giải quyết theo cán bộ (ngưỡng quá tải "+strconv.Itoa(d.W.Limit)+")",
			"Số hồ sơ đang chờ từng cán bộ xử lý; từ "+strconv.Itoa(d.W.Limit)+" hồ sơ trở lên là quá tải.", "hồ sơ", bars))
	}
	u.render(w, r, http.StatusOK, "workload", &page{Title: "Khối lượng công việc", Section: "workload", Form: f, Data: d})
}

// provinceData is the province's workload view.
type provinceData struct {
	P   *service.ProvinceWorkload
	SVG template.HTML
}

// provinceWorkload shows which agencies are overloaded or congested.
func (u *UI) provinceWorkload(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	p, err := u.srv.Service.ProvinceWorkload(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	d := &provinceData{P: p}
	var bars []chart.Bar
	for _, a := range p.Agencies {
		if a.Open > 0 && len(bars) < 20 {
			bars = append(bars, chart.Bar{Label: a.Agency.Name, Value: a.PerOfficer,
				Href: "/khoi-luong?don-vi=" + strconv.FormatInt(a.Agency.ID, 10)})
		}
	}
	if len(bars) > 0 {
		d.SVG = svgHTML(chart.HBars("Hồ sơ đang giải quyết bình quân mỗi cán bộ (20 đơn vị cao nhất)",
			"Số hồ sơ đang giải quyết chia cho số cán bộ xử lý của mỗi đơn vị; ngưỡng quá tải "+strconv.Itoa(p.Limit)+".", "hồ sơ/cán bộ", bars))
	}
	u.render(w, r, http.StatusOK, "workload_province", &page{Title: "Khối lượng công việc toàn tỉnh", Section: "workload", Data: d})
}

// loadLabel writes an officer's load for the assignee picker.
func loadLabel(n int, limit int) string {
	s := "đang xử lý " + strconv.Itoa(n) + " hồ sơ"
	if n >= limit {
		s += " – quá tải"
	}
	return s
}
