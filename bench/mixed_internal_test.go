package bench

import (
	"math/rand/v2"
	"runtime/metrics"
	"strings"
	"testing"
	"time"
)

// The workload reads the dossier codes an inbox page links to, and only
// those (not the links under a dossier, nor a cut-off link).
func TestInboxCodes(t *testing.T) {
	page := []byte(`<a href="/ho-so/H99.101-250310-0001">x</a> <a href="/ho-so/H99.101-250310-0002/in/receipt">r</a>` +
		`<a href="/ho-so/?q=1">q</a><a href="/ho-so/H99.2-1">y</a><a href="/ho-so/`)
	got := inboxCodes(nil, page)
	if len(got) != 2 || got[0] != "H99.101-250310-0001" || got[1] != "H99.2-1" {
		t.Errorf("codes %q", got)
	}
}

// overlap sums how much of a span the intervals cover, each clipped to
// it, the ones outside ignored.
func TestOverlap(t *testing.T) {
	t0 := time.Date(2026, 12, 6, 8, 0, 0, 0, time.UTC)
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	ivs := []interval{{at(100), at(110)}, {at(20), at(30)}, {at(25), at(50)}, {at(0), at(10)}}
	for _, c := range []struct {
		a, b int
		want time.Duration
	}{
		{5, 22, 7 * time.Millisecond},   // the end of the first, the start of the second
		{12, 18, 0},                     // between two
		{0, 200, 55 * time.Millisecond}, // all of them (the overlapping two counted each)
		{40, 105, 15 * time.Millisecond},
		{200, 300, 0},
	} {
		if got := newSpans(ivs).overlap(at(c.a), at(c.b)); got != c.want {
			t.Errorf("[%d, %d] ms: %v, want %v", c.a, c.b, got, c.want)
		}
	}
	// A long span around short ones: its end is not the last.
	nested := []interval{{at(0), at(100)}, {at(10), at(20)}, {at(30), at(40)}}
	for _, c := range []struct {
		a, b int
		want time.Duration
	}{{50, 60, 10 * time.Millisecond}, {15, 35, 30 * time.Millisecond}, {95, 120, 5 * time.Millisecond}} {
		if got := newSpans(nested).overlap(at(c.a), at(c.b)); got != c.want {
			t.Errorf("[%d, %d] ms: %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

// A histogram's quantile is the upper bound of the bucket it falls in,
// counted from the difference of two readings.
func TestHistQuantile(t *testing.T) {
	buckets := []float64{0, 0.001, 0.01, 0.1, 1}
	h := diffHist(&metrics.Float64Histogram{Buckets: buckets, Counts: []uint64{5, 0, 0, 0}},
		&metrics.Float64Histogram{Buckets: buckets, Counts: []uint64{95, 8, 1, 1}})
	if h.n != 100 {
		t.Fatalf("%d waits, want 100", h.n)
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, time.Millisecond}, {0.95, 10 * time.Millisecond}, {0.99, 100 * time.Millisecond}, {0.999, time.Second}} {
		if got := h.q(c.q); got != c.want {
			t.Errorf("q%.3f: %v, want %v", c.q, got, c.want)
		}
	}
}

// Each second of a run gets its own count and 99th percentile, taken from
// when each request was due, with the machine's shares in that second.
func TestPrintSeconds(t *testing.T) {
	t0 := time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)
	var reqs []reqRec
	add := func(at, took time.Duration) {
		due := t0.Add(at)
		reqs = append(reqs, reqRec{due: due, sent: due.Add(time.Millisecond), recv: due.Add(took)})
	}
	for i := range 100 { // second 0: one slow request of 100
		took := 5 * time.Millisecond
		if i == 99 {
			took = 300 * time.Millisecond
		}
		add(time.Duration(i)*10*time.Millisecond, took)
	}
	for i := range 50 { // second 1: even
		add(time.Second+time.Duration(i)*20*time.Millisecond, 8*time.Millisecond)
	}
	add(2500*time.Millisecond, 40*time.Millisecond) // second 2: one
	machine := []MachineTimes{{}, {Busy: 180, Idle: 10, Steal: 10}, {Busy: 280, Idle: 100, Steal: 20}}
	var b strings.Builder
	printSeconds(&b, reqs, machine)
	want := "  by second of the run: requests due, their p99 in ms, the cores' busy % and stolen %:\n" +
		"     100    5.0  90  5.0 |   50    8.0  50  5.0 |    1   40.0 |\n"
	if b.String() != want {
		t.Errorf("got\n%q\nwant\n%q", b.String(), want)
	}
}

// A paced session's gaps, its first one included, are exponential: the
// share of sessions whose first request falls in the first half of a mean
// gap is 1 − e^−½ ≈ 39 %, not the half a uniform draw gives, so a run
// starts at its rate rather than twice it.
func TestExpGap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	var early int
	var sum time.Duration
	for range n {
		d := expGap(rng, 1)
		sum += d
		if d < 500*time.Millisecond {
			early++
		}
	}
	if share := float64(early) / n; share < 0.37 || share > 0.42 {
		t.Errorf("%.3f of the first requests in the first half gap, want about 0.393", share)
	}
	if mean := sum / n; mean < 950*time.Millisecond || mean > 1050*time.Millisecond {
		t.Errorf("mean gap %v, want about 1s", mean)
	}
}
