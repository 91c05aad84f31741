package main

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"

	"github.com/motcua/motcua/bench"
)

// serveMemoryBudget is the resident memory that serve and bench keep the
// whole process within when --memory-limit is not set: three quarters of
// the cgroup's limit when there is one (systemd's MemoryMax=, a
// container's limit; the rest is the kernel's cache of the database file,
// which the cgroup counts too), else defaultServeMemoryBudget.
//
// With --gc-percent 400 the collector lets the heap grow to five times the
// live data between collections: cheap in CPU, but at 512 busy sessions
// that was 470 MB of mostly garbage. Under the limit governMemory derives
// from the budget the collector runs as the heap approaches it instead,
// so a small node stays within its memory and a large one keeps the CPU
// saving (docs/deployment.md §17).
func serveMemoryBudget() int64 {
	if n := cgroupMemoryMax(); n > 0 {
		return n / 4 * 3
	}
	return defaultServeMemoryBudget
}

// defaultServeMemoryBudget keeps a node's process under issue 15's 256 MB
// (the figure the benchmark prints, in MiB) with room for the collector
// finishing a cycle after the heap passed its limit.
const defaultServeMemoryBudget = 232 << 20

// governMemory keeps the process's resident memory within budget until
// ctx ends: every tick it sets the Go runtime's soft memory limit to the
// budget less what is resident outside the Go runtime — SQLite's page pool
// and mallocs (modernc.org/sqlite allocates outside the Go heap) and the
// program's code, 55–100 MB on a 1.6-million-dossier province — which a
// fixed limit cannot see. The Go limit never goes under half the budget:
// if the outside grew that far, a lower limit would only make the
// collector run without pause. The limit is soft: Go never fails an
// allocation for it.
func governMemory(ctx context.Context, budget int64, every time.Duration) {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	set := int64(-1)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		metrics.Read(s)
		inGo := int64(s[0].Value.Uint64() - s[1].Value.Uint64())
		if l := goLimitFor(budget, int64(bench.ResidentSet()), inGo); l < set-1<<20 || l > set+1<<20 {
			debug.SetMemoryLimit(l)
			set = l
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// goLimitFor is the Go runtime's soft limit that keeps a process of
// resident size rss, of which inGo is the Go runtime's mapped and not
// released memory (what its limit counts), within budget: the budget less
// the rest, between half the budget and the budget. Without a resident
// size (not Linux) it is the budget.
func goLimitFor(budget, rss, inGo int64) int64 {
	outside := max(rss-inGo, 0)
	return min(max(budget-outside, budget/2), budget)
}
