package service_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
	"github.com/motcua/motcua/webhook"
)

// instances returns n services on the fixture's store, each with its own
// caches, as n motcua processes would have.
func (f *fixture) instances(n int) []*service.Service {
	out := []*service.Service{f.svc}
	for len(out) < n {
		out = append(out, service.New(f.db, f.svc.Calendar(), cheap, f.cfg))
	}
	return out
}

func (f *fixture) warnings() []*motcua.DeadlineWarning {
	f.t.Helper()
	var ws []*motcua.DeadlineWarning
	if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { ws, err = tx.DeadlineWarnings(ctx, time.Time{}); return err }); err != nil {
		f.t.Fatal(err)
	}
	return ws
}

// runAll runs job on every instance at once and returns the sum of what
// they report.
func runAll(t *testing.T, svcs []*service.Service, job func(*service.Service) (int, error)) int {
	t.Helper()
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for _, s := range svcs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := job(s)
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

// TestDeadlineWarningsOncePerDossierAndDeadline runs the warning job on
// three instances at once, at moments chosen around a dossier's
// appointment: each warning is recorded once, its notice is delivered once,
// and nothing is warned early.
func TestDeadlineWarningsOncePerDossierAndDeadline(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, vn(2025, 3, 10, 9, 0), nil)
		svcs := f.instances(3)
		res, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", f.newDossier("0912345678"))
		if err != nil {
			t.Fatal(err)
		}
		d := res.Dossier
		due := d.Status.DueAt
		if due.IsZero() || due.Sub(d.Status.ReceivedAt) < 48*time.Hour {
			t.Fatalf("the test needs an appointment at least 2 days away, got %v", due)
		}
		warnJob := func(s *service.Service) (int, error) { return s.WarnDeadlines(ctx) }
		mine := func(kind string) int {
			n := 0
			for _, w := range f.warnings() {
				if w.Code == d.Code && w.Kind == kind {
					n++
					if !w.DueAt.Equal(due) {
						t.Errorf("warning for due %v, want %v", w.DueAt, due)
					}
				}
			}
			return n
		}

		// Two calendar days before the appointment, on a working day in
		// March 2025 (no holiday): two working days away, no warning.
		f.set(due.Add(-48 * time.Hour))
		runAll(t, svcs, warnJob)
		if n := mine(motcua.WarnDueSoon) + mine(motcua.WarnOverdue); n != 0 {
			t.Fatalf("%d warnings 2 days before the appointment", n)
		}
		// A minute before: due soon, warned once although three instances
		// ran the job at the same moment, twice.
		f.set(due.Add(-time.Minute))
		runAll(t, svcs, warnJob)
		runAll(t, svcs, warnJob)
		if n := mine(motcua.WarnDueSoon); n != 1 {
			t.Fatalf("%d due-soon warnings, want 1", n)
		}
		// A minute after: overdue, once; the due-soon one is not repeated.
		f.set(due.Add(time.Minute))
		runAll(t, svcs, warnJob)
		runAll(t, svcs, warnJob)
		if a, b := mine(motcua.WarnDueSoon), mine(motcua.WarnOverdue); a != 1 || b != 1 {
			t.Fatalf("%d due-soon and %d overdue warnings, want 1 and 1", a, b)
		}
		// Every warning recorded, for the demo dossiers too, is right for
		// the moment it was recorded and unique.
		seen := map[string]bool{}
		for _, w := range f.warnings() {
			k := w.Code + "|" + w.Kind + "|" + w.DueAt.String()
			if seen[k] {
				t.Errorf("warning %s recorded twice", k)
			}
			seen[k] = true
			if (w.Kind == motcua.WarnOverdue) != !w.DueAt.After(w.At) {
				t.Errorf("%s warning for %s due %v recorded at %v", w.Kind, w.Code, w.DueAt, w.At)
			}
		}
		// Every unfinished dossier past due at the last run was warned.
		now := due.Add(time.Minute)
		var all []*motcua.Dossier
		f.db.Read(ctx, func(tx motcua.Tx) (err error) {
			all, err = tx.FindDossiers(ctx, motcua.DossierFilter{Limit: 500})
			return err
		})
		if len(all) < 10 || len(all) == 500 {
			t.Fatalf("%d dossiers: the check below needs them all", len(all))
		}
		{
			for _, x := range all {
				st := x.Status.State
				if (st == motcua.StateReceived || st == motcua.StateProcessing || st == motcua.StateApproved) &&
					!x.Status.DueAt.IsZero() && !x.Status.DueAt.After(now) && !seen[x.Code+"|overdue|"+x.Status.DueAt.String()] {
					t.Errorf("overdue dossier %s (due %v) not warned", x.Code, x.Status.DueAt)
				}
			}
		}

		// The notices: one outbox message per warning, delivered once by
		// three instances delivering at the same time.
		rec := &webhook.Receiver{}
		srv := httptest.NewServer(rec)
		defer srv.Close()
		client, err := webhook.New(srv.URL, nil)
		if err != nil {
			t.Fatal(err)
		}
		delivered := runAll(t, svcs, func(s *service.Service) (int, error) { return s.DeliverOutbox(ctx, client) })
		got := rec.Received()
		if delivered != len(seen) || len(got) != len(seen) || rec.Repeats() != 0 || rec.Attempts() != len(seen) {
			t.Fatalf("%d warnings, %d reported delivered, %d received, %d repeats, %d attempts",
				len(seen), delivered, len(got), rec.Repeats(), rec.Attempts())
		}
		for _, env := range got {
			var n service.WarningNotice
			if err := json.Unmarshal(env.Payload, &n); err != nil || env.Topic != motcua.TopicDeadlineWarning ||
				!seen[n.Code+"|"+n.Kind+"|"+n.DueAt.String()] {
				t.Errorf("unexpected notice %s %s (%v)", env.Topic, env.Payload, err)
			}
		}
		if n, err := f.svc.OutboxBacklog(ctx); err != nil || n != 0 {
			t.Fatalf("backlog %d after delivery (%v)", n, err)
		}
	})
}

