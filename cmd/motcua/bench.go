package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/bench"
	"github.com/motcua/motcua/sqlstore"
)

type benchOptions struct {
	duration time.Duration
	clients  int
	rounds   int
	dir      string
	profile  string
	// memprofile is where --mixed writes a heap profile of each
	// concurrent run, taken when its Go heap was highest.
	memprofile string
	only       string
	reports    bool
	year       int
	writers    int
	sync       bool
	syncRate   float64
	sign       bool
	mixed      bool
	sessions   string
	solo       time.Duration
	warmup     time.Duration
	without    string
	rate       float64
	tail       bool

	partition bool
	bytes     bool
}

func (b *benchOptions) bind(fs *flag.FlagSet) {
	fs.DurationVar(&b.duration, "duration", 5*time.Second, "length of each measurement")
	fs.IntVar(&b.clients, "clients", 64, "concurrent clients")
	fs.IntVar(&b.rounds, "rounds", 3, "interleaved rounds (the median ratio is reported); with --reports: timed runs of each report (the median is reported)")
	fs.StringVar(&b.dir, "dir", "", "scratch folder on the disk to measure (default: a temporary folder)")
	fs.BoolVar(&b.reports, "reports", false, "time reports 06a and the QĐ 766 index on the database of --data or --db (fill it first with motcua demo --dossiers 1600000 --year Y --no-serve; for PostgreSQL, then motcua migrate-data)")
	fs.IntVar(&b.year, "year", time.Now().In(motcua.VietnamTime).Year()-1, "with --reports: the generated year")
	fs.StringVar(&b.only, "only", "", "measure only one pair: intake or lookup; sign is --sign")
	fs.IntVar(&b.writers, "pg-writers", 0, "with --db postgres://… (intake, --mixed): the store's number of writers (default: the store's default)")
	fs.StringVar(&b.profile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof); with --mixed, of each concurrent run only (FILE.N for N sessions when there are several)")
	fs.StringVar(&b.memprofile, "memprofile", "", "with --mixed: write a heap profile of each concurrent run, taken at its highest Go heap, to this file (FILE.N for N sessions when there are several)")
	fs.BoolVar(&b.sync, "sync", false, "measure the status synchronisation with the national portal (its simulator on loopback) against the intake")
	fs.Float64Var(&b.syncRate, "sync-rate", 20, "with --sync: dossiers per second received during the lag measurement")
	fs.BoolVar(&b.mixed, "mixed", false, "run the mixed staff workload on the province of --data or --db (fill it first with motcua demo --dossiers N --year Y --no-serve); it changes that database")
	fs.StringVar(&b.sessions, "sessions", "64,512", "with --mixed: the numbers of concurrent staff sessions, comma-separated")
	fs.DurationVar(&b.solo, "solo", 10*time.Second, "with --mixed: the length of the single-client latency baseline")
	fs.DurationVar(&b.warmup, "warmup", 3*time.Second, "with --mixed: how long the sessions run the workload before each measured run, not counted in it (its p99 is printed apart: the cold start of a step from no load); 0: none")
	fs.StringVar(&b.without, "without", "", "with --mixed: kinds left out of the mix, comma-separated (inbox, filter, page, json, action, reception, receipt, report, lookup)")
	fs.Float64Var(&b.rate, "rate", 0, "with --mixed: pace the sessions so that together they offer this many requests per second at random times (officers think between clicks) and count latencies from when each request was due; 0: a closed loop, every session clicks again as soon as answered (capacity)")
	fs.BoolVar(&b.tail, "tail", false, "with --mixed: time every request of each concurrent run at each step (due, sent, handler, answered) and print where the slowest 1 % of each kind spent its time and what ran meanwhile (commits, collector, report pages, receipts)")
	fs.BoolVar(&b.partition, "partition", false, "with --db postgres://…: copy the dossiers into a table partitioned by month of --year and time the same inbox, lookup, 06a and inserts on both (needs space for a copy of the dossiers)")
	fs.BoolVar(&b.bytes, "bytes", false, "print the bytes per dossier of the database of --data or --db, rows and indexes separately, table by table (reads only)")
	fs.BoolVar(&b.sign, "sign", false, "measure PDF signatures per second with a key file against raw RSA/ECDSA signatures, and a leader signing 100 results at once")

}

