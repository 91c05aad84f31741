package ui_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// need returns the path of a program the browser test needs, skipping the
// test when it is missing unless the environment variable require is 1
// (CI sets it), where a missing program fails the test.
func need(t *testing.T, require, program, install string) string {
	t.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		if os.Getenv(require) == "1" {
			t.Fatalf("%s is required (%s=1) but missing: %s", program, require, install)
		}
		t.Skipf("%s missing (%s); skipping", program, install)
	}
	return p
}

// artifacts is where screenshots and printed forms are kept for people to
// look at: test-artifacts/ui at the top of the repository.
func artifacts(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "..", "test-artifacts", "ui"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestBrowserFlow runs the main flows in real headless Chromium: a commune
// officer logs in, finds birth registration typed without diacritics,
// fills the applicant with one CCCD QR scan, ticks the components, receives
// the dossier and gets the receipt; the dossier is transferred, appraised
// by the specialist, approved by the vice-chairman, its result issued and
// returned at the counter; the same reception is done with JavaScript off.
// Then the receipt's QR code is decoded, and a citizen opens its address
// on a phone and sees the state without personal data. Last, a visitor
// opens the public statistics page (charts drawn, a quarter chosen with the
// selector) and the administrator follows the total of column 3 of report
// 06a to the list of dossiers behind it. The citizen rates the returned
// dossier on the QR's page, and a complaint about it is sent from a phone,
// answered and published by the vice-chairman, and rated by its sender.
func TestBrowserFlow(t *testing.T) {
	const install = "apt-get install chromium nodejs npm; cd web/ui/e2e && npm ci"
	need(t, "MOTCUA_REQUIRE_CHROMIUM", "chromium", install)
	node := need(t, "MOTCUA_REQUIRE_CHROMIUM", "node", install)
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "playwright-core")); err != nil {
		if os.Getenv("MOTCUA_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("playwright-core is not installed in web/ui/e2e: %s", install)
		}
		t.Skipf("playwright-core is not installed in web/ui/e2e (%s); skipping", install)
	}
	e := newEnv(t)
	dir := artifacts(t)
	run := func(args ...string) map[string]any {
		t.Helper()
		c, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(c, node, append([]string{"flow.mjs"}, args...)...)
		cmd.Dir = "e2e"
		var stderr strings.Builder
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("node flow.mjs %s: %v\n%s\n%s", args[0], err, out, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		var res map[string]any
		if err := json.Unmarshal([]byte(lines[len(lines)-1]), &res); err != nil {
			t.Fatalf("node flow.mjs %s printed %q", args[0], out)
		}
		return res
	}
	res := run("officer", e.ts.URL, dir)
	code, _ := res["code"].(string)
	t.Logf("dossier %s received in %.1f s of scripted typing", code, res["receptionSeconds"])

	// The history the browser made is the one the service keeps.
	var d *motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err }); err != nil {
		t.Fatal(err)
	}
	if d.Status.State != motcua.StateReturned || d.Applicant.Source != motcua.SourceIDCardQR || d.Applicant.Phone != "0912345678" || d.Status.ResultNumber != "101/2025/KS" {
		t.Errorf("dossier after the flow: state %s, source %s, phone %s, result %s", d.Status.State, d.Applicant.Source, d.Applicant.Phone, d.Status.ResultNumber)
	}

	// Decode the receipt's QR code as a phone would read it.
	ppm := need(t, "MOTCUA_REQUIRE_PDFTOOLS", "pdftoppm", "apt-get install poppler-utils")
	zbar := need(t, "MOTCUA_REQUIRE_PDFTOOLS", "zbarimg", "apt-get install zbar-tools")
	png := filepath.Join(t.TempDir(), "receipt")
	if out, err := exec.Command(ppm, "-r", "150", "-png", "-singlefile", filepath.Join(dir, "receipt.pdf"), png).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v %s", err, out)
	}
	out, err := exec.Command(zbar, "--raw", "-q", png+".png").Output()
	if err != nil {
		t.Fatalf("no QR code on the receipt: %v", err)
	}
	url := strings.TrimSpace(string(out))
	if want := e.ts.URL + "/tra-cuu?k=" + d.LookupSecret + "&ma=" + code; url != want || len(d.LookupSecret) != motcua.LookupSecretLen {
		t.Fatalf("the receipt's QR code holds %q, want %q", url, want)
	}
	run("citizen", url, dir, code)
	// The citizen rated the returned dossier from the QR's page.
	var rt *motcua.Rating
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { rt, err = tx.DossierRating(ctx, d.ID); return err }); err != nil ||
		rt.Level != motcua.LevelVerySatisfied || rt.Attitude != 4 || rt.Channel != motcua.RateLookup {
		t.Errorf("the rating the browser gave: %+v %v", rt, err)
	}
	// A complaint about it, answered, published and rated.
	pa, _ := run("complaint", e.ts.URL, dir, code)["code"].(string)
	var f *motcua.Feedback
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { f, err = tx.FeedbackByCode(ctx, pa); return err }); err != nil ||
		f.State != motcua.FeedbackAnswered || f.DossierID != d.ID || f.Kind != motcua.KindConduct || f.PublishedAt.IsZero() ||
		f.AnswerLevel != motcua.LevelSatisfied {
		t.Errorf("the complaint the browser followed: %+v %v", f, err)
	}

	txt := need(t, "MOTCUA_REQUIRE_PDFTOOLS", "pdftotext", "apt-get install poppler-utils")
	sheet, err := exec.Command(txt, filepath.Join(dir, "control.pdf"), "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", code, "Chuyển xử lý", "Phê duyệt", "Ban hành kết quả", "Trả kết quả", "Đinh Văn Phúc"} {
		if !strings.Contains(string(sheet), s) {
			t.Errorf("control sheet lacks %q", s)
		}
	}

	res = run("stats", e.ts.URL, dir)
	ytd := motcua.Period{From: motcua.DayOf(vn(2025, 1, 1, 12, 0)), To: motcua.DayOf(testNow)}
	rep, err := e.svc.Report06a(ctx, ytd, service.SourceBase)
	if err != nil {
		t.Fatal(err)
	}
	if want := rep.Total.Col(3); res["figure"] != float64(want) || res["listed"] != float64(min(want, 50)) {
		t.Errorf("the browser read %v dossiers in column 3 and listed %v behind it; the report has %d", res["figure"], res["listed"], want)
	}

	// The counter with a queue ticket: the dossier received ends the ticket
	// the officer called.
	res = run("queue", e.ts.URL, dir)
	qcode, _ := res["code"].(string)
	var qd *motcua.Dossier
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { qd, err = tx.DossierByCode(ctx, qcode); return err }); err != nil {
		t.Fatal(err)
	}
	var tickets []*motcua.Ticket
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { tickets, err = tx.Tickets(ctx, motcua.TicketFilter{}); return err })
	if res["ticket"] != "A001" || len(tickets) != 1 || tickets[0].DossierID != qd.ID || tickets[0].State != motcua.TicketDone || tickets[0].Counter != "3" {
		t.Errorf("the queue flow: ticket %v, stored %+v, dossier %s (%d)", res["ticket"], tickets, qcode, qd.ID)
	}
}
