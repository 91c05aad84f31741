// Package jobs runs motcua's scheduled work — closing dossiers whose
// supplement did not come in time, warning of deadlines, delivering the
// outbox, removing expired sessions, unpublishing procedures whose legal
// basis expired — and records what each run did.
//
// Every job is safe to run on several instances at once: each change goes
// through the same transition table and optimistic check as a person's, so
// a dossier is closed once whichever instance gets there first; a deadline
// warning is unique per dossier, kind and appointment; outbox messages are
// leased to one instance at a time.
package jobs

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// Job is one piece of scheduled work. Run returns how many items it
// handled.
type Job struct {
	Name string
	Run  func(ctx context.Context) (int, error)
}

// Standard returns motcua's scheduled jobs on svc.
func Standard(svc *service.Service) []Job {
	return []Job{
		{Name: "close-expired-supplements", Run: func(ctx context.Context) (int, error) {
			codes, err := svc.CloseExpiredSupplements(ctx)
			logClosed(codes)
			return len(codes), err
		}},
		{Name: "warn-deadlines", Run: svc.WarnDeadlines},
		// Warnings to the people who hold a dossier, escalated when overdue.
		{Name: "warn-clocks", Run: svc.WarnClocks},
		{Name: "delete-expired-sessions", Run: svc.DeleteExpiredSessions},
		{Name: "unpublish-expired-procedures", Run: svc.UnpublishExpired},
		{Name: "fold-live-counters", Run: svc.FoldCounters},
		// Does nothing when no payment platform is configured.
		{Name: "reconcile-payments", Run: svc.ReconcilePayments},
		// One instance at a time (a lock in the database); logs the head.
		{Name: "seal-audit-log", Run: svc.SealAudit},
	}
}

// logClosed logs the dossiers the supplement job closed: a count and the
// first few codes. After an outage the job may close hundreds at once,
// and a log line is no place for them: each dossier's own history records
// its closure.
func logClosed(codes []string) {
	if len(codes) > 0 {
		slog.Info("closed dossiers whose supplement did not come in time", "count", len(codes), "first", codes[:min(len(codes), 5)])
	}
}

// Outbox is the job that delivers the outbox through d.
func Outbox(svc *service.Service, d motcua.Deliverer) Job {
	return Job{Name: "deliver-outbox", Run: func(ctx context.Context) (int, error) { return svc.DeliverOutbox(ctx, d) }}
}

// Observed wraps every job so that observe is told of each run (for
// metrics): its name, the items handled, the error and the time taken.
func Observed(js []Job, observe func(name string, n int, err error, took time.Duration)) []Job {
	out := make([]Job, len(js))
	for i, j := range js {
		run := j.Run
		out[i] = Job{Name: j.Name, Run: func(ctx context.Context) (int, error) {
			start := time.Now()
			n, err := run(ctx)
			observe(j.Name, n, err, time.Since(start))
			return n, err
		}}
	}
	return out
}

// Run runs every job once now and then every interval until ctx ends. A
// failing job is logged and tried again at the next tick; it does not stop
// the others.
func Run(ctx context.Context, interval time.Duration, jobs []Job) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		RunOnce(ctx, jobs)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunNudged is Run that also runs the jobs when nudge delivers a value
// (a change queued work for them), at most once per pause: a burst of
// changes is handled together.
func RunNudged(ctx context.Context, interval, pause time.Duration, nudge <-chan struct{}, jobs []Job) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		RunOnce(ctx, jobs)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-nudge:
			select {
			case <-ctx.Done():
				return
			case <-time.After(pause):
			}
		}
	}
}

// RunOnce runs every job once and returns how many items each handled.
func RunOnce(ctx context.Context, jobs []Job) map[string]int {
	out := map[string]int{}
	for _, j := range jobs {
		if ctx.Err() != nil {
			return out
		}
		n, err := j.Run(ctx)
		out[j.Name] = n
		switch {
		case err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled):
			// Stopped by the shutdown, not failed: what it did is kept and
			// the rest waits for the next start.
			slog.Info("scheduled job stopped by shutdown", "job", j.Name, "handled", n)
		case err != nil:
			slog.Error("scheduled job failed", "job", j.Name, "err", err)
		case n > 0:
			slog.Info("scheduled job", "job", j.Name, "handled", n)
		}
	}
	return out
}
