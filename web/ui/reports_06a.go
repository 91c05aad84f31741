package ui

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// report06aData is report II.06a as the page lays it out.
type report06aData struct {
	statsData
	Source string
	// Body and Foot are the table's lines and its total's, written in Go
	// (table06a).
	Body, Foot template.HTML
	// Unbalanced names the rows where 3 ≠ 7 + 11: every dossier to handle
	// is handled or pending, so this flags a fault to report, not a rounding.
	Unbalanced []string
	// Downloads are the same report as a workbook and as CSV.
	XLSX, CSV string
	// AsOf is when the figures hold every change up to (a replica may lag),
	// for people; Replica says they were read from the report replica.
	AsOf    string
	Replica bool
}

// row06a is a line of the report: columns 3 to 13 of an agency (0: the
// province), each linked to the dossiers behind it (drillHref).
type row06a struct {
	N      int // TT; 0 on the total
	Name   string
	Agency int64
	Cells  []cell06a
}

type cell06a struct {
	Col int
	N   int64
}

// sourceOptions are the two ways of computing the report.
var sourceOptions = optionsOf(service.SourceBase, "Tính từ hồ sơ (số liệu gốc)", service.SourceLive, "Bộ đếm cập nhật theo thời gian thực")

// report06a shows report II.06a for a period: the official table with its
// merged headers, one row per agency in the report's order and the
// province's total, every figure linked to its dossiers.
func (u *UI) report06a(w http.ResponseWriter, r *http.Request) {
	if u.staff(w, r) == nil {
		return
	}
	sd, f := u.newStatsData(r, "/bao-cao/06a")
	sd.Sources, sd.Views = sourceOptions, mergerViews
	d := &report06aData{statsData: *sd, Source: f.Trim("nguon")}
	// The counters by default: they give the dossiers' figures in
	// milliseconds, where computing them from the dossiers scans the
	// period (a second on a province-year) — a page leaders open at any
	// time must not cost that. The dossiers stay one choice away.
	if d.Source == "" {
		d.Source = service.SourceLive
	}
	f.Values.Set("nguon", d.Source)
	const title = "Báo cáo tình hình, kết quả giải quyết TTHC (Biểu II.06a)"
	show := func(status int) {
		u.render(w, r, status, "report06a", &page{Title: title, Section: "reports", Form: f, Data: d})
	}
	if !sd.Shown {
		show(http.StatusUnprocessableEntity)
		return
	}
	rep, err := u.srv.Service.Report06aView(r.Context(), sd.Period.Period, d.Source, mergerView(f))
	if err != nil {
		f.fail(err)
		if msg := f.Errors["source"]; msg != "" {
			f.Errors["nguon"] = msg
			d.Shown = false
			show(http.StatusUnprocessableEntity)
			return
		}
		u.fail(w, r, err)
		return
	}
	agencies, err := u.srv.Service.AgencyIndex(r.Context())
	if err != nil {
		u.fail(w, r, err)
		return
	}
	p := sd.Period.Period
	line := func(n int, agency int64, name string, row motcua.Row06a) row06a {
		out := row06a{N: n, Name: name, Agency: agency, Cells: make([]cell06a, 0, 11)}
		for c := 3; c <= 13; c++ {
			out.Cells = append(out.Cells, cell06a{Col: c, N: row.Col(c)})
		}
		return out
	}
	rows := make([]row06a, 0, len(rep.Rows))
	for i, row := range rep.Rows {
		name := "Đơn vị " + strconv.FormatInt(row.AgencyID, 10)
		if a, ok := agencies[row.AgencyID]; ok {
			name = a.Name
		}
		rows = append(rows, line(i+1, row.AgencyID, name, row))
		if !row.Balanced() {
			d.Unbalanced = append(d.Unbalanced, name)
		}
	}
	d.AsOf, d.Replica = motcua.FormatDateTime(rep.AsOf), rep.FromReplica
	d.Body, d.Foot = table06a(p, rows, line(0, 0, "Tổng cộng", rep.Total))
	if !rep.Total.Balanced() {
		d.Unbalanced = append(d.Unbalanced, "Tổng cộng")
	}
	q := url.Values{"from": {isoDay(p.From)}, "to": {isoDay(p.To)}, "source": {d.Source}, "view": {mergerView(f)}}
	q.Set("format", "xlsx")
	d.XLSX = "/api/v1/reports/06a?" + q.Encode()
	q.Set("format", "csv")
	d.CSV = "/api/v1/reports/06a?" + q.Encode()
	show(http.StatusOK)
}
