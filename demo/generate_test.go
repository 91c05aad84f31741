package demo_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// seededYear opens a fresh SQLite store holding the demo province on the
// last evening of 2025, with what Generate needs beside it.
func seededYear(t *testing.T) (*sqlstore.DB, *calendar.Calendar, motcua.CodePattern, service.Config, time.Time) {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(filepath.Join(t.TempDir(), "gen.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	now := time.Date(2025, 12, 31, 23, 0, 0, 0, motcua.VietnamTime)
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32},
		Service: cfg, Now: now}); err != nil {
		t.Fatal(err)
	}
	return db, cal, pattern, cfg, now
}

// TestGenerateYear generates a small province-year and checks that report
// 06a is the same from the dossiers and from the live counters, that every
// row balances, that codes are unique and their sequences kept, and that
// the shares are plausible.
func TestGenerateYear(t *testing.T) {
	ctx := context.Background()
	db, cal, pattern, cfg, now := seededYear(t)
	var calls int
	res, err := demo.Generate(ctx, demo.GenerateOptions{Store: db, Cal: cal, Rules: cfg.Rules, Pattern: pattern, Dossiers: 6000,
		Year: 2025, Now: now, Communes: 8, Seed: 7, Progress: func(done, total int) { calls++ }})
	if err != nil {
		t.Fatal(err)
	}
	if res.Dossiers < 5900 || res.CommunesAdded != 5 || calls == 0 || res.Events < 5*res.Dossiers {
		t.Fatalf("generated %+v (progress called %d times)", res, calls)
	}
	svc := service.New(db, cal, password.Default(), cfg)
	year := motcua.Period{From: motcua.DayOf(time.Date(2025, 1, 1, 12, 0, 0, 0, motcua.VietnamTime)),
		To: motcua.DayOf(time.Date(2025, 12, 31, 12, 0, 0, 0, motcua.VietnamTime))}
	for _, p := range []motcua.Period{year, {From: year.From + 120, To: year.From + 150}} {
		base, err := svc.Report06a(ctx, p, service.SourceBase)
		if err != nil {
			t.Fatal(err)
		}
		live, err := svc.Report06a(ctx, p, service.SourceLive)
		if err != nil {
			t.Fatal(err)
		}
		if base.Total != live.Total || len(base.Rows) != len(live.Rows) {
			t.Fatalf("%s: base %+v, live %+v", p, base.Total, live.Total)
		}
		for i := range base.Rows {
			if base.Rows[i] != live.Rows[i] || !base.Rows[i].Balanced() {
				t.Errorf("%s row %d: base %+v live %+v", p, i, base.Rows[i], live.Rows[i])
			}
		}
	}
	// The index too, from the counters the generator kept per procedure.
	for _, p := range []motcua.Period{year, {From: motcua.DayOfDate(2025, 3, 1), To: motcua.DayOfDate(2025, 4, 30)}} {
		base, err := svc.Index766From(ctx, p, service.SourceBase)
		if err != nil {
			t.Fatal(err)
		}
		live, err := svc.Index766From(ctx, p, service.SourceLive)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(base.Units, live.Units) || !reflect.DeepEqual(base.Averages, live.Averages) {
			t.Errorf("%s: the index differs between sources", p)
		}
		// Generated without a signer: every result is on paper, none
		// counts as electronic.
		for _, u := range base.Units {
			for _, v := range u.Values {
				if (v.ID == "4.1" || v.ID == "4.2b") && v.Num != 0 {
					t.Errorf("%s: agency %d %s %+v with no result file made", p, u.AgencyID, v.ID, v)
				}
			}
		}
	}
	ds := withResults(t, db)
	for _, d := range ds {
		if d.Status.ResultFileRef != "" || d.Status.ResultSigned {
			t.Fatalf("%s: a result file %q (signed %v) generated without a signer", d.Code, d.Status.ResultFileRef, d.Status.ResultSigned)
		}
	}
	if len(ds) < 1000 {
		t.Errorf("%d dossiers with a result", len(ds))
	}
	tot, _ := svc.Report06a(ctx, year, service.SourceLive)
	r := tot.Total
	late := float64(r.Late) / float64(r.Col(7))
	online := float64(r.ReceivedOnline) / float64(r.Col(4)+r.Col(5))
	if late < 0.005 || late > 0.15 || online < 0.25 || online > 0.45 || r.Col(11) > r.Col(3)/10 {
		t.Errorf("implausible year: %.1f %% late, %.1f %% online, %+v", 100*late, 100*online, r)
	}
	// Codes: unique (the store enforces it) and the sequences kept, so a
	// dossier received now continues the day's numbering.
	var seqs map[string]int
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) { seqs, err = tx.CodeSeqs(ctx); return err }); err != nil {
		t.Fatal(err)
	}
	var sum int
	for _, n := range seqs {
		sum += n
	}
	if sum < res.Dossiers {
		t.Errorf("code sequences sum to %d for %d generated dossiers", sum, res.Dossiers)
	}
}

// withResults returns every dossier of db with a result (ready or
// returned), page by page.
func withResults(t *testing.T, db motcua.Store) []*motcua.Dossier {
	t.Helper()
	ctx := context.Background()
	var all []*motcua.Dossier
	f := motcua.DossierFilter{States: []motcua.State{motcua.StateReturned, motcua.StateResultReady}, Limit: 500}
	for {
		var page []*motcua.Dossier
		if err := db.Read(ctx, func(tx motcua.Tx) (err error) { page, err = tx.FindDossiers(ctx, f); return err }); err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if len(page) < f.Limit {
			return all
		}
		last := page[len(page)-1]
		f.After = &motcua.DossierCursor{NextDueAt: last.Status.NextDueAt(), ID: last.ID}
	}
}

// TestGenerateInterrupted stops a generation half-way: the dossiers stored
// and the live counters agree.
func TestGenerateInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	db, cal, pattern, cfg, now := seededYear(t)
	res, err := demo.Generate(ctx, demo.GenerateOptions{Store: db, Cal: cal, Rules: cfg.Rules, Pattern: pattern, Dossiers: 8000,
		Year: 2025, Now: now, Communes: 4, Seed: 3, Progress: func(done, total int) {
			if done > total/3 {
				cancel()
			}
		}})
	if err == nil || res.Dossiers == 0 || res.Dossiers > 7000 {
		t.Fatalf("interrupted generation: %+v, %v", res, err)
	}
	svc := service.New(db, cal, password.Default(), cfg)
	year := motcua.Period{From: motcua.DayOfDate(2025, 1, 1), To: motcua.DayOfDate(2025, 12, 31)}
	base, err := svc.Report06a(context.Background(), year, service.SourceBase)
	if err != nil {
		t.Fatal(err)
	}
	live, err := svc.Report06a(context.Background(), year, service.SourceLive)
	if err != nil {
		t.Fatal(err)
	}
	if base.Total != live.Total || base.Total.Col(3) == 0 {
		t.Errorf("after the interruption: base %+v, live %+v", base.Total, live.Total)
	}
}
