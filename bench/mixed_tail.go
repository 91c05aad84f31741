package bench

import (
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"runtime/metrics"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// TailProbe finds what the slowest requests of a mixed run waited for
// (bench --mixed --tail). Each request is timed at four points: when it
// was due (paced runs), when the load generator sent it, when the
// application's handler began and ended it (the probe wraps the handler),
// and when its answer was read. The store tells it every commit (it is a
// sqlstore.Observer), and the Go runtime its collections and how long
// runnable goroutines waited for a core. For the requests of each kind
// above that kind's 99th percentile it prints where their time went and
// what was happening meanwhile, against the same figures for every
// request of the kind.
//
// The probe costs the run a few hundred nanoseconds and 100 bytes a
// request; its figures are the run's own.
type TailProbe struct {
	on      atomic.Bool
	next    atomic.Int64
	mu      sync.Mutex
	served  map[int64]servedRec // request id → the handler's times
	commits []commitRec
	// the machine's times each second of the run (tick), so that a bad
	// second can be told from a busy or a stolen one
	machine  []MachineTimes
	stopTick chan struct{}
	ticked   sync.WaitGroup
	// the runtime's counters at the start of the run
	m0 []metrics.Sample
	g0 uint32 // MemStats.NumGC
}

type servedRec struct{ start, end time.Time }

// commitRec is a store commit: its end and duration (begin to durable).
type commitRec struct {
	end   time.Time
	took  time.Duration
	batch int
}

// reqRec is a request as the load generator saw it.
type reqRec struct {
	kind                   string
	id                     int64
	due, sent, recv        time.Time
	handlerFrom, handlerTo time.Time
}

// start is when r's latency counts from: when it was due when paced (a
// session behind its schedule sends late), else when it was sent.
func (r reqRec) start() time.Time {
	if !r.due.IsZero() && r.due.Before(r.sent) {
		return r.due
	}
	return r.sent
}

// probeHeader carries a request's id from the load generator to the
// probe's handler wrapper.
const probeHeader = "X-Bench-Probe"

// NewTailProbe returns a probe; pass it as the store's Observer and as
// MixedOptions.Tail.
func NewTailProbe() *TailProbe { return &TailProbe{served: map[int64]servedRec{}} }

// Commit implements sqlstore.Observer: commits during the run are kept.
func (p *TailProbe) Commit(_ string, batch int, took time.Duration, _ error) {
	if p == nil || !p.on.Load() {
		return
	}
	now := time.Now()
	p.mu.Lock()
	p.commits = append(p.commits, commitRec{end: now, took: took, batch: batch})
	p.mu.Unlock()
}

// Retry implements sqlstore.Observer.
func (p *TailProbe) Retry(string, string) {}

// wrap times the handler for the requests that carry a probe id.
func (p *TailProbe) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s := r.Header.Get(probeHeader)
		if s == "" {
			h.ServeHTTP(w, r)
			return
		}
		id, _ := strconv.ParseInt(s, 10, 64)
		start := time.Now()
		h.ServeHTTP(w, r)
		end := time.Now()
		p.mu.Lock()
		p.served[id] = servedRec{start, end}
		p.mu.Unlock()
	})
}

// runtimeMetrics are the runtime's counters the probe reads before and
// after the run.
var runtimeMetrics = []string{
	"/sched/latencies:seconds",
	"/gc/pauses:seconds",
	"/cpu/classes/gc/total:cpu-seconds",
	"/cpu/classes/gc/mark/assist:cpu-seconds",
	"/cpu/classes/total:cpu-seconds",
	"/cpu/classes/idle:cpu-seconds",
	"/gc/cycles/total:gc-cycles",
}

// start begins a run's records afresh.
func (p *TailProbe) start() {
	p.mu.Lock()
	p.served, p.commits = map[int64]servedRec{}, nil
	p.mu.Unlock()
	p.m0 = readRuntime()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.g0 = ms.NumGC
	p.on.Store(true)
	p.machine, p.stopTick = nil, make(chan struct{})
	p.ticked.Add(1)
	go p.tick()
}

