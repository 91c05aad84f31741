package service_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestWarningEscalatedInSimulatedTime moves the service clock across the
// transfer deadline of a dossier received at a commune's counter, running
// the warning job on two instances at each moment: the officer who holds
// it is told it is due soon, then overdue; after four working hours the
// head of the unit is told (the commune has none: its leader), after a
// working day the leader; each once, each in the dossier's history, each
// in the recipient's notification list.
func TestWarningEscalatedInSimulatedTime(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		svcs := f.instances(2)
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678"))
		if err != nil {
			t.Fatal(err)
		}
		d := res.Dossier
		due := d.Status.ActionDueAt
		if due.IsZero() {
			t.Fatal("a received dossier has no transfer deadline")
		}
		job := func(s *service.Service) (int, error) { return s.WarnClocks(ctx) }
		mine := func() []*motcua.DossierWarning {
			t.Helper()
			var ws []*motcua.DossierWarning
			if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { ws, err = tx.DossierWarningsOf(ctx, d.ID); return err }); err != nil {
				t.Fatal(err)
			}
			var out []*motcua.DossierWarning
			for _, w := range ws {
				if w.Clock == motcua.ClockAction {
					out = append(out, w)
				}
			}
			return out
		}
		levels := func() []string {
			var out []string
			for _, w := range mine() {
				out = append(out, w.Level)
			}
			return out
		}
		cal := f.svc.Calendar()

		// Three working hours before: nothing (the short lead is two).
		f.set(due.Add(-3 * time.Hour))
		if w := cal.WorkingBetween(due.Add(-3*time.Hour), due); w != 3*time.Hour {
			t.Fatalf("the test needs three working hours before the deadline (%v), got %v", due, w)
		}
		runAll(t, svcs, job)
		if l := levels(); len(l) != 0 {
			t.Fatalf("warned %v more than two working hours before the deadline", l)
		}
		// A minute before: due soon, to the officer who holds it.
		f.set(due.Add(-time.Minute))
		runAll(t, svcs, job)
		runAll(t, svcs, job)
		if l := levels(); !slices.Equal(l, []string{motcua.LevelDueSoon}) {
			t.Fatalf("levels a minute before = %v", l)
		}
		officer := f.as("motcua.anphu")
		if ws := mine(); !slices.Contains(ws[0].UserIDs, motcua.UserFromContext(officer).ID) {
			t.Fatalf("due-soon warning went to %v, not the reception officer", ws[0].Names)
		}
		// A minute after: overdue, once.
		f.set(due.Add(time.Minute))
		runAll(t, svcs, job)
		runAll(t, svcs, job)
		if l := levels(); !slices.Equal(l, []string{motcua.LevelDueSoon, motcua.LevelOverdue}) {
			t.Fatalf("levels a minute after = %v", l)
		}
		// Three working hours late: not escalated yet.
		f.set(cal.AddWorking(due, 3*time.Hour))
		runAll(t, svcs, job)
		if l := levels(); len(l) != 2 {
			t.Fatalf("escalated after three working hours: %v", l)
		}
		// Four working hours late: the head of the unit; the commune has
		// none, so its leader.
		f.set(cal.AddWorking(due, 4*time.Hour).Add(time.Minute))
		runAll(t, svcs, job)
		runAll(t, svcs, job)
		ws := mine()
		if l := levels(); !slices.Equal(l, []string{motcua.LevelDueSoon, motcua.LevelOverdue, motcua.LevelEscalateHead}) {
			t.Fatalf("levels after four working hours = %v", l)
		}
		leader := motcua.UserFromContext(f.as("ct.anphu"))
		if !slices.Equal(ws[2].UserIDs, []int64{leader.ID}) {
			t.Fatalf("escalation went to %v, want the commune's leader only", ws[2].Names)
		}
		// A working day late: the leader.
		f.set(cal.AddWorking(due, cal.WorkingDayLength()).Add(time.Minute))
		runAll(t, svcs, job)
		if l := levels(); !slices.Equal(l, []string{motcua.LevelDueSoon, motcua.LevelOverdue, motcua.LevelEscalateHead, motcua.LevelEscalateLeader}) {
			t.Fatalf("levels after a working day = %v", l)
		}
		// The leader's list holds both escalations, unread, once each.
		ns, err := f.svc.MyNotifications(f.as("ct.anphu"))
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, x := range ns {
			if x.DossierID == d.ID {
				n++
				if !x.ReadAt.IsZero() {
					t.Error("a new notification was read already")
				}
			}
		}
		if n != 2 {
			t.Fatalf("leader has %d notifications of the dossier, want 2", n)
		}
		if u, err := f.svc.UnreadNotifications(f.as("ct.anphu")); err != nil || u != 0 {
			t.Fatalf("unread after listing = %d, %v", u, err)
		}
		// The history on the dossier page shows them.
		v, err := f.svc.Dossier(officer, d.Code, "127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Warnings) < 4 || v.Alert != motcua.LevelEscalateLeader {
			t.Fatalf("dossier view: %d warnings, alert %q", len(v.Warnings), v.Alert)
		}
	})
}

// TestWarningEmailedToStaff: with e-mail configured, a warning reaches
// the recipient's address (read when it is sent) with the dossier's link;
// a recipient without an address gets only the in-app notification.
func TestWarningEmailedToStaff(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		mail := &fakeMail{}
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), func(c *service.Config) { c.Mail, c.BaseURL = mail, "https://motcua.example.vn" })
		officer := motcua.UserFromContext(f.as("motcua.anphu"))
		withMail := *officer
		withMail.Email = "ngoc.huynh@anphu.gov.vn"
		if err := f.db.Write(ctx, func(tx motcua.Tx) error { return tx.UpdateUser(ctx, &withMail) }); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678"))
		if err != nil {
			t.Fatal(err)
		}
		f.set(res.Dossier.Status.ActionDueAt.Add(time.Minute))
		if _, err := f.svc.WarnClocks(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.DeliverOutbox(ctx, motcua.DeliverByTopic{Topics: f.svc.NoticeDeliverers()}); err != nil {
			t.Fatal(err)
		}
		var mine []motcua.Mail
		for _, m := range mail.sent {
			if strings.Contains(m.Subject, res.Dossier.Code) {
				mine = append(mine, m)
			}
		}
		if len(mine) != 1 || mine[0].To != "ngoc.huynh@anphu.gov.vn" || !strings.Contains(mine[0].Subject, "Quá hạn") ||
			!strings.Contains(mine[0].Body, "https://motcua.example.vn/ho-so/"+res.Dossier.Code) {
			t.Fatalf("warning e-mails of the dossier: %+v", mine)
		}
	})
}
