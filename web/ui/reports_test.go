package ui_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// table06a reads the rendered report 06a: the agency (or "Tổng cộng") →
// columns 3…13 with each cell's link.
type cells06a map[int]struct {
	N    int64
	Href string
}

func read06a(t *testing.T, body string) (order []string, rows map[string]cells06a) {
	t.Helper()
	doc := parseHTML(t, body)
	tables := findAll(doc, tagged("table", "r06a"))
	if len(tables) != 1 {
		t.Fatalf("%d report tables", len(tables))
	}
	rows = map[string]cells06a{}
	for _, tr := range findAll(tables[0], tagged("tr", "")) {
		ths := children(tr, "th")
		if len(ths) != 1 || attr(ths[0], "scope") != "row" {
			continue
		}
		name := textOf(ths[0])
		c := cells06a{}
		for _, td := range children(tr, "td") {
			if col := attr(td, "data-col"); col != "" {
				var n int
				fmt.Sscan(col, &n)
				c[n] = struct {
					N    int64
					Href string
				}{vnInt(t, textOf(td)), link(td)}
			}
		}
		if len(c) != 11 {
			t.Fatalf("row %s has %d figures, want columns 3 to 13", name, len(c))
		}
		order = append(order, name)
		rows[name] = c
	}
	return order, rows
}

