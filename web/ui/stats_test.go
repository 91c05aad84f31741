package ui_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// TestPublicStatistics opens the public statistics page without a session
// and checks its figures against a recount of the demo's dossiers made here
// from their own fields (not through the reports): receptions by channel,
// the dossiers overdue at the end of today by agency, the receptions of
// each month; that every chart is well-formed SVG carrying its figures;
// and that no personal data and no link to the dossiers is shown.
func TestPublicStatistics(t *testing.T) {
	e := newEnv(t)
	r := e.browser().get("/thong-ke")
	expectStatus(t, r, http.StatusOK, "public statistics")
	doc := parseHTML(t, r.body)
	if lead := textOf(findAll(doc, tagged("p", "lead"))[0]); !strings.HasPrefix(lead, "Từ ngày 01/01/2025 đến ngày 10/03/2025 (đến hết ngày hôm nay).") {
		t.Errorf("default period: %q, want the year to date", lead)
	}

	// The recount.
	p := ytd()
	from, to := p.From.Start(), p.To.End()
	var counter, online, post int64
	months := map[time.Month][2]int64{} // online, direct or post
	overdue := map[string]int64{}
	byID, _ := e.svc.AgencyIndex(ctx)
	for _, d := range e.allDossiers() {
		st := d.Status
		if st.ReceivedAt.IsZero() {
			continue
		}
		if !st.ReceivedAt.Before(from) && st.ReceivedAt.Before(to) {
			m := months[st.ReceivedAt.In(motcua.VietnamTime).Month()]
			switch d.Channel {
			case motcua.ChannelOnline:
				online++
				m[0]++
			case motcua.ChannelPost:
				post++
				m[1]++
			default:
				counter++
				m[1]++
			}
			months[st.ReceivedAt.In(motcua.VietnamTime).Month()] = m
		}
		// Pending at the end of today, being handled (not waiting for the
		// applicant), and due before that end: overdue.
		if !st.State.Finished() && st.State != motcua.StateAwaitingSupplement && !st.DueAt.IsZero() && st.DueAt.Before(to) {
			overdue[byID[d.CompetentAgencyID].Name]++
		}
	}
	if counter+online+post < 10 || len(overdue) == 0 {
		t.Fatalf("the demo has too little to check: %d received, overdue %v", counter+online+post, overdue)
	}

	channels := tableRows(t, doc, "kenh")
	want := map[string]string{"Trực tiếp": fmt.Sprint(counter), "Trực tuyến": fmt.Sprint(online), "Dịch vụ bưu chính": fmt.Sprint(post),
		"Tổng cộng": fmt.Sprint(counter + online + post)}
	for label, n := range want {
		if got := channels[label]; len(got) == 0 || got[0] != n {
			t.Errorf("channel %s: page %v, recount %s", label, got, n)
		}
	}
	if got := channels["Trực tiếp"][1]; got != share(counter, counter+online+post) {
		t.Errorf("counter share %q, want %q", got, share(counter, counter+online+post))
	}
	late := tableRows(t, doc, "qua-han")
	if len(late) != len(overdue) {
		t.Errorf("overdue table %v, recount %v", late, overdue)
	}
	for name, n := range overdue {
		if got := late[name]; len(got) == 0 || got[0] != fmt.Sprint(n) {
			t.Errorf("overdue at %s: page %v, recount %d", name, got, n)
		}
	}
	trend := tableRows(t, doc, "theo-thang")
	for m := time.January; m <= time.March; m++ {
		row := trend[fmt.Sprintf("Tháng %d/2025", m)]
		if len(row) < 2 || row[0] != fmt.Sprint(months[m][0]) || row[1] != fmt.Sprint(months[m][1]) {
			t.Errorf("month %d: page %v, recount online %d, direct %d", m, row, months[m][0], months[m][1])
		}
	}
	if len(trend) != 3 {
		t.Errorf("months shown: %v, want January to March", trend)
	}

	// Charts: well-formed, with their figures written.
	svgs := svgsOf(t, r.body)
	if len(svgs) != 4 {
		t.Fatalf("%d charts, want 4 (channels, overdue, receptions and on-time rate by month)", len(svgs))
	}
	for name, n := range overdue {
		if !strings.Contains(svgs[1], name) || !strings.Contains(svgs[1], "|"+fmt.Sprint(n)+"|") {
			t.Errorf("the overdue chart lacks %s: %d in %s", name, n, svgs[1])
		}
	}
	if !strings.Contains(svgs[0], "Trực tiếp: "+strings.TrimSuffix(share(counter, counter+online+post), " %")) {
		t.Errorf("the channel chart lacks the counter's share: %s", svgs[0])
	}

	// Public: no personal data, and no way to the dossiers.
	for _, d := range e.allDossiers() {
		for _, secret := range []string{d.Applicant.IDNumber, d.Applicant.FullName, d.Applicant.Phone, d.Applicant.Address, d.Code} {
			if len(secret) > 3 && strings.Contains(r.body, secret) {
				t.Errorf("the public page shows %q of dossier %s", secret, d.Code)
			}
		}
	}
	if strings.Contains(r.body, "/bao-cao/ho-so") || strings.Contains(r.body, "/ho-so/") {
		t.Error("the public page links to dossiers")
	}
	if len(r.body) > 40*1024 {
		t.Errorf("the public statistics page weighs %d bytes", len(r.body))
	}
	t.Logf("public statistics: %d bytes", len(r.body))
}

