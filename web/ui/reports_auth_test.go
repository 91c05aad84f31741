package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestReportsNeedStaffAndScope checks who may open what: the staff area
// sends a visitor without a session to the sign-in page and back; a
// commune's officer sees the province's report (public figures) but only
// his commune's dossiers behind them, the service's refusal shown in its
// Vietnamese words with status 403; and the session cookie of the pages
// also opens the JSON list behind a figure, which refuses a visitor.
func TestReportsNeedStaffAndScope(t *testing.T) {
	e := newEnv(t)
	names := e.agencyByName()
	anPhu, hoaBinh := names["Ủy ban nhân dân xã An Phú"].ID, names["Ủy ban nhân dân xã Hòa Bình"].ID
	drill := func(agency int64, col int) string {
		return fmt.Sprintf("/bao-cao/ho-so?cot=%d&don-vi=%d&tu=2025-01-01&den=2025-03-10", col, agency)
	}
	anon := e.browser()
	for _, path := range []string{"/bao-cao", "/bao-cao/06a", "/bao-cao/chi-so-766", drill(anPhu, 3)} {
		r := anon.get(path)
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/dang-nhap?tiep=") {
			t.Errorf("%s without a session: %d to %q, want the sign-in page", path, r.status, loc)
		}
	}
	officer := e.login("motcua.anphu")
	expectStatus(t, officer.get("/bao-cao/06a"), http.StatusOK, "report 06a for a commune's officer")
	own := officer.get(drill(anPhu, 3))
	expectStatus(t, own, http.StatusOK, "own commune's dossiers")
	if !strings.Contains(own.body, "H99.101-") {
		t.Error("the officer's own list shows none of An Phú's dossiers")
	}
	for _, path := range []string{drill(hoaBinh, 3), drill(hoaBinh, 13), drill(0, 3),
		fmt.Sprintf("/bao-cao/ho-so?chi-tieu=766.2.1&don-vi=%d&tu=2025-01-01&den=2025-03-10", hoaBinh)} {
		r := officer.get(path)
		expectStatus(t, r, http.StatusForbidden, path)
		if !strings.Contains(r.body, "Bạn chỉ xem được hồ sơ của đơn vị mình hoặc đơn vị cấp dưới.") || strings.Contains(r.body, "H99.103-") {
			t.Errorf("%s: the refusal is not the service's, or shows dossiers:\n%s", path, r.body)
		}
	}
	for _, c := range []struct{ path, msg string }{
		{fmt.Sprintf("/bao-cao/ho-so?cot=2&don-vi=%d", anPhu), "Cột cần xem chi tiết phải là một số từ 3 đến 13 của biểu 06a."},
		{fmt.Sprintf("/bao-cao/ho-so?chi-tieu=766.9.9&don-vi=%d", anPhu), "Chỉ tiêu cần xem chi tiết không hợp lệ."},
		{"/bao-cao/ho-so?cot=3&don-vi=x", "Mã đơn vị cần xem không hợp lệ."},
	} {
		r := officer.get(c.path)
		expectStatus(t, r, http.StatusUnprocessableEntity, c.path)
		if !strings.Contains(r.body, c.msg) {
			t.Errorf("%s: want %q", c.path, c.msg)
		}
	}
	api := fmt.Sprintf("/api/v1/reports/dossiers?figure=06a.5&agency_id=%d&from=2025-01-01&to=2025-03-10", anPhu)
	expectStatus(t, anon.get(api), http.StatusUnauthorized, "JSON list without a session")
	r := officer.get(api)
	expectStatus(t, r, http.StatusOK, "JSON list with the page's cookie")
	if !strings.Contains(r.body, `"code":"H99.101-`) {
		t.Errorf("JSON list: %s", r.body)
	}
}

// TestStatisticsLinks checks the way to the pages: the public menu and
// home page lead to the public statistics, the staff menu and home page to
// the staff area; the staff dashboard links its figures to their dossiers
// (the list behind each agency's overdue figure holds that many), and the
// public page does not.
func TestStatisticsLinks(t *testing.T) {
	e := newEnv(t)
	home := e.browser().get("/")
	if n := strings.Count(home.body, `href="/thong-ke"`); n < 2 {
		t.Errorf("the public home page links %d times to the statistics (menu and page)", n)
	}
	if strings.Contains(home.body, `href="/bao-cao"`) {
		t.Error("the public menu offers the staff reports")
	}
	specialist := e.login("cv.anphu")
	staffHome := specialist.get("/")
	if n := strings.Count(staffHome.body, `href="/bao-cao"`); n < 2 {
		t.Errorf("the staff home page links %d times to the reports (menu and page)", n)
	}
	r := specialist.get("/bao-cao")
	expectStatus(t, r, http.StatusOK, "staff dashboard")
	if !strings.Contains(r.body, `<a href="/bao-cao" aria-current="page">Báo cáo</a>`) {
		t.Error("the staff menu does not mark the reports as current")
	}
	doc := parseHTML(t, r.body)
	late := tableRows(t, doc, "qua-han")
	if len(late) == 0 {
		t.Fatal("no overdue agency on the staff dashboard")
	}
	admin := e.login("admin")
	for name, cells := range late {
		var href string
		for _, tr := range findAll(doc, tagged("tr", "")) {
			if ths := children(tr, "th"); len(ths) == 1 && textOf(ths[0]) == name {
				href = link(tr)
			}
		}
		if !strings.Contains(href, "cot=13") {
			t.Errorf("%s's overdue figure links to %q", name, href)
			continue
		}
		codes, _, _ := drillCount(t, admin, href)
		if fmt.Sprint(total(codes)) != cells[0] {
			t.Errorf("%s: %s overdue, the list holds %d", name, cells[0], total(codes))
		}
	}
	// The headline figures lead to their dossiers too: the receptions and
	// the dossiers overdue (the sum of the agencies').
	var sumLate int64
	for _, cells := range late {
		sumLate += vnInt(t, cells[0])
	}
	kpis := map[string]*html.Node{}
	for _, div := range findAll(doc, func(n *html.Node) bool { return n.Data == "div" && n.Parent != nil && hasClass(n.Parent, "kpis") }) {
		kpis[textOf(children(div, "dt")[0])] = children(div, "dd")[0]
	}
	for label, want := range map[string]int64{"Hồ sơ tiếp nhận": vnInt(t, textOf(findAll(kpis["Hồ sơ tiếp nhận"], tagged("strong", ""))[0])),
		"Đang giải quyết quá hạn": sumLate} {
		codes, figure, _ := drillCount(t, admin, link(kpis[label]))
		if total(codes) != want || figure != want || want == 0 {
			t.Errorf("%s: %d, its list states %d and holds %d", label, want, figure, total(codes))
		}
	}
	if svgs := svgsOf(t, r.body); len(svgs) != 4 || !strings.Contains(r.body, `<a href="/bao-cao/ho-so?cot=13`) {
		t.Errorf("staff charts: %d, linked bars: %v", len(svgs), strings.Contains(r.body, `<a href="/bao-cao/ho-so?cot=13`))
	}
}
