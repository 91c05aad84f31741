package ui_test

import (
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestComplaintDeadlinesInWorkingDays: a complaint sent on Thursday 3
// April 2025 at 10:00 must be classified in 2 working days and answered in
// 15, by the calendar — Saturdays, Sundays and the Hùng Kings'
// Commemoration (Monday 7 April 2025, 10/3 lunar) do not count — and the
// staff's list warns when a due time comes near and when it has passed.
func TestComplaintDeadlinesInWorkingDays(t *testing.T) {
	e := newEnv(t)
	e.set(vn(2025, 4, 3, 10, 0))
	var rc struct {
		Code        string    `json:"code"`
		Secret      string    `json:"secret"`
		AnswerDueAt time.Time `json:"answer_due_at"`
	}
	dossier := e.dossierCodes("H99.101")[0]
	if r := e.apiCall("POST", "/public-feedback", "", map[string]any{"name": "Lê Văn C", "contact": "0900000001",
		"content": "Cán bộ tiếp nhận hẹn sai ngày trả kết quả.", "dossier_code": dossier}, &rc); r.status != http.StatusCreated {
		t.Fatalf("send: %d %s", r.status, r.body)
	}
	// Fri 4 (1), [Sat 5, Sun 6, Mon 7 holiday], Tue 8 (2) … Fri 25 April
	// is the 15th working day.
	if want := vn(2025, 4, 25, 10, 0); !rc.AnswerDueAt.Equal(want) {
		t.Errorf("answer due %v, want %v", rc.AnswerDueAt, want)
	}
	tok := e.apiToken("ct.anphu")
	var v struct {
		ClassifyDueAt time.Time `json:"classify_due_at"`
		AnswerDueAt   time.Time `json:"answer_due_at"`
		Warning       string    `json:"warning"`
		Name          string    `json:"name"`
	}
	if r := e.apiCall("GET", "/feedback/"+rc.Code, tok, nil, &v); r.status != http.StatusOK {
		t.Fatalf("detail: %d %s", r.status, r.body)
	}
	if want := vn(2025, 4, 8, 10, 0); !v.ClassifyDueAt.Equal(want) || v.Name != "Lê Văn C" {
		t.Errorf("classify due %v (want %v), sender %q", v.ClassifyDueAt, want, v.Name)
	}
	if v.Warning != "due_soon" {
		t.Errorf("warning on the day of reception with 2 working days to classify: %q", v.Warning)
	}
	list := func() (overdue, soon int, page string) {
		var l struct {
			Overdue int `json:"overdue"`
			DueSoon int `json:"due_soon"`
		}
		// Sessions last 12 hours: a fresh one at each moment of the test.
		if r := e.apiCall("GET", "/feedback?due=true", e.apiToken("ct.anphu"), nil, &l); r.status != http.StatusOK {
			t.Fatalf("list: %d %s", r.status, r.body)
		}
		return l.Overdue, l.DueSoon, e.login("ct.anphu").get("/quan-ly/phan-anh").body
	}
	// Tuesday 8 April 10:01: one minute late.
	e.set(vn(2025, 4, 8, 10, 1))
	if o, s, page := list(); o != 1 || s != 0 || !strings.Contains(page, "Quá hạn") {
		t.Errorf("after the classify due time: %d overdue, %d due soon", o, s)
	}
	// Classified in time on Monday? Too late now; classify anyway: the
	// answer's due time stays, and four working days before it the
	// complaint is not yet due soon (warning at 2).
	if r := e.apiCall("POST", "/feedback/"+rc.Code+"/assign", e.apiToken("ct.anphu"), map[string]any{"kind": "conduct"}, nil); r.status != http.StatusOK {
		t.Fatalf("assign: %d %s", r.status, r.body)
	}
	e.set(vn(2025, 4, 21, 10, 0))
	if o, s, _ := list(); o != 0 || s != 0 {
		t.Errorf("four working days before the answer's due time: %d overdue, %d due soon", o, s)
	}
	e.set(vn(2025, 4, 23, 10, 0))
	if o, s, _ := list(); o != 0 || s != 1 {
		t.Errorf("two working days before the answer's due time: %d overdue, %d due soon", o, s)
	}
}

// TestIndicators51to54FromRecords builds April 2025's complaints and
// ratings of An Phú through the API and checks the QĐ 766 indicators
// 5.1–5.4 the index computes from them:
//
//	A: conduct, classified and answered in time, rated 5 — on time, good;
//	B: regulation, answered on 28 April after its due time (25 April) and
//	   rated 1 — late;
//	C: regulation, a repeat of A, open and not yet due at the period's end
//	   — on time, but a repeat;
//	D: never classified, its classify due time (23 April) past at the end
//	   — late.
//
// So 4 complaints, 2 about regulations (5.1), 2 on time (5.2 = 2/4 → 3
// points), 1 neither disliked, late nor repeated (5.3 = 1/4 → 1.5 points).
// All four name dossier X and a returned dossier Y is rated 1: two flagged
// dossiers for 5.4 = (on time − 2) / in scope, with 2.1's own figures
// (four dossiers settled on time in April among them).
func TestIndicators51to54FromRecords(t *testing.T) {
	e := newEnv(t)
	anPhu, _, _ := e.svc.Agency(ctx, "H99.101")
	// Four dossiers settled on time in April, so that 5.4 has something
	// to take the flagged ones from.
	e.set(vn(2025, 4, 2, 9, 0))
	ys := e.resultReadyAtAnPhu(4)
	x := e.dossierCodes("H99.101")[0]
	send := func(at time.Time, content string) (code, secret string) {
		e.set(at)
		var rc struct{ Code, Secret string }
		if r := e.apiCall("POST", "/public-feedback", "", map[string]any{"name": "Người gửi", "contact": "nguoi.gui@example.vn",
			"content": content, "dossier_code": x}, &rc); r.status != http.StatusCreated {
			t.Fatalf("send: %d %s", r.status, r.body)
		}
		return rc.Code, rc.Secret
	}
	do := func(at time.Time, path string, body map[string]any) {
		e.set(at)
		if r := e.apiCall("POST", path, e.apiToken("ct.anphu"), body, nil); r.status != http.StatusOK {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
	}
	rate := func(at time.Time, code, secret string, level int) {
		e.set(at)
		if r := e.apiCall("POST", "/public-feedback/status/rating", "", map[string]any{"code": code, "secret": secret, "level": level},
			nil); r.status != http.StatusOK {
			t.Fatalf("rate %s: %d %s", code, r.status, r.body)
		}
	}
	a, as := send(vn(2025, 4, 3, 10, 0), "A: cán bộ không hướng dẫn đầy đủ.")
	b, bs := send(vn(2025, 4, 3, 10, 5), "B: quy định yêu cầu bản sao có chứng thực không cần thiết.")
	do(vn(2025, 4, 4, 9, 0), "/feedback/"+a+"/assign", map[string]any{"kind": "conduct"})
	do(vn(2025, 4, 4, 9, 5), "/feedback/"+b+"/assign", map[string]any{"kind": "regulation"})
	do(vn(2025, 4, 14, 9, 0), "/feedback/"+a+"/answer", map[string]any{"answer": "Đã nhắc nhở cán bộ và hướng dẫn lại."})
	do(vn(2025, 4, 28, 9, 0), "/feedback/"+b+"/answer", map[string]any{"answer": "Sẽ kiến nghị sửa đổi quy định này."})
	rate(vn(2025, 4, 14, 15, 0), a, as, 5)
	rate(vn(2025, 4, 28, 15, 0), b, bs, 1)
	c, _ := send(vn(2025, 4, 21, 10, 0), "C: cán bộ không hướng dẫn đầy đủ (lần hai).")
	do(vn(2025, 4, 22, 9, 0), "/feedback/"+c+"/assign", map[string]any{"kind": "regulation", "repeat_of": a})
	send(vn(2025, 4, 21, 10, 30), "D: chưa được trả lời.")
	// Y is returned and rated "very dissatisfied" in April.
	y := ys[0]
	e.set(vn(2025, 4, 10, 9, 0))
	if r := e.login("motcua.anphu").post("/ho-so/"+y.Code+"/thao-tac", map[string][]string{"action": {"return"}}); r.status != http.StatusSeeOther {
		t.Fatalf("return Y: %d", r.status)
	}
	if r := e.apiCall("POST", "/dossiers/"+y.Code+"/rating", "", map[string]any{"verifier": y.Verifier, "level": 1, "attitude": 2, "trips": 2},
		nil); r.status != http.StatusCreated {
		t.Fatalf("rate Y: %d %s", r.status, r.body)
	}

	e.set(vn(2025, 5, 20, 9, 0))
	var rep struct {
		Units []struct {
			Agency *struct {
				ID int64 `json:"id"`
			} `json:"agency"`
			Values []motcua.IndicatorValue `json:"values"`
		} `json:"units"`
	}
	if r := e.apiCall("GET", "/reports/index766?from=2025-04-01&to=2025-04-30", "", nil, &rep); r.status != http.StatusOK {
		t.Fatalf("index: %d %s", r.status, r.body)
	}
	vals := map[string]motcua.IndicatorValue{}
	for _, u := range rep.Units {
		if u.Agency != nil && u.Agency.ID == anPhu.ID {
			for _, v := range u.Values {
				vals[v.ID] = v
			}
		}
	}
	if len(vals) == 0 {
		t.Fatalf("An Phú is not in the index: %+v", rep.Units)
	}
	check := func(id string, num, den int64, points float64, status string) {
		t.Helper()
		v := vals[id]
		if v.Status != status || v.Num != num || v.Den != den || math.Abs(v.Points-points) > 1e-9 {
			t.Errorf("%s = %+v, want %d/%d, %.4f points, %s", id, v, num, den, points, status)
		}
	}
	check("5.1", 2, 4, 0, "display")
	if !strings.Contains(vals["5.1"].Reason, "2 phản ánh, kiến nghị về quy định hành chính, 1 về hành vi") {
		t.Errorf("5.1 says %q", vals["5.1"].Reason)
	}
	check("5.2", 2, 4, 3, "ok")
	check("5.3", 1, 4, 1.5, "ok")
	v21 := vals["2.1"]
	if v21.Status != "ok" || v21.Den == 0 {
		t.Fatalf("2.1 = %+v", v21)
	}
	num := v21.Num - 2
	if num <= 0 {
		t.Fatalf("2.1 = %+v: too few on time for 5.4 to show the flagged dossiers", v21)
	}
	ratio := float64(num) / float64(v21.Den)
	want := 6.0
	if ratio < 0.9 {
		want = ratio * 6 / 0.9
	}
	check("5.4", num, v21.Den, want, "ok")
}
