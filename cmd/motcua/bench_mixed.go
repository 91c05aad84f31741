package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/bench"
	"github.com/motcua/motcua/jobs"
	"github.com/motcua/motcua/sqlstore"
)

// mixedBench runs the mixed staff workload (issue 15) on the province of
// --data or --db, wired exactly as `motcua serve` wires it, once per number
// of sessions in --sessions.
func mixedBench(ctx context.Context, cfg Config, o benchOptions, stdout io.Writer) error {
	var counts []int
	for _, f := range strings.Split(o.sessions, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return fmt.Errorf("--sessions: %q is not a positive number", f)
		}
		counts = append(counts, n)
	}
	if o.rate < 0 || math.IsNaN(o.rate) || math.IsInf(o.rate, 0) {
		return fmt.Errorf("--rate: %v is not a number of requests per second (0: a closed loop)", o.rate)
	}
	if o.warmup < 0 {
		return fmt.Errorf("--warmup: %v is not a length of time (0: no warm-up)", o.warmup)
	}
	var without []string
	if o.without != "" {
		without = strings.Split(o.without, ",")
	}
	cfg.pgWriters = o.writers
	commits := &bench.CommitCounter{}
	var probe *bench.TailProbe
	obs := sqlstore.Observer(commits)
	if o.tail {
		probe = bench.NewTailProbe()
		obs = sqlstore.Observers(commits, probe)
	}
	db, err := openServingStore(ctx, cfg, true, obs)
	if err != nil {
		return err
	}
	var serverCPU func() time.Duration
	if sqlstore.IsPostgresURL(cfg.DB) {
		serverCPU, _ = bench.PGServerCPU(ctx, cfg.DB)
	}
	defer db.Close()
	// As behind the reverse proxy of a deployment (docs/deployment.md):
	// the workload's citizens come from many addresses, which the
	// proxy on loopback names in X-Forwarded-For, and the limits per
	// address apply to each of them, not to all at once.
	cfg.TrustedProxies = append(cfg.TrustedProxies, "127.0.0.1")
	a, err := newApp(ctx, cfg, db, nil)
	if err != nil {
		return err
	}
	var n int64
	if err := func() error { var err error; n, err = db.CountRows(ctx, "dossiers"); return err }(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "mixed staff workload on %s (%d dossiers, engine %s)\n", cfg.DB, n, db.Engine())
	stopFolding, err := foldAsServeDoes(ctx, a, cfg.JobsInterval, stdout)
	if err != nil {
		return err
	}
	defer stopFolding()
	for _, s := range counts {
		cpu := mixedProfile(o.profile, s, len(counts) > 1, stdout)
		var peak bench.MemSample
		heapPath := o.memprofile
		if heapPath != "" && len(counts) > 1 {
			heapPath += "." + strconv.Itoa(s)
		}
		hook := func() func() {
			stopCPU := func() {}
			if cpu != nil {
				stopCPU = cpu()
			}
			mem := bench.StartMemSampler(heapPath)
			return func() { stopCPU(); peak = mem.End() }
		}
		r, err := bench.RunMixed(ctx, bench.MixedOptions{Store: db, Handler: a.srv, Sessions: s, Duration: o.duration,
			Solo: o.solo, Without: without, Rate: o.rate, Out: stdout, Profile: hook, Tail: probe,
			ServerCPU: serverCPU, Commits: commits, Warmup: o.warmup})
		if err != nil {
			return err
		}
		printMixed(stdout, r)
		peak.Print(stdout)
		if heapPath != "" {
			fmt.Fprintf(stdout, "  heap profile at the highest Go heap of the %d-session run: %s\n", s, heapPath)
		}
	}
	db2 := "--data DIR"
	if sqlstore.IsPostgresURL(cfg.DB) {
		db2 = "--db postgres://…"
	}
	rate := ""
	if o.rate > 0 {
		rate = fmt.Sprintf(" --rate %g", o.rate)
	}
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua demo %s --dossiers N --year Y --no-serve && go run ./cmd/motcua bench --mixed %s --sessions %s --duration %s --solo %s --warmup %s%s%s\n",
		db2, db2, o.sessions, o.duration, o.solo, o.warmup, withoutFlag(o.without), rate)
	return nil
}

// mixedProfile returns the hook that writes a CPU profile of one
// concurrent run to path (path.N for N sessions when there are several
// runs), or nil without a path.
func mixedProfile(path string, sessions int, several bool, stdout io.Writer) func() func() {
	if path == "" {
		return nil
	}
	if several {
		path += "." + strconv.Itoa(sessions)
	}
	return func() func() {
		stop, err := startCPUProfile(path)
		if err != nil {
			fmt.Fprintf(stdout, "no CPU profile: %v\n", err)
			return func() {}
		}
		return func() {
			stop()
			fmt.Fprintf(stdout, "CPU profile of the %d-session run: %s\n", sessions, path)
		}
	}
}