// TestOutboxRetriesThenGivesUp delivers to an endpoint that refuses: the
// message is retried after a growing back-off, delivered once the endpoint
// accepts, and a message that never gets through is given up after
// MaxOutboxAttempts and shown to administrators only.
func TestOutboxRetriesThenGivesUp(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		start := vn(2025, 3, 10, 9, 0)
		f := newFixture(t, e, start, nil)
		var ok, never int64
		for i, id := range []*int64{&ok, &never} {
			m := &motcua.OutboxMessage{Topic: "test", Payload: []byte(`{"n":` + string(rune('1'+i)) + `}`), CreatedAt: start, NextAttemptAt: start}
			if err := f.db.Write(ctx, func(tx motcua.Tx) error { return tx.Enqueue(ctx, m) }); err != nil {
				t.Fatal(err)
			}
			*id = m.ID
		}
		refuse := true
		rec := &webhook.Receiver{Fail: func(e webhook.Envelope) bool { return e.ID == never || refuse }}
		srv := httptest.NewServer(rec)
		defer srv.Close()
		client, _ := webhook.New(srv.URL, nil)

		deliver := func() int {
			n, err := f.svc.DeliverOutbox(ctx, client)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := deliver(); n != 0 || rec.Attempts() != 2 {
			t.Fatalf("first run: %d delivered, %d attempts", n, rec.Attempts())
		}
		// Not yet due again 9 s later (first back-off: 10 s).
		f.set(start.Add(9 * time.Second))
		if deliver(); rec.Attempts() != 2 {
			t.Fatalf("retried before the back-off: %d attempts", rec.Attempts())
		}
		refuse = false
		f.set(start.Add(11 * time.Second))
		if n := deliver(); n != 1 || len(rec.Received()) != 1 || rec.Received()[0].ID != ok {
			t.Fatalf("after the back-off: %d delivered, received %v", n, rec.Received())
		}
		// Back-offs 10, 20, 40 s… capped at 1 h: step the clock past each.
		at := start.Add(11 * time.Second)
		for attempt := 2; attempt <= motcua.MaxOutboxAttempts; attempt++ {
			at = at.Add(motcua.OutboxBackoff(attempt-1) + time.Second)
			f.set(at)
			deliver()
		}
		if rec.Attempts() != 1+motcua.MaxOutboxAttempts+1 {
			t.Fatalf("%d attempts in all, want %d", rec.Attempts(), motcua.MaxOutboxAttempts+2)
		}
		f.set(at.Add(2 * time.Hour))
		deliver()
		if rec.Attempts() != motcua.MaxOutboxAttempts+2 {
			t.Fatalf("a given-up message was tried again (%d attempts)", rec.Attempts())
		}
		failed, err := f.svc.FailedDeliveries(f.as("admin"), 10)
		if err != nil || len(failed) != 1 || failed[0].ID != never || failed[0].Attempts != motcua.MaxOutboxAttempts || failed[0].LastError == "" {
			t.Fatalf("failed deliveries: %+v %v", failed, err)
		}
		if _, err := f.svc.FailedDeliveries(f.as("motcua.anphu"), 10); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Fatalf("a reception officer saw the failed deliveries: %v", err)
		}
		if n, _ := f.svc.OutboxBacklog(ctx); n != 0 {
			t.Fatalf("backlog %d", n)
		}
	})
}

var _ = context.Background
