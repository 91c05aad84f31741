package ui_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// TestDossierPageReadsLikeTheRest (issue 13, defect 9): component names
// read without ".:"; the supplement boxes sit with their labels; the time
// left counts working time, as the inbox does; the file list writes dates
// as every other page does.
func TestDossierPageReadsLikeTheRest(t *testing.T) {
	e := newEnv(t)
	// Received Wednesday 09:00, due three working days later: Monday
	// 09:00.
	e.set(vn(2025, 3, 12, 9, 0))
	code, comps := e.receiveGuardianship()
	var d *motcua.Dossier
	e.db.Read(ctx, func(tx motcua.Tx) (err error) { d, err = tx.DossierByCode(ctx, code); return err })
	if !d.Status.DueAt.Equal(vn(2025, 3, 17, 9, 0)) {
		t.Fatalf("due %v, the test expects Monday 17/03 09:00", d.Status.DueAt)
	}
	b := e.login("motcua.anphu")
	page := b.get("/ho-so/" + code).body
	if strings.Contains(page, ".: ") {
		t.Errorf("a component name ends in \".:\"")
	}
	for _, c := range comps {
		if !c.FromNationalDB && !strings.Contains(page, strings.TrimRight(c.Name, ". ")+": đã nộp") {
			t.Errorf("component %q not listed as handed in", c.Name)
		}
	}
	if !strings.Contains(page, "còn 3 ngày làm việc") {
		t.Errorf("at reception the page does not count 3 working days left")
	}
	// Friday at the end of the day: 1 h 30 of work is left (Monday
	// 07:30–09:00), not "2 ngày 16 giờ".
	e.set(vn(2025, 3, 14, 17, 0))
	b = e.login("motcua.anphu") // the session of Wednesday has lapsed
	page = b.get("/ho-so/" + code).body
	if !strings.Contains(page, "còn 1 giờ 30 phút làm việc") || strings.Contains(page, "countdown") {
		t.Errorf("on Friday evening the page does not count working time: %s", regexp.MustCompile(`còn [^<]*`).FindString(page))
	}
	e.set(vn(2025, 3, 17, 10, 0))
	b = e.login("motcua.anphu")
	if page = b.get("/ho-so/" + code).body; !strings.Contains(page, "quá hạn 1 giờ 0 phút làm việc") {
		t.Errorf("an hour after the appointment: %s", regexp.MustCompile(`quá hạn [^<]*`).FindString(page))
	}

	// The supplement boxes (a specialist at appraisal): each box is in a
	// line with its label.
	e.set(vn(2025, 3, 13, 9, 0))
	if _, err := e.svc.Act(asUser(t, e, "motcua.anphu"), code, serviceTransfer()); err != nil {
		t.Fatal(err)
	}
	page = e.login("cv.anphu").get("/ho-so/" + code).body
	boxes := regexp.MustCompile(`<p class="check"><input type="checkbox" id="m-(\d+)" name="missing" value="\d+"><label for="m-(\d+)">`).FindAllStringSubmatch(page, -1)
	if len(boxes) == 0 {
		t.Fatalf("no supplement box sits with its label:\n%s", page)
	}
	for _, m := range boxes {
		if m[1] != m[2] {
			t.Errorf("box %s labelled for %s", m[1], m[2])
		}
	}
}

// asUser is a context signed in as a demo account.
func asUser(t *testing.T, e *env, name string) context.Context {
	t.Helper()
	var u *motcua.User
	if err := e.db.Read(ctx, func(tx motcua.Tx) (err error) { u, err = tx.UserByUsername(ctx, name); return err }); err != nil {
		t.Fatal(err)
	}
	return motcua.NewContextWithUser(ctx, u)
}

func serviceTransfer() service.ActInput { return service.ActInput{Action: motcua.ActTransfer} }
