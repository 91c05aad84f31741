// Package chart draws the dashboards' charts as SVG on the server, so that
// they need no JavaScript, print well and weigh little. Every chart carries
// a title and a description for screen readers, writes its figures as text
// beside the shapes, and may link each figure to the dossiers behind it.
package chart

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strings"
)

// Palette is the colours of series, chosen to stay distinct in grey print
// and for colour-blind readers (Okabe–Ito).
var Palette = []string{"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"}

// Bar is one figure of a bar chart.
type Bar struct {
	Label string
	Value float64
	// Href, when set, makes the bar a link (to the dossiers behind it).
	Href string
}

type svg struct {
	b strings.Builder
}

// idMark stands for the chart's element id prefix until the chart is
// complete; close replaces it.
const idMark = "\x00id\x00"

func (s *svg) open(w, h int, title, desc string) {
	fmt.Fprintf(&s.b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="100%%" role="img" aria-labelledby="%s-t %s-d" font-family="system-ui,sans-serif" font-size="12">`, w, h, idMark, idMark)
	fmt.Fprintf(&s.b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, idMark, esc(title), idMark, esc(desc))
}

func (s *svg) text(x, y float64, anchor, style, txt string) {
	fmt.Fprintf(&s.b, `<text x="%.1f" y="%.1f" text-anchor="%s"%s>%s</text>`, x, y, anchor, style, esc(txt))
}

func (s *svg) rect(x, y, w, h float64, fill, title, href string) {
	if href != "" {
		fmt.Fprintf(&s.b, `<a href="%s">`, esc(href))
	}
	fmt.Fprintf(&s.b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s</title></rect>`, x, y, math.Max(w, 0), math.Max(h, 0), fill, esc(title))
	if href != "" {
		s.b.WriteString(`</a>`)
	}
}

// close ends the chart and names its title and description by a hash of
// the whole drawing: charts are inlined in pages, where ids must be unique,
// and two different charts get different ids without the caller naming
// them (the same chart twice on a page is the only clash).
func (s *svg) close() []byte {
	s.b.WriteString(`</svg>`)
	out := s.b.String()
	h := fnv.New64a()
	h.Write([]byte(out))
	return []byte(strings.ReplaceAll(out, idMark, fmt.Sprintf("c%016x", h.Sum64())))
}

func esc(s string) string { return html.EscapeString(s) }

// Number formats a number the Vietnamese way: dots between thousands, a
// comma before decimals (at most one).
func Number(x float64) string {
	neg := x < 0
	if neg {
		x = -x
	}
	whole := int64(x)
	frac := int64(math.Round((x - float64(whole)) * 10))
	if frac == 10 {
		whole, frac = whole+1, 0
	}
	digits := fmt.Sprint(whole)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	out := b.String()
	if frac != 0 {
		out += "," + fmt.Sprint(frac)
	}
	if neg {
		out = "-" + out
	}
	return out
}