// share is the percentage the pages print for num of den.
func share(num, den int64) string {
	x := 1000 * num / den // tenths of a percent, rounded below
	if rem := 1000*num%den*2 >= den; rem {
		x++
	}
	if x%10 == 0 {
		return fmt.Sprintf("%d %%", x/10)
	}
	return fmt.Sprintf("%d,%d %%", x/10, x%10)
}

// TestPeriodSelector chooses periods the ways people do — a year, a
// quarter, a month, a range typed as dd/mm/yyyy or carried in a link as
// ISO dates — and checks the period each page then states; mistakes come
// back by their field, in Vietnamese, with status 422 and no figures. The
// clock is 10/03/2025.
func TestPeriodSelector(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	for _, c := range []struct{ query, period string }{
		{"", "Từ ngày 01/01/2025 đến ngày 10/03/2025 (đến hết ngày hôm nay)."},
		{"ky=nam&nam=2024", "Từ ngày 01/01/2024 đến ngày 31/12/2024."},
		{"ky=quy&nam=2024&quy=4", "Từ ngày 01/10/2024 đến ngày 31/12/2024."},
		{"ky=thang&nam=2024&thang=2", "Từ ngày 01/02/2024 đến ngày 29/02/2024."},
		{"ky=thang&nam=2025&thang=3", "Từ ngày 01/03/2025 đến ngày 10/03/2025 (đến hết ngày hôm nay)."},
		{"ky=quy&nam=2025", "Từ ngày 01/01/2025 đến ngày 10/03/2025 (đến hết ngày hôm nay)."},
		{"ky=khoang&tu=15/2/2025&den=28.02.2025", "Từ ngày 15/02/2025 đến ngày 28/02/2025."},
		{"tu=2025-02-15&den=2025-02-28", "Từ ngày 15/02/2025 đến ngày 28/02/2025."},
		{"ky=khoang&tu=01/03/2025&den=31/12/2025", "Từ ngày 01/03/2025 đến ngày 10/03/2025 (đến hết ngày hôm nay)."},
	} {
		r := b.get("/thong-ke?" + c.query)
		expectStatus(t, r, http.StatusOK, c.query)
		if lead := findAll(parseHTML(t, r.body), tagged("p", "lead")); len(lead) != 1 || !strings.HasPrefix(textOf(lead[0]), c.period) {
			t.Errorf("%q: the page states %q, want %q", c.query, textOf(lead[0]), c.period)
		}
	}
	for _, c := range []struct{ query, field, msg string }{
		{"ky=khoang&tu=31/02/2025&den=01/03/2025", "tu", "Ngày bắt đầu phải có dạng ngày/tháng/năm, ví dụ 01/03/2025."},
		{"ky=khoang&tu=01/03/2025&den=hôm+nay", "den", "Ngày kết thúc phải có dạng ngày/tháng/năm, ví dụ 31/03/2025."},
		{"ky=khoang&tu=10/03/2025&den=01/03/2025", "den", "Ngày kết thúc kỳ báo cáo phải sau hoặc bằng ngày bắt đầu."},
		{"ky=khoang&tu=01/01/2010&den=01/03/2025", "tu", "Kỳ báo cáo dài quá 10 năm."},
		{"ky=khoang&tu=11/03/2025&den=12/03/2025", "tu", "Kỳ thống kê chưa bắt đầu (hôm nay là ngày 10/03/2025), nên chưa có số liệu."},
		{"ky=nam&nam=20x5", "nam", "Năm phải là số có 4 chữ số, ví dụ 2025."},
		{"ky=nam&nam=2026", "nam", "Năm phải từ 2000 đến 2025."},
		{"ky=thang&nam=2025&thang=13", "thang", "Chọn tháng từ 1 đến 12."},
		{"ky=thang&nam=2025&thang=4", "thang", "Kỳ thống kê chưa bắt đầu (hôm nay là ngày 10/03/2025), nên chưa có số liệu."},
		{"ky=quy&nam=2025&quy=0", "quy", "Chọn quý từ I đến IV."},
		{"ky=tuan", "ky", "Chọn kỳ thống kê: năm, quý, tháng hoặc khoảng ngày."},
	} {
		r := b.get("/thong-ke?" + strings.ReplaceAll(c.query, " ", "+"))
		expectStatus(t, r, http.StatusUnprocessableEntity, c.query)
		doc := parseHTML(t, r.body)
		msg := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "f-"+c.field+"-m" })
		if len(msg) != 1 || textOf(msg[0]) != c.msg {
			t.Errorf("%q: message by %s is %v, want %q", c.query, c.field, textsOf(msg), c.msg)
		}
		if ctl := findAll(doc, func(n *html.Node) bool { return attr(n, "id") == "f-"+c.field }); len(ctl) != 1 || attr(ctl[0], "aria-invalid") != "true" {
			t.Errorf("%q: field %s is not marked invalid", c.query, c.field)
		}
		if len(svgsOf(t, r.body)) != 0 || strings.Contains(r.body, `class="kpis"`) {
			t.Errorf("%q: figures shown for a wrong period", c.query)
		}
	}
	// The staff pages read the same selector; the list behind a figure,
	// reached only by links, says what is wrong with the period.
	admin := e.login("admin")
	expectStatus(t, admin.get("/bao-cao/06a?ky=nam&nam=1999"), http.StatusUnprocessableEntity, "06a, year 1999")
	r := admin.get("/bao-cao/ho-so?cot=4&don-vi=0&tu=2025-02-30&den=2025-03-01")
	expectStatus(t, r, http.StatusUnprocessableEntity, "drill-down with a wrong date")
	if !strings.Contains(r.body, "Kỳ thống kê không hợp lệ: Ngày bắt đầu phải có dạng ngày/tháng/năm") {
		t.Errorf("drill-down with a wrong date says:\n%s", r.body)
	}
}