// tick reads the machine's times every second until report.
func (p *TailProbe) tick() {
	defer p.ticked.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		if m, ok := ReadMachineTimes(); ok {
			p.mu.Lock()
			p.machine = append(p.machine, m)
			p.mu.Unlock()
		}
		select {
		case <-p.stopTick:
			return
		case <-t.C:
		}
	}
}

func readRuntime() []metrics.Sample {
	s := make([]metrics.Sample, len(runtimeMetrics))
	for i, n := range runtimeMetrics {
		s[i].Name = n
	}
	metrics.Read(s)
	return s
}

// interval is a span of time.
type interval struct{ from, to time.Time }

// spans are intervals sorted by start, with the latest end up to each:
// their ends are out of order where they nest (a long report page around
// short ones).
type spans struct {
	ivs   []interval
	until []time.Time
}

func newSpans(ivs []interval) spans {
	sort.Slice(ivs, func(i, j int) bool { return ivs[i].from.Before(ivs[j].from) })
	s := spans{ivs: ivs, until: make([]time.Time, len(ivs))}
	for i, iv := range ivs {
		s.until[i] = iv.to
		if i > 0 && s.until[i-1].After(iv.to) {
			s.until[i] = s.until[i-1]
		}
	}
	return s
}

// overlap is how long [a, b] overlaps the spans, each counted apart.
func (s spans) overlap(a, b time.Time) time.Duration {
	var sum time.Duration
	i := sort.Search(len(s.ivs), func(i int) bool { return !s.until[i].Before(a) })
	for ; i < len(s.ivs) && s.ivs[i].from.Before(b); i++ {
		from, to := s.ivs[i].from, s.ivs[i].to
		if from.Before(a) {
			from = a
		}
		if to.After(b) {
			to = b
		}
		if to.After(from) {
			sum += to.Sub(from)
		}
	}
	return sum
}

// stopTicking ends start's reading of the machine's times, once: by
// report, or when the run failed before it.
func (p *TailProbe) stopTicking() {
	if p.stopTick != nil {
		close(p.stopTick)
		p.ticked.Wait()
		p.stopTick = nil
	}
}