// TestReport06aPage renders report 06a for the year to date as the
// administrator and checks it against the service's report cell by cell
// and row by row in its order; the invariants 3 = 4 + 5 + 6, 7 = 8 + 9 + 10,
// 11 = 12 + 13 and 3 = 7 + 11 on every rendered row; the total as the sum
// of the rendered rows; the same table from the live counters; and the
// CSV and Excel downloads the page links to, fetched with the page's
// session.
func TestReport06aPage(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin")
	r := admin.get("/bao-cao/06a")
	expectStatus(t, r, http.StatusOK, "report 06a")
	order, rows := read06a(t, r.body)
	rep, err := e.svc.Report06a(ctx, ytd(), service.SourceBase)
	if err != nil {
		t.Fatal(err)
	}
	byID, _ := e.svc.AgencyIndex(ctx)
	if len(order) != len(rep.Rows)+1 || order[len(order)-1] != "Tổng cộng" {
		t.Fatalf("rows %v for %d agencies", order, len(rep.Rows))
	}
	var sum [14]int64
	for i, row := range rep.Rows {
		name := byID[row.AgencyID].Name
		if order[i] != name {
			t.Errorf("row %d is %s, the report's is %s", i+1, order[i], name)
		}
		for c := 3; c <= 13; c++ {
			if got := rows[name][c].N; got != row.Col(c) {
				t.Errorf("%s column %d: page %d, report %d", name, c, got, row.Col(c))
			}
			sum[c] += rows[name][c].N
		}
	}
	for name, c := range rows {
		if c[3].N != c[4].N+c[5].N+c[6].N || c[7].N != c[8].N+c[9].N+c[10].N || c[11].N != c[12].N+c[13].N || c[3].N != c[7].N+c[11].N {
			t.Errorf("%s: the rendered row does not add up: %+v", name, c)
		}
		for col, x := range c {
			if !strings.HasPrefix(x.Href, "/bao-cao/ho-so?") || !strings.Contains(x.Href, fmt.Sprintf("cot=%d", col)) {
				t.Errorf("%s column %d links to %q", name, col, x.Href)
			}
		}
	}
	for c := 3; c <= 13; c++ {
		if rows["Tổng cộng"][c].N != sum[c] {
			t.Errorf("total of column %d: %d, rows add up to %d", c, rows["Tổng cộng"][c].N, sum[c])
		}
	}
	if sum[3] == 0 || sum[13] == 0 || sum[8] == 0 {
		t.Fatalf("the demo's report is too empty to check: %v", sum)
	}
	if !strings.Contains(r.body, "Mọi dòng thỏa: (3) = (4) + (5) + (6)") {
		t.Error("the page does not state the invariants")
	}

	// The live counters give the same table.
	live := admin.get("/bao-cao/06a?nguon=live")
	expectStatus(t, live, http.StatusOK, "report 06a from the counters")
	liveOrder, liveRows := read06a(t, live.body)
	for i, name := range order {
		if liveOrder[i] != name {
			t.Errorf("live row %d is %s, base %s", i, liveOrder[i], name)
		}
		for c := 3; c <= 13; c++ {
			if liveRows[name][c].N != rows[name][c].N {
				t.Errorf("%s column %d: live %d, base %d", name, c, liveRows[name][c].N, rows[name][c].N)
			}
		}
	}
	if !strings.Contains(live.body, "Nguồn số liệu: bộ đếm cập nhật theo thời gian thực") {
		t.Error("the live report does not say where its figures come from")
	}
	bad := admin.get("/bao-cao/06a?nguon=doan")
	expectStatus(t, bad, http.StatusUnprocessableEntity, "unknown source")
	if m := findAll(parseHTML(t, bad.body), func(n *html.Node) bool { return attr(n, "id") == "f-nguon-m" }); len(m) != 1 || !strings.Contains(textOf(m[0]), "Nguồn số liệu phải là") {
		t.Errorf("unknown source: %v", textsOf(m))
	}

	// Downloads, as the browser follows the page's links with its cookie.
	doc := parseHTML(t, r.body)
	var xlsxHref, csvHref string
	for _, a := range findAll(doc, tagged("a", "")) {
		switch textOf(a) {
		case "Excel (.xlsx)":
			xlsxHref = attr(a, "href")
		case "CSV":
			csvHref = attr(a, "href")
		}
	}
	x := admin.get(xlsxHref)
	if x.status != http.StatusOK || !strings.HasPrefix(x.header.Get("Content-Type"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") || !strings.HasPrefix(x.body, "PK") {
		t.Errorf("Excel link %s: %d %s", xlsxHref, x.status, x.header.Get("Content-Type"))
	}
	c := admin.get(csvHref)
	expectStatus(t, c, http.StatusOK, "CSV link")
	recs, err := csv.NewReader(strings.NewReader(c.body)).ReadAll()
	if err != nil || len(recs) != len(order)+1 {
		t.Fatalf("CSV: %v, %d records for %d rows", err, len(recs), len(order))
	}
	for i, rec := range recs[1:] {
		name := rec[1]
		if name != order[i] {
			t.Errorf("CSV row %d is %s, page %s", i, name, order[i])
		}
		for col := 3; col <= 13; col++ {
			if rec[col-1] != fmt.Sprint(rows[name][col].N) {
				t.Errorf("CSV %s column %d: %s, page %d", name, col, rec[col-1], rows[name][col].N)
			}
		}
	}
}

// drillCount follows a figure's link through every page of its list and
// returns the dossier codes listed under each part heading (one part: "").
func drillCount(t *testing.T, b *browser, href string) (codes map[string][]string, figure int64, pages int) {
	t.Helper()
	codes = map[string][]string{}
	figure = -1
	seen := map[string]bool{}
	for href != "" {
		r := b.get(href)
		expectStatus(t, r, http.StatusOK, href)
		pages++
		doc := parseHTML(t, r.body)
		if pages == 1 {
			if f := findAll(doc, tagged("strong", "figure")); len(f) == 1 {
				figure = vnInt(t, textOf(f[0]))
			}
		}
		tables := findAll(doc, tagged("table", "drill"))
		if len(tables) != 1 {
			t.Fatalf("%s: no list", href)
		}
		part, n := "", 0
		for _, tr := range findAll(tables[0], tagged("tr", "")) {
			if hasClass(tr, "part") {
				part = textOf(tr)
				continue
			}
			code := findAll(tr, tagged("td", "code"))
			if len(code) != 1 {
				continue
			}
			c := textOf(code[0])
			if seen[c] {
				t.Errorf("%s listed twice", c)
			}
			seen[c] = true
			codes[part] = append(codes[part], c)
			n++
		}
		if n > 50 {
			t.Errorf("%s: %d dossiers on one page", href, n)
		}
		href = ""
		for _, a := range findAll(doc, tagged("a", "")) {
			if attr(a, "rel") == "next" {
				href = attr(a, "href")
			}
		}
	}
	return codes, figure, pages
}

func total(codes map[string][]string) int64 {
	n := 0
	for _, c := range codes {
		n += len(c)
	}
	return int64(n)
}

// TestDrillDownEqualsFigures follows every figure of report 06a, for every
// agency and the province, to its list: the list holds as many dossiers as
// the figure, the page states the figure, and no personal data is listed.
// The provincial administrator opens the lists of every unit, the vertical
// agencies (the provincial police…) included, which hang under the
// province; the police's own head opens the police's lists but not the
// province's. The dossiers overdue at Hòa Bình are also recounted here
// from their own fields.
func TestDrillDownEqualsFigures(t *testing.T) {
	e := newEnv(t)
	admin := e.login("admin")
	police := e.login("tp.congan")
	_, rows := read06a(t, admin.get("/bao-cao/06a").body)
	policeRow, ok := rows["Công an tỉnh Mẫu"]
	if !ok {
		t.Fatal("the demo's report has no row for the provincial police")
	}
	if r := police.get(policeRow[3].Href); r.status != http.StatusOK {
		t.Errorf("the police's head cannot open the police's list: %d", r.status)
	}
	if r := police.get(rows["Tổng cộng"][3].Href); r.status != http.StatusForbidden {
		t.Errorf("the police's head opens the province's list: %d", r.status)
	}
	for name, cells := range rows {
		b := admin
		for col, c := range cells {
			codes, figure, _ := drillCount(t, b, c.Href)
			if got := total(codes); got != c.N || figure != c.N {
				t.Errorf("%s column %d: figure %d, the list states %d and holds %d", name, col, c.N, figure, got)
			}
		}
	}
	hoaBinh := e.agencyByName()["Ủy ban nhân dân xã Hòa Bình"]
	want := map[string]bool{}
	to := ytd().To.End()
	for _, d := range e.allDossiers() {
		st := d.Status
		if d.CompetentAgencyID == hoaBinh.ID && !st.ReceivedAt.IsZero() && !st.State.Finished() && st.State != motcua.StateAwaitingSupplement && st.DueAt.Before(to) {
			want[d.Code] = true
		}
	}
	codes, _, _ := drillCount(t, admin, rows["Ủy ban nhân dân xã Hòa Bình"][13].Href)
	if len(codes[""]) != len(want) || len(want) == 0 {
		t.Errorf("overdue at Hòa Bình: listed %v, recount %v", codes, want)
	}
	for _, c := range codes[""] {
		if !want[c] {
			t.Errorf("%s listed as overdue at Hòa Bình", c)
		}
	}
	// Column 3 of the total lists its parts under their headings.
	codes, _, _ = drillCount(t, admin, rows["Tổng cộng"][3].Href)
	for part, col := range map[string]int{"Tiếp nhận trực tuyến trong kỳ": 4, "Tiếp nhận trực tiếp, qua dịch vụ bưu chính trong kỳ": 5, "Từ kỳ trước chuyển sang": 6} {
		if int64(len(codes[part])) != rows["Tổng cộng"][col].N {
			t.Errorf("column 3, part %q: %d listed, column %d is %d", part, len(codes[part]), col, rows["Tổng cộng"][col].N)
		}
	}
	// No personal data in any list.
	r := admin.get(rows["Tổng cộng"][3].Href)
	for _, d := range e.allDossiers() {
		for _, secret := range []string{d.Applicant.IDNumber, d.Applicant.FullName, d.Applicant.Phone, d.Applicant.Address} {
			if len(secret) > 3 && strings.Contains(r.body, secret) {
				t.Errorf("the list shows %q of %s", secret, d.Code)
			}
		}
	}
}

// TestDrillDownPages adds a few hundred generated dossiers so that lists
// run over several pages, and follows the province's totals of columns 3,
// 7 and 11 (each made of parts) and a single figure through all their
// pages: every dossier once, as many as the figure, parts in their order.
func TestDrillDownPages(t *testing.T) {
	e := newEnv(t)
	e.generate(1500)
	admin := e.login("admin")
	_, rows := read06a(t, admin.get("/bao-cao/06a").body)
	tot := rows["Tổng cộng"]
	if tot[3].N <= 120 {
		t.Fatalf("only %d dossiers to handle: not enough for several pages", tot[3].N)
	}
	for _, col := range []int{3, 5, 7, 11} {
		codes, figure, pages := drillCount(t, admin, tot[col].Href)
		if got := total(codes); got != tot[col].N || figure != tot[col].N {
			t.Errorf("column %d: figure %d, the list states %d and holds %d", col, tot[col].N, figure, got)
		}
		if want := int((tot[col].N + 49) / 50); pages != want {
			t.Errorf("column %d: %d dossiers on %d pages", col, tot[col].N, pages)
		}
		t.Logf("column %d: %d dossiers on %d pages", col, tot[col].N, pages)
	}
	codes, _, _ := drillCount(t, admin, tot[7].Href)
	for part, col := range map[string]int{"Đã giải quyết trước hạn": 8, "Đã giải quyết quá hạn": 10} {
		if int64(len(codes[part])) != tot[col].N {
			t.Errorf("column 7, part %q: %d listed, column %d is %d", part, len(codes[part]), col, tot[col].N)
		}
	}
	if int64(len(codes["Đã giải quyết đúng hạn"])+len(codes["Đang chờ bổ sung (tính là đúng hạn)"])) != tot[9].N {
		t.Errorf("column 7: on time and waiting listed %d + %d, column 9 is %d", len(codes["Đã giải quyết đúng hạn"]),
			len(codes["Đang chờ bổ sung (tính là đúng hạn)"]), tot[9].N)
	}
}
