package service_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestPeriodFactsAgreeWithQueries generates a province-year (histories cut
// mid-October, so that many dossiers are pending and many changed after
// the ends of the periods) and checks, on both engines, that the index from
// the dossiers computed in one pass (PeriodFacts) equals the index computed
// by the former per-figure queries, and that report 06a from the same pass
// equals report 06a by those queries, for periods of every shape: the
// year, months, spans of days across months, a single day, and a period
// after the last event.
func TestPeriodFactsAgreeWithQueries(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, mergerNow, nil)
		pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
		if _, err := demo.Generate(ctx, demo.GenerateOptions{Store: f.db, Cal: f.svc.Calendar(), Rules: motcua.DefaultRules(), Pattern: pattern,
			Dossiers: 3000, Year: 2025, Now: mergerNow, Communes: 4, Seed: 21}); err != nil {
			t.Fatal(err)
		}
		day := func(m time.Month, d int) motcua.Day { return motcua.DayOfDate(2025, m, d) }
		periods := []motcua.Period{
			{From: day(1, 1), To: day(12, 31)},
			{From: day(3, 1), To: day(3, 31)},
			{From: day(9, 1), To: day(10, 31)},
			{From: day(1, 15), To: day(9, 20)},
			{From: day(6, 10), To: day(6, 10)},
			{From: day(10, 14), To: day(10, 16)},
			{From: day(11, 1), To: day(11, 30)},
		}
		var received int64
		for _, p := range periods {
			got, err := f.svc.Index766From(ctx, p, service.SourceBase)
			must(t, err)
			want, err := f.svc.Index766ByQueries(ctx, p)
			must(t, err)
			if !reflect.DeepEqual(got.Units, want.Units) || !reflect.DeepEqual(got.Averages, want.Averages) {
				t.Errorf("%s: the index differs:\none pass %+v\nqueries  %+v", p, got.Units, want.Units)
			}
			r1, err := f.svc.Report06aFromFacts(ctx, p)
			must(t, err)
			r2, err := f.svc.Report06a(ctx, p, service.SourceBase)
			must(t, err)
			if !reflect.DeepEqual(r1.Rows, r2.Rows) || r1.Total != r2.Total {
				t.Errorf("%s: report 06a differs:\none pass %+v\nqueries  %+v", p, r1.Total, r2.Total)
			}
			if p.From == day(1, 1) {
				received = r2.Total.ReceivedOnline + r2.Total.ReceivedDirect
			}
		}
		// The comparison means something only with dossiers in it.
		if received < 2000 {
			t.Fatalf("the year has %d receptions", received)
		}
	})
}
