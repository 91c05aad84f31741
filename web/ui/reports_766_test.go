package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// indicatorRow is an indicator as the index page shows it.
type indicatorRow struct {
	Name, Figures, Ratio, Rule, Points string
	Links                              []string
	NoData                             bool
}

func readIndicators(t *testing.T, doc *html.Node) map[string]indicatorRow {
	t.Helper()
	out := map[string]indicatorRow{}
	for _, tr := range findAll(doc, func(n *html.Node) bool { return n.Data == "tr" && attr(n, "data-indicator") != "" }) {
		tds := children(tr, "td")
		row := indicatorRow{Name: textOf(children(tr, "th")[0])}
		if len(tds) == 4 {
			row.Figures, row.Ratio, row.Rule, row.Points = textOf(tds[0]), textOf(tds[1]), textOf(tds[2]), textOf(tds[3])
			for _, a := range findAll(tds[0], tagged("a", "")) {
				row.Links = append(row.Links, attr(a, "href"))
			}
		} else {
			row.Figures, row.Rule, row.Points = textOf(tds[0]), textOf(tds[1]), textOf(tds[2])
			row.NoData = hasClass(tds[0], "no_data")
		}
		out[attr(tr, "data-indicator")] = row
	}
	return out
}

// TestIndex766Page renders the QĐ 766 index for the province and for a
// commune: indicators without their inputs say "Chưa có dữ liệu" with the
// missing input and earn nothing; the scoring rule is stated; points follow
// from the figures shown (worked out here: 2.1 has no threshold, so its
// points are 20 × on time ÷ in scope; 4.2's threshold is 80 %); each group's
// points are the sum of its indicators'; the unit's total matches the
// table of units; and the figures with a list of dossiers link to it, the
// list holding as many dossiers as the figure.
func TestIndex766Page(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin")
	r := admin.get("/bao-cao/chi-so-766")
	expectStatus(t, r, http.StatusOK, "index")
	doc := parseHTML(t, r.body)
	units := tableRows(t, doc, "don-vi")
	if first := findAll(findAll(doc, tagged("table", "units766"))[0], tagged("th", "")); len(first) < 5 || textOf(first[4]) != "Toàn tỉnh" {
		t.Errorf("the province is not the first unit: %v", textsOf(first))
	}
	for _, name := range []string{"Toàn tỉnh", "Ủy ban nhân dân xã An Phú", "Ủy ban nhân dân xã Hòa Bình", "Sở Nội vụ tỉnh Mẫu"} {
		if _, ok := units[name]; !ok {
			t.Errorf("unit %s missing from %v", name, units)
		}
	}
	rep, err := e.svc.Index766(ctx, ytd())
	if err != nil {
		t.Fatal(err)
	}
	if len(units) != len(rep.Units) {
		t.Errorf("%d units shown, the index has %d", len(units), len(rep.Units))
	}

	check := func(t *testing.T, body, unitName string) {
		doc := parseHTML(t, body)
		ind := readIndicators(t, doc)
		if len(ind) != 24 {
			t.Fatalf("%d indicators shown, want the 24 of the configuration", len(ind))
		}
		// No data: said so, with the missing input, and no points.
		for id, want := range map[string]string{
			"1.1": "Chưa có dữ liệu: ngày ban hành quyết định công bố và ngày công khai thủ tục.",
			"3.6": "Chưa có dữ liệu: dữ liệu thanh toán trực tuyến.",
			"5.4": "Chưa có dữ liệu: dữ liệu phản ánh, kiến nghị và đánh giá của người dân.",
		} {
			if row := ind[id]; !row.NoData || row.Figures != want || row.Points != "—" {
				t.Errorf("%s %s: %+v, want %q without points", unitName, id, row, want)
			}
		}
		if rule := ind["4.2"].Rule; rule != "Tỷ lệ từ 80 % trở lên: 4 điểm; thấp hơn: tỷ lệ × 4 ÷ 80 %." {
			t.Errorf("rule of 4.2: %q", rule)
		}
		if rule := ind["2.1"].Rule; rule != "Điểm = tỷ lệ × 20 (đủ 20 điểm khi đạt 100 %)." {
			t.Errorf("rule of 2.1: %q", rule)
		}
		if rule := ind["3.3"].Rule; !strings.HasPrefix(rule, "Chưa tính điểm") {
			t.Errorf("rule of 3.3: %q", rule)
		}
		// 2.1: on time / in scope → 20 × ratio points.
		var onTime, scope int64
		if _, err := fmt.Sscanf(ind["2.1"].Figures, "%d / %d", &onTime, &scope); err != nil || scope == 0 {
			t.Fatalf("2.1 figures %q", ind["2.1"].Figures)
		}
		if want := decimal2(20*float64(onTime)/float64(scope)) + "/20"; ind["2.1"].Points != want {
			t.Errorf("%s 2.1: %d of %d on time gives %s, page %s", unitName, onTime, scope, want, ind["2.1"].Points)
		}
		var dig, recv int64
		fmt.Sscanf(ind["4.2"].Figures, "%d / %d", &dig, &recv)
		want42 := 4.0
		if float64(dig)/float64(recv) < 0.8 {
			want42 = float64(dig) / float64(recv) * 4 / 0.8
		}
		if ind["4.2"].Points != decimal2(want42)+"/4" {
			t.Errorf("%s 4.2: %d of %d digitized gives %s/4, page %s", unitName, dig, recv, decimal2(want42), ind["4.2"].Points)
		}
		// Groups add up; the unit's total is the table's.
		var sum float64
		for _, h3 := range findAll(doc, tagged("h3", "")) {
			var g int
			var pts, max float64
			txt := strings.ReplaceAll(textOf(h3), ",", ".")
			if _, err := fmt.Sscanf(txt[strings.Index(txt, "–")+len("– "):], "%g/%g", &pts, &max); err != nil {
				t.Fatalf("group heading %q: %v", textOf(h3), err)
			}
			fmt.Sscanf(txt, "Nhóm %d.", &g)
			var inGroup float64
			for id, row := range ind {
				if groupOf[id] == g && row.Points != "—" {
					var p float64
					fmt.Sscanf(strings.ReplaceAll(row.Points, ",", "."), "%g/", &p)
					inGroup += p
				}
			}
			if fmt.Sprintf("%.2f", inGroup) != fmt.Sprintf("%.2f", pts) {
				t.Errorf("%s group %d: %g points, its indicators add up to %g", unitName, g, pts, inGroup)
			}
			sum += pts
		}
		if got := units[unitName][1]; got != decimal2(sum) {
			t.Errorf("%s: the groups add up to %s, the table says %s", unitName, decimal2(sum), got)
		}
		// Figures linked to their dossiers.
		for id, n := range map[string]int{"2.1": 2, "4.2": 2, "4.3": 1} {
			row := ind[id]
			if len(row.Links) < n {
				t.Errorf("%s %s: links %v", unitName, id, row.Links)
				continue
			}
		}
		codes, figure, _ := drillCount(t, admin, ind["2.1"].Links[0])
		if total(codes) != scope || figure != scope {
			t.Errorf("%s 2.1: %d in scope, the list states %d and holds %d", unitName, scope, figure, total(codes))
		}
		codes, figure, _ = drillCount(t, admin, ind["4.2"].Links[0])
		if total(codes) != dig || figure != dig {
			t.Errorf("%s 4.2: %d digitized, the list states %d and holds %d", unitName, dig, figure, total(codes))
		}
		late := ind["2.1"].Links[1]
		codes, _, _ = drillCount(t, admin, late)
		if total(codes) != scope-onTime {
			t.Errorf("%s 2.1: %d not on time, the list holds %d", unitName, scope-onTime, total(codes))
		}
	}
	t.Run("province", func(t *testing.T) { check(t, r.body, "Toàn tỉnh") })
	anPhu := e.agencyByName()["Ủy ban nhân dân xã An Phú"]
	t.Run("commune", func(t *testing.T) {
		r := admin.get(fmt.Sprintf("/bao-cao/chi-so-766?don-vi=%d", anPhu.ID))
		expectStatus(t, r, http.StatusOK, "index of An Phú")
		if !strings.Contains(r.body, `<h2 id="chi-tiet">Ủy ban nhân dân xã An Phú:`) {
			t.Error("the chosen unit is not An Phú")
		}
		check(t, r.body, "Ủy ban nhân dân xã An Phú")
	})
	thue := e.agencyByName()["Thuế tỉnh Mẫu"]
	r = admin.get(fmt.Sprintf("/bao-cao/chi-so-766?don-vi=%d", thue.ID))
	expectStatus(t, r, http.StatusNotFound, "index of a unit without dossiers")
	if !strings.Contains(r.body, "Đơn vị này không có trong chỉ số của kỳ đã chọn") {
		t.Errorf("unit without dossiers:\n%s", r.body)
	}
	expectStatus(t, admin.get("/bao-cao/chi-so-766?don-vi=abc"), http.StatusUnprocessableEntity, "malformed unit")
}

// groupOf is the group of each indicator in the default configuration
// (domain-vn.md §5, six groups).
var groupOf = map[string]int{"1.1": 1, "1.2": 1, "1.3": 1, "1.4": 1, "2.1": 2, "2.2": 2, "3.0": 3, "3.1": 3, "3.2": 3, "3.3": 3,
	"3.5": 4, "3.5b": 4, "3.6": 4, "4.1": 5, "4.2": 5, "4.2b": 5, "4.3": 5, "4.4": 5, "4.5b": 5, "4.5a": 5, "5.1": 6, "5.2": 6, "5.3": 6, "5.4": 6}

// decimal2 writes x as the pages do: at most two decimals, a comma.
func decimal2(x float64) string {
	s := strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.2f", x), "0"), ".")
	return strings.Replace(s, ".", ",", 1)
}