func printMixed(w io.Writer, r *bench.MixedReport) {
	stolen := r.MachineKnown && r.Machine.Disturbed()
	judged := func(ok bool) string {
		if stolen {
			// The rates and latencies are the host's as much as ours.
			return "not judged"
		}
		return verdict(ok)
	}
	how := "closed loop: each session clicks again as soon as answered"
	if r.Offered > 0 {
		how = fmt.Sprintf("paced: %.0f requests/s offered at random times, latency from when each was due", r.Offered)
	}
	fmt.Fprintf(w, "\n%d sessions (%s): %.0f operations/s (%s target ≥ 1000) = %.2f× the minimal handler's %.0f/s\n",
		r.Sessions, how, r.Rate, judged(r.Rate >= 1000), r.Rate/r.MinimalRate, r.MinimalRate)
	if r.CPU > 0 {
		fmt.Fprintf(w, "  CPU %s per operation (this process, load generator included): %.0f operations/s per dedicated core\n",
			usStr(r.CPU), float64(time.Second)/float64(r.CPU))
	}
	if r.ServerCPU > 0 {
		fmt.Fprintf(w, "  database server CPU %s per operation (PostgreSQL's processes): %s in all with this process's\n",
			usStr(r.ServerCPU), usStr(r.CPU+r.ServerCPU))
	}
	if r.MachineKnown {
		fmt.Fprintf(w, "  the machine's cores meanwhile: %.0f %% busy, %.0f %% idle, %.1f %% stolen by the hypervisor (another guest ran)\n",
			100*r.Machine.Busy, 100*r.Machine.Idle, 100*r.Machine.Steal)
		if stolen {
			fmt.Fprintf(w, "  more than %.0f %% of the cores was stolen: the rate and latencies are not judged; run again at a quieter moment\n",
				100*bench.StealLimit)
		}
	}
	if r.PoolMax > 0 {
		fmt.Fprintf(w, "  connection pool: %d connections at most; %d waits for one, %s in all (%s per operation)\n",
			r.PoolMax, r.PoolWaits, r.PoolWait.Round(time.Millisecond), msStr(r.PoolWaitPerOp))
	}
	if r.Commits > 0 {
		fmt.Fprintf(w, "  group commit: %d commits of %d write transactions (%.1f per commit)\n",
			r.Commits, r.CommitTxs, float64(r.CommitTxs)/float64(r.Commits))
	}
	fmt.Fprintf(w, "  %-18s %8s %6s %6s  %9s %9s  %9s %9s  %s\n", "kind", "ok", "409", "4xx", "p50", "p99", "solo p50", "solo p99", "p99 ≤ 50 ms")
	for _, k := range r.Kinds {
		fmt.Fprintf(w, "  %-18s %8d %6d %6d  %9s %9s  %9s %9s  %s\n", k.Kind, k.Ops, k.Conflicts, k.Refused,
			msStr(k.P50), msStr(k.P99), msStr(k.SoloP50), msStr(k.SoloP99), judged(k.P99 <= 50*time.Millisecond))
	}
	if r.Warmup > 0 {
		fmt.Fprintf(w, "  warm-up before it, not counted: %s, %d operations, p99 of every kind together %s, slowest %s\n",
			r.Warmup, r.WarmupOps, msStr(r.WarmupP99), msStr(r.WarmupSlowest))
	}
	fmt.Fprintf(w, "  peak memory (RSS, load generator included) %.0f MB (%s target ≤ 256 MB)\n", float64(r.PeakRSS)/(1<<20), verdict(r.PeakRSS <= 256<<20))
	fmt.Fprintf(w, "  checked: the %d dossiers received or moved are stored with the events and state the workload was answered\n", r.Checked)
}

// usStr writes a CPU time per operation in microseconds: a tenth of a
// millisecond is a tenth of what is compared.
func usStr(d time.Duration) string { return fmt.Sprintf("%d µs", d.Microseconds()) }

func msStr(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000) }

func withoutFlag(w string) string {
	if w == "" {
		return ""
	}
	return " --without " + w
}

// foldAsServeDoes folds the live counters' pending changes, then every
// interval until stopped, by serve's own fold-live-counters job (jobs.Run).
// Without it the reports of a run would read the changes of every earlier
// run on the same database (each run writes some 20,000 a minute at 1,100
// requests/s, and nothing folded them), where a serving instance's
// counters hold at most an interval's.
func foldAsServeDoes(ctx context.Context, a *app, interval time.Duration, stdout io.Writer) (stop func(), err error) {
	var fold []jobs.Job
	for _, j := range a.jobs {
		if j.Name == "fold-live-counters" {
			fold = append(fold, j)
		}
	}
	if len(fold) != 1 {
		return nil, fmt.Errorf("serve has %d jobs named fold-live-counters, want 1", len(fold))
	}
	start := time.Now()
	n, err := fold[0].Run(ctx)
	if err != nil {
		return nil, fmt.Errorf("fold the live counters: %w", err)
	}
	fmt.Fprintf(stdout, "live counters: %d pending changes folded in %s; folded again every %s during the runs, as serve does\n",
		n, time.Since(start).Round(time.Millisecond), interval)
	fctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		select { // the first fold was just made
		case <-fctx.Done():
			return
		case <-time.After(interval):
		}
		jobs.Run(fctx, interval, fold)
	}()
	return func() { cancel(); <-done }, nil
}
