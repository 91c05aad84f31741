package ui

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/chart"
)

// The 06a table written in Go. The page has a line per agency (about a
// hundred in a province) of eleven figures, each a link to its dossiers:
// over a thousand cells, and html/template spent about 12 ms of CPU on
// them (a function called by reflection and an escaper per value, the
// drill-down address encoded from a url.Values for every cell) — the
// longest request of the staff workload, on which other requests queued
// (issue 15). The HTML is what the template wrote, byte for byte
// (reports_06a_html_test.go renders both).

// table06a writes the table's lines: the <tbody>'s content (rows) and the
// total's line (the <tfoot>'s content).
func table06a(p motcua.Period, rows []row06a, total row06a) (body, foot template.HTML) {
	from, to := url.QueryEscape(isoDay(p.From)), url.QueryEscape(isoDay(p.To))
	var b strings.Builder
	if len(rows) == 0 {
		b.WriteString(`<tr><td colspan="13">Không có hồ sơ nào trong kỳ.</td></tr>`)
	} else {
		b.Grow(len(rows) * 1400)
	}
	for i := range rows {
		r := &rows[i]
		b.WriteString("<tr><td>")
		b.WriteString(strconv.Itoa(r.N))
		b.WriteString(`</td><th scope="row">`)
		htmlText(&b, r.Name)
		b.WriteString("</th>")
		cells06a(&b, r, from, to)
		b.WriteString("</tr>\n")
	}
	body = template.HTML(b.String())
	var f strings.Builder
	f.WriteString(`<tr><td></td><th scope="row">`)
	htmlText(&f, total.Name)
	f.WriteString("</th>")
	cells06a(&f, &total, from, to)
	f.WriteString("</tr>")
	return body, template.HTML(f.String())
}

// cells06a writes a line's figures, each linked to the list of its
// dossiers: drillHref's address for the line's agency, written directly
// (its query's keys in url.Values.Encode's order: cot, den, don-vi, tu)
// and escaped for the attribute.
func cells06a(b *strings.Builder, r *row06a, from, to string) {
	agency := url.QueryEscape(strconv.FormatInt(r.Agency, 10))
	for _, c := range r.Cells {
		col := strconv.Itoa(c.Col)
		b.WriteString(`<td data-col="`)
		b.WriteString(col)
		b.WriteString(`"><a href="/bao-cao/ho-so?cot=`)
		b.WriteString(col)
		b.WriteString("&amp;den=")
		urlPath(b, to)
		b.WriteString("&amp;don-vi=")
		urlPath(b, agency)
		b.WriteString("&amp;tu=")
		urlPath(b, from)
		b.WriteString(`">`)
		htmlText(b, chart.Number(float64(c.N)))
		b.WriteString("</a></td>")
	}
}
