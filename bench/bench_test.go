package bench_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/bench"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestRunMeasures runs the benchmark harness briefly. It checks that every
// figure is measured and positive, not how fast anything is: performance is
// judged by running the benchmark itself (motcua bench), not by a test.
func TestRunMeasures(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		if testing.Short() {
			t.Skip("runs the whole system under load")
		}
		o := bench.Options{Duration: 300 * time.Millisecond, Clients: 8, Rounds: 1}
		if e == sqltest.Postgres {
			o.Postgres = sqltest.PostgresDSN()
		}
		measure(t, o)
	})
}

func measure(t *testing.T, o bench.Options) {
	t.Helper()
	r, err := bench.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(append(append(r.Raw, r.Intake...), r.Minimal...), r.Lookup...) {
		if f.Ops == 0 || f.Rate <= 0 || f.CPU <= 0 {
			t.Errorf("%s: %+v", f.Name, f)
		}
	}
	if r.IntakeRatio <= 0 || r.LookupRatio <= 0 {
		t.Errorf("ratios %v %v", r.IntakeRatio, r.LookupRatio)
	}
}
