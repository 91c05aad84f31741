package ui_test

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
)

// BenchmarkWorkload measures the workload pages over real HTTP on a
// generated province against the server's cheapest answer (GET /healthz) in
// the same run. The province receives MOTCUA_BENCH_DOSSIERS dossiers a year
// (default 1,600,000: a large province, 100 communes) at the daily rate of
// that year, generated from 1 January up to 24 January 2025, when the pages
// are read: what the pages count — the open work of the last weeks, the
// receptions of the last days, the finishes of the last month — is then
// what such a province has on any day, without generating the months
// before (about 100,000 dossiers at the default).
//
//	go test -run XXX -bench BenchmarkWorkload -benchtime 10x -timeout 60m ./web/ui/
func BenchmarkWorkload(b *testing.B) {
	perYear := 1_600_000
	if s := os.Getenv("MOTCUA_BENCH_DOSSIERS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		perYear = n
	}
	e := newEnv(b)
	now := vn(2025, 1, 24, 9, 0)
	e.set(now)
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	t0 := time.Now()
	res, err := demo.Generate(ctx, demo.GenerateOptions{Store: e.db, Cal: e.svc.Calendar(), Rules: motcua.DefaultRules(), Pattern: pattern,
		Dossiers: perYear, Year: 2025, Now: now, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	var open int
	e.db.Read(ctx, func(tx motcua.Tx) error {
		w, err := tx.AgencyWork(ctx, nil, now, now)
		for _, c := range w {
			open += c.Open
		}
		return err
	})
	b.Logf("generated %d dossiers (%d events, %d communes added) in %s; %d open", res.Dossiers, res.Events, res.CommunesAdded,
		time.Since(t0).Round(time.Second), open)
	anPhu, _, _ := e.svc.Agency(ctx, "H99.101")
	supervisor, leader := e.login("giamsat.tinh"), e.login("ct.anphu")
	for _, p := range []struct {
		name string
		b    *browser
		path string
	}{
		{"baseline-healthz", e.browser(), "/healthz"},
		{"province", supervisor, "/khoi-luong/tinh"},
		{"commune", leader, fmt.Sprintf("/khoi-luong?don-vi=%d", anPhu.ID)},
	} {
		b.Run(p.name, func(b *testing.B) {
			for b.Loop() {
				if r := p.b.get(p.path); r.status != http.StatusOK {
					b.Fatalf("%s: %d", p.path, r.status)
				}
			}
		})
	}
}
