package main

import (
	"context"
	"runtime/debug"
	"testing"
	"time"

	"github.com/motcua/motcua/bench"
)

func TestGoLimitFor(t *testing.T) {
	const mib = 1 << 20
	for _, c := range []struct{ budget, rss, inGo, want int64 }{
		{232 * mib, 250 * mib, 190 * mib, 172 * mib}, // 60 MB outside Go
		{232 * mib, 100 * mib, 100 * mib, 232 * mib}, // nothing outside
		{232 * mib, 0, 100 * mib, 232 * mib},         // no resident size (not Linux)
		{232 * mib, 300 * mib, 100 * mib, 116 * mib}, // outside past half the budget: half
		{1 << 30, 80 * mib, 30 * mib, 1<<30 - 50*mib},
	} {
		if got := goLimitFor(c.budget, c.rss, c.inGo); got != c.want {
			t.Errorf("goLimitFor(%d, %d, %d) = %d MiB, want %d MiB", c.budget/mib, c.rss/mib, c.inGo/mib, got/mib, c.want/mib)
		}
	}
}

// TestGovernMemory runs the governor on this process: the Go limit it sets
// leaves room for what is resident outside the Go runtime (at least the
// test binary's code), and stays between half the budget and the budget.
func TestGovernMemory(t *testing.T) {
	if bench.ResidentSet() == 0 {
		t.Skip("no resident size on this system")
	}
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	const budget = 1 << 30
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { governMemory(ctx, budget, time.Millisecond); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for debug.SetMemoryLimit(-1) == old && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	stop()
	<-done
	if got := debug.SetMemoryLimit(-1); got >= budget || got < budget/2 {
		t.Errorf("the governor set Go's limit to %d, want under the budget %d by what lives outside Go", got, int64(budget))
	}
}