// runBench runs the benchmark and prints the figures as ratios to their
// baselines, with the targets of issue 2 (and of issue 5 with --reports).
func runBench(ctx context.Context, cfg Config, o benchOptions, stdout io.Writer) error {
	if o.profile != "" && !o.mixed { // --mixed profiles its concurrent runs only
		stop, err := startCPUProfile(o.profile)
		if err != nil {
			return err
		}
		defer stop()
	}
	if o.reports {
		return reportBench(ctx, cfg, o, stdout)
	}
	if o.sync {
		return syncBench(ctx, cfg, o, stdout)
	}
	switch o.only {
	case "", "intake", "lookup", "sign":
	default: // not silently the whole run
		return fmt.Errorf("--only %q: choose intake, lookup or sign", o.only)
	}
	if o.sign || o.only == "sign" {
		return signBench(ctx, o, stdout)
	}
	if o.mixed {
		return mixedBench(ctx, cfg, o, stdout)
	}
	if o.partition {
		return partitionBench(ctx, cfg, o, stdout)
	}
	if o.bytes {
		return bytesBench(ctx, cfg, stdout)
	}
	var pg string
	if sqlstore.IsPostgresURL(cfg.DB) {
		pg = cfg.DB
	}
	r, err := bench.Run(ctx, bench.Options{Dir: o.dir, Duration: o.duration, Clients: o.clients, Rounds: o.rounds, Only: o.only,
		Postgres: pg, PGWriters: o.writers, Out: stdout})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nmedian of %d rounds, %d clients, %s each:\n", o.rounds, o.clients, o.duration)
	if len(r.Intake) > 0 {
		// SQLite's group commit beats single-row commits (issue 2);
		// on PostgreSQL the baseline's commits run on 16 connections at
		// once and issue 15 asks for half of it.
		target := 1.3
		if pg != "" {
			target = 0.5
		}
		v := verdict(r.IntakeRatio >= target)
		if n := bench.Disturbed(r.Raw, r.Intake); n > 0 {
			v = disturbed(n, 2*len(r.Intake))
		}
		fmt.Fprintf(stdout, "  intake / raw inserts     = %.2f  (%s target ≥ %.1f)\n", r.IntakeRatio, v, target)
	}
	if len(r.Lookup) > 0 {
		v := verdict(r.LookupRatio >= 0.6)
		if n := bench.Disturbed(r.Minimal, r.Lookup); n > 0 {
			v = disturbed(n, 2*len(r.Lookup))
		}
		fmt.Fprintf(stdout, "  lookup / minimal handler = %.2f  (%s target ≥ 0.6); with caches off %.2f\n", r.LookupRatio, v, r.UncachedRatio)
	}
	db := ""
	if pg != "" {
		db = " --db postgres://…"
		if o.writers > 0 {
			db += fmt.Sprintf(" --pg-writers %d", o.writers)
		}
	}
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua bench%s --duration %s --clients %d --rounds %d\n", db, o.duration, o.clients, o.rounds)
	return nil
}

// reportBench times the reports on a generated province-year.
func reportBench(ctx context.Context, cfg Config, o benchOptions, stdout io.Writer) error {
	fmt.Fprintf(stdout, "reports on %s (year %d):\n", cfg.DB, o.year)
	f, err := bench.RunReports(ctx, bench.ReportOptions{DB: cfg.DB, Year: o.year, Runs: o.rounds, Out: stdout})
	if err != nil {
		return err
	}
	// Issue 15: 06a for any period within 0.5 s on SQLite, 1 s on
	// PostgreSQL; the slowest of the periods timed is the one judged.
	limit06a := 500 * time.Millisecond
	if sqlstore.IsPostgresURL(cfg.DB) {
		limit06a = time.Second
	}
	worst, period := f.Base06aYear, "year"
	if f.Base06aMonth > worst {
		worst, period = f.Base06aMonth, "December"
	}
	if f.Base06aMarch > worst {
		worst, period = f.Base06aMarch, "March"
	}
	if f.Base06aWorst > worst {
		worst, period = f.Base06aWorst, f.Base06aWorstPeriod
	}
	fmt.Fprintf(stdout, "\n  06a from the dossiers    %7.1f ms  (year; %.2f× a full COUNT(*))\n", ms(f.Base06aYear), float64(f.Base06aYear)/float64(f.Baseline))
	fmt.Fprintf(stdout, "  06a, slowest period      %7.1f ms  (%s; %s target ≤ %s for any period)\n", ms(worst), period, verdict(worst <= limit06a), limit06a)
	fmt.Fprintf(stdout, "  06a from live counters   %7.1f ms  (%s target ≤ 50 ms)\n", ms(f.Live06aYear), verdict(f.Live06aYear <= 50*time.Millisecond))
	fmt.Fprintf(stdout, "  06a live, 15/01–20/11    %7.1f ms  (%s target ≤ 50 ms)\n", ms(f.Live06aSpan), verdict(f.Live06aSpan <= 50*time.Millisecond))
	fmt.Fprintf(stdout, "  index, every unit        %7.1f ms  (%s target ≤ 2 s; from the dossiers %.1f ms)\n", ms(f.IndexYear), verdict(f.IndexYear <= 2*time.Second), ms(f.IndexBaseYear))
	fmt.Fprintf(stdout, "  four at once (2 indexes, 2 06a) %7.1f ms, peak Go memory %.1f MB  (%s target ≤ 256 MB)\n", ms(f.Four), float64(f.FourPeak)/(1<<20), verdict(f.FourPeak <= 256<<20))
	fmt.Fprintf(stdout, "  index from the dossiers  %7.1f ms  (%s target ≤ 1 s)\n", ms(f.IndexBaseYear), verdict(f.IndexBaseYear <= time.Second))
	fmt.Fprintf(stdout, "  peak memory (RSS)        %7.1f MB  (%s target < 256 MB)\n", float64(f.MaxRSS)/(1<<20), verdict(f.MaxRSS <= 256<<20))
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua demo --data DIR --dossiers 1600000 --year %d --no-serve && go run ./cmd/motcua bench --reports --data DIR --year %d\n", o.year, o.year)
	return nil
}