// niceMax rounds a maximum up to a readable axis end.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// HBars draws horizontal bars, one per figure, labels on the left and
// values at the bars' ends (for long lists such as agencies).
func HBars(title, desc, unit string, bars []Bar) []byte {
	const w, left, right, rowH = 720, 260, 70, 22
	h := 30 + rowH*len(bars) + 10
	var s svg
	s.open(w, h, title, desc)
	max := 0.0
	for _, b := range bars {
		max = math.Max(max, b.Value)
	}
	max = niceMax(max)
	scale := float64(w-left-right) / max
	for i, b := range bars {
		y := float64(30 + i*rowH)
		s.text(left-6, y+15, "end", "", truncate(b.Label, 40))
		s.rect(left, y+3, b.Value*scale, rowH-6, Palette[0], b.Label+": "+Number(b.Value)+" "+unit, b.Href)
		s.text(left+b.Value*scale+4, y+15, "start", "", Number(b.Value))
	}
	s.text(left, 18, "start", ` fill="#555"`, "Đơn vị: "+unit)
	return s.close()
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// Series is one named series of a column or line chart.
type Series struct {
	Name   string
	Values []float64
	Hrefs  []string // optional, per value
}

// Columns draws stacked columns: one column per category (such as a
// month), one colour per series, with a legend and the column totals.
func Columns(title, desc, unit string, categories []string, series []Series) []byte {
	const w, h, left, bottom, top = 720, 300, 60, 40, 40
	var s svg
	s.open(w, h, title, desc)
	n := len(categories)
	totals := make([]float64, n)
	for _, se := range series {
		for i, v := range se.Values {
			if i < n {
				totals[i] += v
			}
		}
	}
	max := 0.0
	for _, t := range totals {
		max = math.Max(max, t)
	}
	max = niceMax(max)
	plotH := float64(h - top - bottom)
	colW := float64(w-left-10) / float64(max1(n))
	for k := 0; k <= 4; k++ { // gridlines
		y := float64(h-bottom) - plotH*float64(k)/4
		fmt.Fprintf(&s.b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`, left, w-10, y, y)
		s.text(left-4, y+4, "end", ` fill="#555"`, Number(max*float64(k)/4))
	}
	for i, c := range categories {
		x := float64(left) + colW*float64(i) + colW*0.15
		y := float64(h - bottom)
		for j, se := range series {
			if i >= len(se.Values) {
				continue
			}
			bh := se.Values[i] / max * plotH
			href := ""
			if i < len(se.Hrefs) {
				href = se.Hrefs[i]
			}
			s.rect(x, y-bh, colW*0.7, bh, Palette[j%len(Palette)], c+" – "+se.Name+": "+Number(se.Values[i])+" "+unit, href)
			y -= bh
		}
		s.text(x+colW*0.35, float64(h-bottom)+14, "middle", "", c)
		s.text(x+colW*0.35, y-3, "middle", ` font-size="10"`, Number(totals[i]))
	}
	legend(&s, series, left, 16)
	return s.close()
}

func max1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

func legend(s *svg, series []Series, x, y int) {
	for j, se := range series {
		fmt.Fprintf(&s.b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/>`, x, y-9, Palette[j%len(Palette)])
		s.text(float64(x+14), float64(y), "start", "", se.Name)
		x += 24 + 8*len([]rune(se.Name))
	}
}

// Lines draws series of percentages (0–100) over categories, with the
// values written at the points; a target line may be drawn (0: none).
func Lines(title, desc string, categories []string, series []Series, target float64) []byte {
	const w, h, left, bottom, top = 720, 280, 50, 40, 40
	var s svg
	s.open(w, h, title, desc)
	plotH := float64(h - top - bottom)
	n := len(categories)
	step := float64(w-left-20) / float64(max1(n-1))
	y := func(v float64) float64 { return float64(h-bottom) - plotH*v/100 }
	for k := 0; k <= 4; k++ {
		yy := y(float64(25 * k))
		fmt.Fprintf(&s.b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#ddd"/>`, left, w-20, yy, yy)
		s.text(left-4, yy+4, "end", ` fill="#555"`, fmt.Sprintf("%d %%", 25*k))
	}
	if target > 0 {
		fmt.Fprintf(&s.b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="#D55E00" stroke-dasharray="4 3"><title>Mục tiêu %s %%</title></line>`,
			left, w-20, y(target), y(target), Number(target))
	}
	for i, c := range categories {
		s.text(float64(left)+step*float64(i), float64(h-bottom)+14, "middle", "", c)
	}
	for j, se := range series {
		col := Palette[j%len(Palette)]
		var pts []string
		for i, v := range se.Values {
			if math.IsNaN(v) {
				continue // no data that month
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", float64(left)+step*float64(i), y(v)))
		}
		fmt.Fprintf(&s.b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`, col, strings.Join(pts, " "))
		for i, v := range se.Values {
			if math.IsNaN(v) {
				continue
			}
			x := float64(left) + step*float64(i)
			fmt.Fprintf(&s.b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s – %s: %s %%</title></circle>`, x, y(v), col, esc(categories[i]), esc(se.Name), Number(v))
			s.text(x, y(v)-6, "middle", ` font-size="10"`, Number(v))
		}
	}
	legend(&s, series, left, 16)
	return s.close()
}

// Share draws a ring showing parts of a whole, with each part's share
// written in the legend.
func Share(title, desc string, parts []Bar) []byte {
	const w, h, cx, cy, r = 360, 200, 90, 100, 70
	var s svg
	s.open(w, h, title, desc)
	total := 0.0
	for _, p := range parts {
		total += p.Value
	}
	if total <= 0 {
		s.text(cx, cy, "middle", "", "Không có số liệu")
		return s.close()
	}
	angle := -math.Pi / 2
	for i, p := range parts {
		a := 2 * math.Pi * p.Value / total
		col := Palette[i%len(Palette)]
		pct := 100 * p.Value / total
		tip := p.Label + ": " + Number(p.Value) + " (" + Number(pct) + " %)"
		if a >= 2*math.Pi-1e-9 {
			fmt.Fprintf(&s.b, `<circle cx="%d" cy="%d" r="%d" fill="none" stroke="%s" stroke-width="28"><title>%s</title></circle>`, cx, cy, r-14, col, esc(tip))
		} else if a > 0 {
			x1, y1 := cx+float64(r-14)*math.Cos(angle), cy+float64(r-14)*math.Sin(angle)
			x2, y2 := cx+float64(r-14)*math.Cos(angle+a), cy+float64(r-14)*math.Sin(angle+a)
			large := 0
			if a > math.Pi {
				large = 1
			}
			fmt.Fprintf(&s.b, `<path d="M%.1f %.1f A%d %d 0 %d 1 %.1f %.1f" fill="none" stroke="%s" stroke-width="28"><title>%s</title></path>`,
				x1, y1, r-14, r-14, large, x2, y2, col, esc(tip))
		}
		angle += a
		fmt.Fprintf(&s.b, `<rect x="180" y="%d" width="10" height="10" fill="%s"/>`, 40+22*i, col)
		s.text(196, float64(49+22*i), "start", "", p.Label+": "+Number(pct)+" %")
	}
	return s.close()
}
