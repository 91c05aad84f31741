package bench_test

import (
	"context"
	"testing"
	"time"

	"github.com/motcua/motcua/bench"
)

// TestRunSignMeasures runs the signing benchmark briefly and checks that
// every figure is measured, not how fast it is.
func TestRunSignMeasures(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds a province and signs")
	}
	f, err := bench.RunSign(context.Background(), bench.SignOptions{Dir: t.TempDir(), Duration: 50 * time.Millisecond, Results: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Rates) != 2 || f.Batch <= 0 || f.Results != 3 {
		t.Fatalf("figures: %+v", f)
	}
	for _, r := range f.Rates {
		if r.PDFPerSec <= 0 || r.RawPerSec <= 0 {
			t.Errorf("%+v", r)
		}
	}
}