// report stops the probe and prints the story of the run's tail.
func (p *TailProbe) report(w io.Writer, reqs []reqRec) {
	p.on.Store(false)
	p.stopTicking()
	m1 := readRuntime()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range reqs {
		if s, ok := p.served[reqs[i].id]; ok {
			reqs[i].handlerFrom, reqs[i].handlerTo = s.start, s.end
		}
	}
	// What may delay a request: commits (the writer busy), collector
	// pauses, heavy requests in flight (report pages, receipts).
	var commits, pauses, reports, receipts []interval
	for _, c := range p.commits {
		commits = append(commits, interval{c.end.Add(-c.took), c.end})
	}
	n := ms.NumGC - p.g0
	if n > 256 {
		n = 256 // the runtime keeps the last 256
	}
	for k := uint32(0); k < n; k++ {
		i := (ms.NumGC - 1 - k) % 256
		end := time.Unix(0, int64(ms.PauseEnd[i]))
		pauses = append(pauses, interval{end.Add(-time.Duration(ms.PauseNs[i])), end})
	}
	for _, r := range reqs {
		if r.handlerFrom.IsZero() {
			continue
		}
		switch r.kind {
		case kReport:
			reports = append(reports, interval{r.handlerFrom, r.handlerTo})
		case kReceipt:
			receipts = append(receipts, interval{r.handlerFrom, r.handlerTo})
		}
	}
	commitSpans, reportSpans, receiptSpans := newSpans(commits), newSpans(reports), newSpans(receipts)

	fmt.Fprintf(w, "  tail: where the time of the slowest 1 %% of each kind went (mean ms; all: every request of the kind)\n")
	fmt.Fprintf(w, "  %-18s %5s %9s %8s %8s %8s %8s %8s %8s %8s\n", "kind", "n", "latency", "behind", "to hdlr", "handler", "back",
		"commit∩", "06a∩", "receipt∩")
	fmt.Fprintf(w, "  (behind: due until sent, the session's previous request still running; to hdlr: sent until the handler began; back: handler's end until the answer was read; commit∩: handler time during which the store was committing; 06a∩, receipt∩: time during which another report page or receipt was being served)\n")
	byKind := map[string][]reqRec{}
	for _, r := range reqs {
		if !r.handlerFrom.IsZero() {
			byKind[r.kind] = append(byKind[r.kind], r)
		}
	}
	ms1 := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	line := func(label string, rs []reqRec) {
		var lat, behind, to, h, back, ci, ri, pi time.Duration
		for _, r := range rs {
			start := r.start()
			lat += r.recv.Sub(start)
			behind += r.sent.Sub(start)
			to += r.handlerFrom.Sub(r.sent)
			h += r.handlerTo.Sub(r.handlerFrom)
			back += r.recv.Sub(r.handlerTo)
			ci += commitSpans.overlap(r.handlerFrom, r.handlerTo)
			// Other heavy requests only: a report page or a receipt
			// is in its own list.
			own := r.handlerTo.Sub(r.handlerFrom)
			switch r.kind {
			case kReport:
				ri -= own
			case kReceipt:
				pi -= own
			}
			ri += reportSpans.overlap(r.sent, r.recv)
			pi += receiptSpans.overlap(r.sent, r.recv)
		}
		k := time.Duration(len(rs))
		fmt.Fprintf(w, "  %-18s %5d %9s %8s %8s %8s %8s %8s %8s %8s\n", label, len(rs), ms1(lat/k), ms1(behind/k), ms1(to/k), ms1(h/k), ms1(back/k),
			ms1(ci/k), ms1(ri/k), ms1(pi/k))
	}
	for _, kind := range kindOrder {
		rs := byKind[kind]
		if len(rs) < 10 {
			continue
		}
		lat := func(r reqRec) time.Duration { return r.recv.Sub(r.start()) }
		sort.Slice(rs, func(i, j int) bool { return lat(rs[i]) < lat(rs[j]) })
		cut := len(rs) * 99 / 100
		line(kind+" tail", rs[cut:])
		line("  all", rs)
	}
	printSeconds(w, reqs, p.machine)
	// The writer and the runtime during the run.
	if len(p.commits) > 0 {
		took := make([]time.Duration, len(p.commits))
		batch := 0
		for i, c := range p.commits {
			took[i] = c.took
			batch += c.batch
		}
		fmt.Fprintf(w, "  commits: %d, %.1f writes each; begin to durable p50 %s, p99 %s, max %s ms\n", len(took), float64(batch)/float64(len(took)),
			ms1(pct(took, 50)), ms1(pct(took, 99)), ms1(pct(took, 100)))
	}
	var pauseTotal, pauseMax time.Duration
	for _, iv := range pauses {
		d := iv.to.Sub(iv.from)
		pauseTotal += d
		pauseMax = max(pauseMax, d)
	}
	f := func(s []metrics.Sample, name string) float64 {
		for _, x := range s {
			if x.Name == name {
				switch x.Value.Kind() {
				case metrics.KindFloat64:
					return x.Value.Float64()
				case metrics.KindUint64:
					return float64(x.Value.Uint64())
				}
			}
		}
		return 0
	}
	cpu := f(m1, "/cpu/classes/total:cpu-seconds") - f(p.m0, "/cpu/classes/total:cpu-seconds") -
		(f(m1, "/cpu/classes/idle:cpu-seconds") - f(p.m0, "/cpu/classes/idle:cpu-seconds"))
	gc := f(m1, "/cpu/classes/gc/total:cpu-seconds") - f(p.m0, "/cpu/classes/gc/total:cpu-seconds")
	assist := f(m1, "/cpu/classes/gc/mark/assist:cpu-seconds") - f(p.m0, "/cpu/classes/gc/mark/assist:cpu-seconds")
	cycles := f(m1, "/gc/cycles/total:gc-cycles") - f(p.m0, "/gc/cycles/total:gc-cycles")
	fmt.Fprintf(w, "  collector: %.0f cycles, %.0f %% of the busy CPU (assists %.0f %%); %d stop-the-world pauses seen, %s ms in all, longest %s ms\n",
		cycles, 100*gc/max(cpu, 1e-9), 100*assist/max(cpu, 1e-9), len(pauses), ms1(pauseTotal), ms1(pauseMax))
	sched := histDiff(p.m0, m1, "/sched/latencies:seconds")
	fmt.Fprintf(w, "  runnable goroutines waited for a core: p50 %s, p99 %s, p99.9 %s ms (%d waits)\n",
		ms1(sched.q(0.5)), ms1(sched.q(0.99)), ms1(sched.q(0.999)), sched.n)
}

