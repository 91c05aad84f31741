package service_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestMeasureMerger times a merger of the demo's three communes after
// MOTCUA_MEASURE_MERGER generated dossiers (skipped when unset):
//
//	MOTCUA_MEASURE_MERGER=30000 go test ./service/ -run TestMeasureMerger -v
func TestMeasureMerger(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("MOTCUA_MEASURE_MERGER"))
	if n <= 0 {
		t.Skip("set MOTCUA_MEASURE_MERGER to a number of dossiers")
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, mergerNow, nil)
		pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
		if _, err := demo.Generate(ctx, demo.GenerateOptions{Store: f.db, Cal: f.svc.Calendar(), Rules: motcua.DefaultRules(), Pattern: pattern,
			Dossiers: n, Year: 2025, Now: mergerNow, Communes: 3, Seed: 14}); err != nil {
			t.Fatal(err)
		}
		in := service.MergeInput{Predecessors: f.communes(), Decision: "NQ",
			NewSuccessor: &motcua.Agency{Code: "H99.110", Name: "Ủy ban nhân dân xã An Hòa Bình"}}
		start := time.Now()
		plan, err := f.svc.PlanMerger(f.as("admin"), in)
		if err != nil {
			t.Fatal(err)
		}
		dry := time.Since(start)
		start = time.Now()
		rep, err := f.svc.Merge(f.as("admin"), in, nil)
		if err != nil {
			t.Fatal(err)
		}
		real := time.Since(start)
		start = time.Now()
		if err := f.svc.UndoMerger(f.as("admin"), rep.Merger.ID); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: %d dossiers generated, %d open moved; dry run %v, merger %v, undo %v",
			e, n, countOf(plan, "dossiers", ""), dry.Round(time.Millisecond), real.Round(time.Millisecond), time.Since(start).Round(time.Millisecond))
	})
}