// verdict is how a figure is judged against its target in the bench's
// summaries.
func verdict(meets bool) string {
	if meets {
		return "meets"
	}
	return "MISSES"
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// Peak figures of a large province, for the synchronisation's target:
// 1.6 million dossiers a year over about 2,000 working hours is 800 an
// hour; the busiest hours take about three times that; a dossier has about
// 6.5 changes in its life (the generated province-year: 10.4 million events
// for 1.6 million dossiers), each one status message.
const (
	peakDossiersPerSecond = 1_600_000.0 / 2000 * 3 / 3600
	messagesPerDossier    = 6.5
)

// syncBench measures the status synchronisation against the intake.
func syncBench(ctx context.Context, cfg Config, o benchOptions, stdout io.Writer) error {
	var pg string
	if sqlstore.IsPostgresURL(cfg.DB) {
		pg = cfg.DB
	}
	r, err := bench.RunSync(ctx, bench.SyncOptions{Dir: o.dir, Postgres: pg, Duration: o.duration, Clients: o.clients,
		Interval: cfg.OutboxInterval, Rate: o.syncRate, Out: stdout})
	if err != nil {
		return err
	}
	need := 10 * peakDossiersPerSecond * messagesPerDossier
	fmt.Fprintf(stdout, "\n  intake via the API           %7.0f dossiers/s (%d status messages queued; %s CPU/op)\n", r.Intake.Rate, r.Queued, us(r.Intake.CPU))
	fmt.Fprintf(stdout, "  drain to the portal (1 loop) %7.0f messages/s (record + progress row each; %s CPU/op) = %.2f× the intake\n",
		r.Drain.Rate, us(r.Drain.CPU), r.Drain.Rate/r.Intake.Rate)
	fmt.Fprintf(stdout, "  10× a large province's peak  %7.1f messages/s (%.1f dossiers/s × %.1f changes): drain is %.0f× that (%s)\n",
		need, 10*peakDossiersPerSecond, messagesPerDossier, r.Drain.Rate/need, verdict(r.Drain.Rate >= need))
	fmt.Fprintf(stdout, "  delivery lag, portal up      p50 %s  p99 %s  max %s  (%d messages at %.0f dossiers/s, delivery every %s)\n",
		r.Percentile(50).Round(time.Millisecond), r.Percentile(99).Round(time.Millisecond), r.Percentile(100).Round(time.Millisecond),
		len(r.Lag), r.LagRate, r.Interval)
	db := ""
	if pg != "" {
		db = " --db postgres://…"
	}
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua bench --sync%s --duration %s --clients %d --sync-rate %.0f --outbox-interval %s\n",
		db, o.duration, o.clients, o.syncRate, cfg.OutboxInterval)
	return nil
}

func us(d time.Duration) string { return fmt.Sprintf("%dµs", d.Microseconds()) }

// signBench measures signing (issue 11).
func signBench(ctx context.Context, o benchOptions, stdout io.Writer) error {
	fmt.Fprintf(stdout, "signing, %s per measurement:\n", o.duration)
	f, err := bench.RunSign(ctx, bench.SignOptions{Dir: o.dir, Duration: o.duration, Out: stdout})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout)
	for _, r := range f.Rates {
		fmt.Fprintf(stdout, "  %-12s PDF/raw = %.2f  (%.1f PDF signatures/s, %.1f raw/s)\n", r.Key, r.PDFPerSec/r.RawPerSec, r.PDFPerSec, r.RawPerSec)
	}
	fmt.Fprintf(stdout, "  leader signs %d results at once: %s (%.1f ms each)\n", f.Results, f.Batch.Round(time.Millisecond), ms(f.Batch)/float64(f.Results))
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua bench --sign --duration %s\n", o.duration)
	return nil
}

// disturbed is the verdict of a ratio n of whose total measurements ran
// while the hypervisor took more than bench.StealLimit of the cores: the
// ratio is printed, but not judged.
func disturbed(n, total int) string {
	return fmt.Sprintf("not judged: %d of %d measurements had more than %.0f %% of the cores stolen by the hypervisor; run again at a quieter moment,",
		n, total, 100*bench.StealLimit)
}
