package chart_test

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/motcua/motcua/chart"
)

// wellFormed parses the SVG as XML and returns its text content.
func wellFormed(t *testing.T, b []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var text strings.Builder
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, b)
		}
		if c, ok := tok.(xml.CharData); ok {
			text.Write(c)
			text.WriteByte('|')
		}
	}
	return text.String()
}

func TestCharts(t *testing.T) {
	h := chart.HBars("Hồ sơ quá hạn theo đơn vị", "Số hồ sơ đang quá hạn", "hồ sơ",
		[]chart.Bar{{Label: "Ủy ban nhân dân xã An Phú", Value: 12, Href: "/bao-cao/ho-so?figure=06a.13&a=1&b=2"}, {Label: "Sở <Nội vụ>", Value: 1250}})
	text := wellFormed(t, h)
	for _, want := range []string{"Hồ sơ quá hạn theo đơn vị", "Ủy ban nhân dân xã An Phú", "1.250", "Sở <Nội vụ>"} {
		if !strings.Contains(text, want) {
			t.Errorf("bars lack %q in %s", want, text)
		}
	}
	if !bytes.Contains(h, []byte(`href="/bao-cao/ho-so?figure=06a.13&amp;a=1&amp;b=2"`)) {
		t.Error("the bar's link is missing or unescaped")
	}
	c := chart.Columns("Hồ sơ tiếp nhận theo kênh", "Theo tháng", "hồ sơ", []string{"T1", "T2"},
		[]chart.Series{{Name: "Trực tiếp", Values: []float64{100, 80}}, {Name: "Trực tuyến", Values: []float64{50, 70}}})
	if text := wellFormed(t, c); !strings.Contains(text, "150") || !strings.Contains(text, "Trực tuyến") {
		t.Errorf("columns: %s", text)
	}
	l := chart.Lines("Tỷ lệ đúng hạn", "Theo tháng", []string{"T1", "T2", "T3"},
		[]chart.Series{{Name: "Đúng hạn", Values: []float64{98.5, math.NaN(), 99}}}, 95)
	if text := wellFormed(t, l); !strings.Contains(text, "98,5") || strings.Contains(text, "NaN") {
		t.Errorf("lines: %s", text)
	}
	s := chart.Share("Kênh nộp", "Tỷ lệ", []chart.Bar{{Label: "Trực tuyến", Value: 1}, {Label: "Trực tiếp", Value: 3}})
	if text := wellFormed(t, s); !strings.Contains(text, "Trực tuyến: 25 %") {
		t.Errorf("share: %s", text)
	}
	if text := wellFormed(t, chart.Share("Kênh", "", nil)); !strings.Contains(text, "Không có số liệu") {
		t.Errorf("empty share: %s", text)
	}
	for in, want := range map[float64]string{0: "0", 1234567: "1.234.567", 99.77: "99,8", 12.04: "12", -3.5: "-3,5"} {
		if got := chart.Number(in); got != want {
			t.Errorf("Number(%v) = %q, want %q", in, got, want)
		}
	}
}

// TestChartIDsAreUniqueOnAPage inlines several charts in one page, as the
// dashboards do: every id must be unique on the page, and each chart's
// aria-labelledby must name its own title and description.
func TestChartIDsAreUniqueOnAPage(t *testing.T) {
	charts := [][]byte{
		chart.HBars("Hồ sơ quá hạn", "Theo đơn vị", "hồ sơ", []chart.Bar{{Label: "Sở Nội vụ", Value: 2}}),
		chart.HBars("Hồ sơ quá hạn", "Theo đơn vị", "hồ sơ", []chart.Bar{{Label: "Sở Nội vụ", Value: 3}}),
		chart.Share("Kênh nộp", "Tỷ lệ", []chart.Bar{{Label: "Trực tuyến", Value: 1}}),
		chart.Lines("Tỷ lệ đúng hạn", "Theo tháng", []string{"T1"}, []chart.Series{{Name: "Đúng hạn", Values: []float64{100}}}, 0),
		chart.Columns("Hồ sơ tiếp nhận", "Theo tháng", "hồ sơ", []string{"T1"}, []chart.Series{{Name: "Trực tuyến", Values: []float64{4}}}),
	}
	seen := map[string]int{}
	for i, c := range charts {
		wellFormed(t, c)
		d := xml.NewDecoder(bytes.NewReader(c))
		own := map[string]bool{}
		var labelledBy string
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			se, ok := tok.(xml.StartElement)
			if !ok {
				continue
			}
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					seen[a.Value]++
					own[a.Value] = true
				case "aria-labelledby":
					labelledBy = a.Value
				}
			}
		}
		refs := strings.Fields(labelledBy)
		if len(refs) != 2 {
			t.Errorf("chart %d: aria-labelledby %q", i, labelledBy)
		}
		for _, r := range refs {
			if !own[r] {
				t.Errorf("chart %d: aria-labelledby names %q, which is not in the chart", i, r)
			}
		}
	}
	for id, n := range seen {
		if n > 1 {
			t.Errorf("id %q appears in %d charts", id, n)
		}
	}
}
