package bench

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/sqlstore"
)

// MemSample is what the process's memory consisted of at one moment of a
// mixed run: the resident set (what the 256 MB target is about) split
// into the Go runtime's classes and the rest, which on SQLite is mostly
// the library's page caches (modernc.org/sqlite allocates outside the Go
// heap) and the program's own code.
type MemSample struct {
	rss       uint64 // resident set size (/proc/self/statm)
	heapLive  uint64 // heap objects (live and not yet swept)
	heapFree  uint64 // heap memory unused in spans or free, not returned to the OS
	stacks    uint64 // goroutine stacks
	runtime   uint64 // the runtime's other memory (metadata, buffers)
	released  uint64 // heap returned to the OS (mapped, not resident)
	goTotal   uint64 // everything the Go runtime mapped
	goroutine uint64
	goLimit   int64                 // the Go runtime's soft limit then (memgovernor.go)
	pages     sqlstore.PageCacheUse // SQLite's page caches then
	file      uint64                // resident pages mapped from files: the program's code and data
}

// outside is the resident memory the Go runtime does not account for, a
// lower bound: the runtime counts free heap spans it has not returned even
// when they are not resident, so with much free heap this is 0.
func (s MemSample) outside() uint64 {
	inGo := s.goTotal - s.released
	if s.rss < inGo {
		return 0
	}
	return s.rss - inGo
}

// MemSampler samples the process's memory every few milliseconds during
// a concurrent run and keeps the sample of the highest RSS; with a path,
// it writes a heap profile when the Go heap reaches a new high.
type MemSampler struct {
	path string
	stop chan struct{}
	done sync.WaitGroup
	peak MemSample
	heap uint64 // highest heapLive written to path
}

var memMetrics = []string{
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/memory/classes/heap/stacks:bytes",
	"/memory/classes/os-stacks:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/total:bytes",
	"/sched/goroutines:goroutines",
}

// StartMemSampler starts sampling the process's memory every 10 ms until
// End; with a path, it writes a heap profile there at each new high of
// the Go heap.
func StartMemSampler(path string) *MemSampler {
	m := &MemSampler{path: path, stop: make(chan struct{})}
	sqlstore.ReadPageCacheUse(true) // the high-water marks of this run
	m.done.Add(1)
	go func() {
		defer m.done.Done()
		samples := make([]metrics.Sample, len(memMetrics))
		for i, n := range memMetrics {
			samples[i].Name = n
		}
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			m.sample(samples)
			select {
			case <-m.stop:
				return
			case <-t.C:
			}
		}
	}()
	return m
}

func (m *MemSampler) sample(samples []metrics.Sample) {
	metrics.Read(samples)
	v := func(i int) uint64 {
		if samples[i].Value.Kind() == metrics.KindUint64 {
			return samples[i].Value.Uint64()
		}
		return 0
	}
	s := MemSample{rss: ResidentSet(), heapLive: v(0), heapFree: v(1) + v(2), stacks: v(3) + v(4), released: v(5), goTotal: v(6), goroutine: v(7)}
	s.runtime = s.goTotal - s.heapLive - s.heapFree - s.stacks - s.released
	if s.rss > m.peak.rss {
		s.goLimit = debug.SetMemoryLimit(-1)
		s.pages = sqlstore.ReadPageCacheUse(false)
		s.file = rssFile()
		m.peak = s
	}
	if m.path != "" && s.heapLive > m.heap+m.heap/10 {
		m.heap = s.heapLive
		if f, err := os.Create(m.path); err == nil {
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
}

// End stops the sampler and returns the sample of the highest RSS.
func (m *MemSampler) End() MemSample {
	close(m.stop)
	m.done.Wait()
	return m.peak
}

// ResidentSet is the process's resident set size now (Linux; 0
// elsewhere).
func ResidentSet() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseUint(f[1], 10, 64)
	return pages * uint64(os.Getpagesize())
}

// rssFile is the resident memory mapped from files (RssFile of
// /proc/self/status: the executable's code and data), 0 when unknown.
func rssFile() uint64 { return uint64(procStatusKB("RssFile:")) << 10 }

// procStatusKB is the figure of field (say "VmHWM:") of /proc/self/status,
// in kB, 0 when unknown.
func procStatusKB(field string) int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb
		}
	}
	return 0
}

// Print writes where the memory of s went, in two lines.
func (s MemSample) Print(w io.Writer) {
	mb := func(b uint64) string { return fmt.Sprintf("%.0f MB", float64(b)/(1<<20)) }
	fmt.Fprintf(w, "  at the highest RSS sampled (%s, %d goroutines): Go heap objects %s, heap spans unused or free (not returned to the OS) %s, stacks %s, Go runtime's other %s, outside Go (SQLite's caches, code) %s\n",
		mb(s.rss), s.goroutine, mb(s.heapLive), mb(s.heapFree), mb(s.stacks), mb(s.runtime), mb(s.outside()))
	fmt.Fprintf(w, "  then: mapped from files (code, data) %s of the outside; Go's soft limit %s; SQLite's pages %s in the shared pool of %s, %s malloc'ed beside it (the most during the run: %s and %s)\n",
		mb(s.file), mb(uint64(s.goLimit)), mb(uint64(s.pages.Pool)), mb(uint64(sqlstore.PageCacheBudget())), mb(uint64(s.pages.Overflow)), mb(uint64(s.pages.PoolHigh)), mb(uint64(s.pages.OverflowHigh)))
}