func textsOf(ns []*html.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, textOf(n))
	}
	return out
}

// TestStatisticsOnGeneratedYear checks the headline shares on a
// generated quarter (a third online, most dossiers digitized, some late),
// where they are not trivially 0 or 100 %: the on-time rate against report
// 06a from the dossiers; the online share against the channel table; the
// digitized share against indicator 4.2 of the index; and each month's
// receptions and on-time rate (from the live counters) against report 06a
// of that month from the dossiers.
func TestStatisticsOnGeneratedYear(t *testing.T) {
	e := newEnv(t)
	e.generate(2000)
	r := e.browser().get("/thong-ke")
	expectStatus(t, r, http.StatusOK, "public statistics")
	doc := parseHTML(t, r.body)
	kpi := map[string]string{}
	for _, div := range findAll(doc, func(n *html.Node) bool { return n.Data == "div" && n.Parent != nil && hasClass(n.Parent, "kpis") }) {
		kpi[textOf(children(div, "dt")[0])] = textOf(findAll(div, tagged("strong", ""))[0])
	}
	rep, err := e.svc.Report06a(ctx, ytd(), service.SourceBase)
	if err != nil {
		t.Fatal(err)
	}
	tot := rep.Total
	if want := share(tot.Early+tot.FinishedOnTime, tot.Early+tot.FinishedOnTime+tot.Late); kpi["Giải quyết trước hạn, đúng hạn"] != want || tot.Late == 0 {
		t.Errorf("on-time rate %q, report 06a gives %q (%d late)", kpi["Giải quyết trước hạn, đúng hạn"], want, tot.Late)
	}
	ch := tableRows(t, doc, "kenh")
	online, all := vnInt(t, ch["Trực tuyến"][0]), vnInt(t, ch["Tổng cộng"][0])
	if want := share(online, all); kpi["Nộp trực tuyến"] != want || online == 0 || online == all {
		t.Errorf("online share %q, the channel table gives %q", kpi["Nộp trực tuyến"], want)
	}
	if online+vnInt(t, ch["Trực tiếp"][0])+vnInt(t, ch["Dịch vụ bưu chính"][0]) != all || all != tot.ReceivedOnline+tot.ReceivedDirect {
		t.Errorf("channels %v do not add up to %d received", ch, tot.ReceivedOnline+tot.ReceivedDirect)
	}
	idx, err := e.svc.Index766(ctx, ytd())
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range idx.Units {
		if u.AgencyID != 0 {
			continue
		}
		for _, v := range u.Values {
			if v.ID == "4.2" && (kpi["Hồ sơ được số hóa"] != share(v.Num, v.Den) || v.Num == 0 || v.Num == v.Den) {
				t.Errorf("digitized share %q, indicator 4.2 gives %d of %d", kpi["Hồ sơ được số hóa"], v.Num, v.Den)
			}
		}
	}
	trend := tableRows(t, doc, "theo-thang")
	for m := time.January; m <= time.March; m++ {
		p := motcua.Period{From: motcua.DayOf(vn(2025, m, 1, 12, 0)), To: motcua.DayOf(vn(2025, m+1, 0, 12, 0))}
		if p.To > ytd().To {
			p.To = ytd().To
		}
		mr, err := e.svc.Report06a(ctx, p, service.SourceBase)
		if err != nil {
			t.Fatal(err)
		}
		mt := mr.Total
		handled := mt.Early + mt.FinishedOnTime + mt.Late
		want := []string{chartNumber(mt.ReceivedOnline), chartNumber(mt.ReceivedDirect), chartNumber(handled), share(mt.Early+mt.FinishedOnTime, handled)}
		if got := trend[fmt.Sprintf("Tháng %d/2025", m)]; strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("month %d: page %v, report 06a of the month %v", m, got, want)
		}
	}
}

// chartNumber writes a count with dots between thousands.
func chartNumber(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}
