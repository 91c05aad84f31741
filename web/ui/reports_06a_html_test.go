package ui

import (
	"html/template"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/chart"
)

// table06aTemplate is the template table06a replaced, kept here as the
// reference its output must equal byte for byte.
const table06aTemplate = `{{define "body"}}{{range .}}<tr><td>{{.N}}</td><th scope="row">{{.Name}}</th>{{range .Cells}}<td data-col="{{.Col}}"><a href="{{.Href}}">{{num .N}}</a></td>{{end}}</tr>
{{else}}<tr><td colspan="13">Không có hồ sơ nào trong kỳ.</td></tr>{{end}}{{end}}` +
	`{{define "foot"}}<tr><td></td><th scope="row">{{.Name}}</th>{{range .Cells}}<td data-col="{{.Col}}"><a href="{{.Href}}">{{num .N}}</a></td>{{end}}</tr>{{end}}`

// refCell and refRow are what the template read: a cell with its
// address, built by drillHref.
type refCell struct {
	Col  int
	N    int64
	Href string
}

type refRow struct {
	N     int
	Name  string
	Cells []refCell
}

func refRowOf(p motcua.Period, r row06a) refRow {
	out := refRow{N: r.N, Name: r.Name}
	for _, c := range r.Cells {
		out.Cells = append(out.Cells, refCell{Col: c.Col, N: c.N, Href: drillHref(p, r.Agency, c.Col, "")})
	}
	return out
}

func TestTable06aIsTheTemplatesHTML(t *testing.T) {
	ref := template.Must(template.New("t").Funcs(template.FuncMap{
		"num": func(n int64) string { return chart.Number(float64(n)) },
	}).Parse(table06aTemplate))
	// Names with everything html/template escapes; figures from zero to
	// millions and negative (a fault the page must still show as it is).
	names := []string{"Sở Tư pháp", `<b>"A" & B's + C</b>`, "x\x00y", "", "UBND xã Hòa Bình"}
	figures := []int64{0, 7, 999, 1000, 12345, 1234567, -42, 1 << 40}
	periods := []motcua.Period{
		{From: motcua.DayOfDate(2026, 1, 1), To: motcua.DayOfDate(2026, 12, 6)},
		{From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 3, 31)},
	}
	var rows []row06a
	for i, name := range names {
		r := row06a{N: i + 1, Name: name, Agency: int64([]int{5, 103, 1, 0, 99999}[i])}
		for c := 3; c <= 13; c++ {
			r.Cells = append(r.Cells, cell06a{Col: c, N: figures[(i+c)%len(figures)]})
		}
		rows = append(rows, r)
	}
	total := row06a{Name: "Tổng cộng", Cells: rows[0].Cells}
	for _, p := range periods {
		for _, n := range []int{0, 1, len(rows)} {
			var refRows []refRow
			for _, r := range rows[:n] {
				refRows = append(refRows, refRowOf(p, r))
			}
			var wantBody, wantFoot strings.Builder
			if err := ref.ExecuteTemplate(&wantBody, "body", refRows); err != nil {
				t.Fatal(err)
			}
			if err := ref.ExecuteTemplate(&wantFoot, "foot", refRowOf(p, total)); err != nil {
				t.Fatal(err)
			}
			body, foot := table06a(p, rows[:n], total)
			if string(body) != wantBody.String() {
				t.Errorf("%v, %d rows, body:\n got %q\nwant %q", p, n, body, wantBody.String())
			}
			if string(foot) != wantFoot.String() {
				t.Errorf("%v, foot:\n got %q\nwant %q", p, foot, wantFoot.String())
			}
		}
	}
}
