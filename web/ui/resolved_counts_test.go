package ui_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// TestResolvedCountsAgreeOrSayWhy (issue 13, defect 5): the public board
// and the statistics page count a dossier waiting for a supplement as not
// yet handled, report 06a as handled on time. Wherever the two numbers can
// be compared, the page shows 06a's number next to its own with the
// reason, and the numbers add up: own + waiting = column 7.
func TestResolvedCountsAgreeOrSayWhy(t *testing.T) {
	e := newEnv(t)
	board, err := e.svc.ProgressBoard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	year := board.Year.Total
	if year.Waiting == 0 {
		t.Fatal("the demo has no dossier waiting for a supplement")
	}
	today := motcua.DayOf(testNow)
	rep, err := e.svc.Report06a(ctx, motcua.Period{From: motcua.DayOfDate(2025, 1, 1), To: today}, service.SourceBase)
	if err != nil {
		t.Fatal(err)
	}
	if int64(year.Handled06a()) != rep.Total.Col(7) || int64(year.Finished()) != rep.Total.Col(7)-rep.Total.Waiting {
		t.Errorf("board: %d finished + %d waiting; 06a column 7 = %d (of which %d waiting)",
			year.Finished(), year.Waiting, rep.Total.Col(7), rep.Total.Waiting)
	}
	page := e.browser().get("/bang-tien-do").body
	want := fmt.Sprintf("Biểu mẫu 06a đếm %d hồ sơ đã giải quyết: nó tính cả %d hồ sơ đang chờ người nộp bổ sung", year.Handled06a(), year.Waiting)
	if !strings.Contains(page, want) {
		t.Errorf("the board does not give 06a's number with the reason (%q)", want)
	}

	d, err := e.svc.Dashboard(ctx, motcua.Period{From: motcua.DayOfDate(2025, 1, 1), To: motcua.DayOfDate(2025, 12, 31)})
	if err != nil {
		t.Fatal(err)
	}
	stats := e.browser().get("/thong-ke").body
	want = fmt.Sprintf("của %d hồ sơ đã giải quyết; biểu 06a đếm %d vì tính cả %d hồ sơ đang chờ bổ sung", d.Handled, d.Handled+d.Waiting, d.Waiting)
	if d.Waiting == 0 || !strings.Contains(stats, want) {
		t.Errorf("the statistics page does not give 06a's number with the reason (%q)", want)
	}
}
