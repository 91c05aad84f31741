package bench_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/bench"
)

// TestRunMeasures runs the benchmark harness briefly. It checks that every
// figure is measured and positive, not how fast anything is: performance is
// judged by running the benchmark itself (motcua bench), not by a test.
func TestRunMeasures(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole system under load")
	}
	r, err := bench.Run(context.Background(), bench.Options{Duration: 300 * time.Millisecond, Clients: 8, Rounds: 1})
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
