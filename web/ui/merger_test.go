package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// emptyMerger adds two communes without staff or dossiers, merges one
// into the other and undoes it; it returns the merger's id.
func (e *env) emptyMerger() int64 {
	e.t.Helper()
	anPhu, _, err := e.svc.Agency(ctx, "H99.101")
	if err != nil {
		e.t.Fatal(err)
	}
	var ids []int64
	for _, c := range []string{"H99.191", "H99.192"} {
		a := &motcua.Agency{Code: c, Name: "Ủy ban nhân dân xã Thử " + c, Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, ParentID: anPhu.ParentID}
		if err := e.svc.SetupAgency(ctx, a); err != nil {
			e.t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	rep, err := e.svc.Merge(e.as("admin"), service.MergeInput{Predecessors: ids[1:], SuccessorID: ids[0], Decision: "Nghị quyết thử"}, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.svc.UndoMerger(e.as("admin"), rep.Merger.ID); err != nil {
		e.t.Fatal(err)
	}
	return rep.Merger.ID
}

// TestMergerPages walks the administrator through a merger of two
// communes: the dry run's report and its files, the confirmation, the
// progress page with the result, the reports by old units and by the
// successor, and the undo.
func TestMergerPages(t *testing.T) {
	e := newEnv(t)
	b := e.login("admin")
	anPhu, _, _ := e.svc.Agency(ctx, "H99.101")
	hoaBinh, _, _ := e.svc.Agency(ctx, "H99.103")
	form := url.Values{"co_quan": {itoa(hoaBinh.ID)}, "ke_thua": {itoa(anPhu.ID)}, "quyet_dinh": {"Nghị quyết số 1656/NQ-UBTVQH15"}}

	open := e.dossierCodes("H99.103", motcua.StateProcessing)
	if len(open) == 0 {
		t.Fatal("no dossier in processing at Hòa Bình")
	}
	page := b.get("/quan-tri/sap-nhap")
	if page.status != http.StatusOK || !strings.Contains(page.body, "Đợt sáp nhập mới") {
		t.Fatalf("mergers page: %d", page.status)
	}
	empty := b.post("/quan-tri/sap-nhap/chay-thu", url.Values{"quyet_dinh": {"NQ"}})
	if empty.status != http.StatusUnprocessableEntity || !strings.Contains(empty.body, "Chưa chọn cơ quan nào để sáp nhập.") {
		t.Errorf("empty merger: %d", empty.status)
	}
	plan := b.post("/quan-tri/sap-nhap/chay-thu", form)
	if plan.status != http.StatusOK || !strings.Contains(plan.body, "Báo cáo chạy thử") || !strings.Contains(plan.body, "Xác nhận sáp nhập") {
		t.Fatalf("dry run: %d %s", plan.status, plan.body)
	}
	csvForm := url.Values{}
	for k, v := range form {
		csvForm[k] = v
	}
	csvForm.Set("tai", "csv")
	file := b.post("/quan-tri/sap-nhap/chay-thu", csvForm)
	if !strings.HasPrefix(file.body, "\uFEFF") || !strings.Contains(file.header.Get("Content-Disposition"), ".csv") || !strings.Contains(file.body, "Biểu 06a") {
		t.Errorf("report file: %q %q", file.header.Get("Content-Disposition"), file.body[:min(len(file.body), 80)])
	}
	if _, _, err := e.svc.Agency(ctx, "H99.103"); err != nil {
		t.Fatal(err)
	}
	start := b.post("/quan-tri/sap-nhap", form)
	if start.status != http.StatusSeeOther || start.header.Get("Location") != "/quan-tri/sap-nhap/tien-do" {
		t.Fatalf("start: %d %q", start.status, start.header.Get("Location"))
	}
	var done string
	for range 200 {
		p := b.get("/quan-tri/sap-nhap/tien-do")
		if !strings.Contains(p.body, "Đang chuyển hồ sơ") {
			done = p.body
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !strings.Contains(done, "Đã sáp nhập") {
		t.Fatalf("progress page never showed the result: %s", done)
	}
	for _, q := range []string{"xem=don-vi-cu", "xem=ke-thua"} {
		r := b.get("/bao-cao/06a?ky=nam&nam=2025&" + q)
		if r.status != http.StatusOK {
			t.Errorf("report 06a %s: %d", q, r.status)
		}
		r = b.get("/bao-cao/chi-so-766?ky=nam&nam=2025&" + q)
		if r.status != http.StatusOK {
			t.Errorf("index 766 %s: %d", q, r.status)
		}
	}
	if list := b.get("/quan-tri/co-quan"); !strings.Contains(list.body, "Đã sáp nhập vào "+anPhu.Name) {
		t.Errorf("the agency list does not say Hòa Bình was merged into An Phú")
	}
	// Hòa Bình's staff, now An Phú's, see the moved dossier and the row
	// that says it moved.
	hb := e.login("ct.hoabinh")
	if v := hb.get("/ho-so/" + open[0]); v.status != http.StatusOK || !strings.Contains(v.body, motcua.ActMerge.Label()) {
		t.Errorf("moved dossier %s as Hòa Bình's leader: %d", open[0], v.status)
	}
	ms, err := e.svc.Mergers(e.as("admin"))
	if err != nil || len(ms) != 1 {
		t.Fatalf("mergers: %v %v", ms, err)
	}
	undo := b.post("/quan-tri/sap-nhap/"+itoa(ms[0].ID)+"/hoan-tac", nil)
	if undo.status != http.StatusSeeOther {
		t.Fatalf("undo: %d %s", undo.status, undo.body)
	}
	if again := b.post("/quan-tri/sap-nhap/"+itoa(ms[0].ID)+"/hoan-tac", nil); again.status != http.StatusConflict || !strings.Contains(again.body, "đã được hoàn tác") {
		t.Errorf("second undo: %d", again.status)
	}
}