// hist is the difference of a runtime histogram between two readings.
type hist struct {
	counts  []uint64
	buckets []float64
	n       uint64
}

// histDiff is the histogram name between the readings a and b.
func histDiff(a, b []metrics.Sample, name string) hist {
	var ha, hb *metrics.Float64Histogram
	for i := range a {
		if a[i].Name == name && a[i].Value.Kind() == metrics.KindFloat64Histogram {
			ha = a[i].Value.Float64Histogram()
		}
		if b[i].Name == name && b[i].Value.Kind() == metrics.KindFloat64Histogram {
			hb = b[i].Value.Float64Histogram()
		}
	}
	if ha == nil || hb == nil {
		return hist{}
	}
	return diffHist(ha, hb)
}

// diffHist is the histogram of what b counted since a (the same buckets).
func diffHist(ha, hb *metrics.Float64Histogram) hist {
	var h hist
	h.buckets = hb.Buckets
	h.counts = make([]uint64, len(hb.Counts))
	for i := range hb.Counts {
		h.counts[i] = hb.Counts[i] - ha.Counts[i]
		h.n += h.counts[i]
	}
	return h
}

// q is the q-quantile's bucket's upper bound.
func (h hist) q(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	// The smallest bucket holding at least q of the counts.
	want := max(1, uint64(math.Ceil(q*float64(h.n))))
	var c uint64
	for i, n := range h.counts {
		c += n
		if c >= want {
			hi := h.buckets[i+1]
			if hi > 1e9 {
				hi = h.buckets[i]
			}
			return time.Duration(hi * float64(time.Second))
		}
	}
	return 0
}

// printSeconds prints, for each second of the run, how many requests
// were due in it and their 99th percentile, and the machine's busy and
// stolen shares in the second from machine (read each second from the
// run's start): a tail made of a few bad seconds (something stalled
// everything) reads differently from one spread over the run (a queue
// that grows and drains all the time).
func printSeconds(w io.Writer, reqs []reqRec, machine []MachineTimes) {
	if len(reqs) == 0 {
		return
	}
	first := reqs[0].start()
	for _, r := range reqs {
		if s := r.start(); s.Before(first) {
			first = s
		}
	}
	var secs [][]time.Duration
	for _, r := range reqs {
		i := int(r.start().Sub(first) / time.Second)
		for len(secs) <= i {
			secs = append(secs, nil)
		}
		secs[i] = append(secs[i], r.recv.Sub(r.start()))
	}
	fmt.Fprintf(w, "  by second of the run: requests due, their p99 in ms, the cores' busy %% and stolen %%:")
	for i, lat := range secs {
		if i%5 == 0 {
			fmt.Fprintf(w, "\n   ")
		}
		p99 := 0.0
		if len(lat) > 0 {
			p99 = float64(pct(lat, 99).Microseconds()) / 1000
		}
		fmt.Fprintf(w, " %4d %6.1f", len(lat), p99)
		if i+1 < len(machine) {
			if sh, ok := machine[i+1].Since(machine[i]); ok {
				fmt.Fprintf(w, " %3.0f %4.1f", 100*sh.Busy, 100*sh.Steal)
			}
		}
		fmt.Fprintf(w, " |")
	}
	fmt.Fprintln(w)
}
