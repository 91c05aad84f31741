package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/motcua/motcua/bench"
	"github.com/motcua/motcua/sqlstore"
)

type benchOptions struct {
	duration time.Duration
	clients  int
	rounds   int
	dir      string
	profile  string
	only     string
}

func (b *benchOptions) bind(fs *flag.FlagSet) {
	fs.DurationVar(&b.duration, "duration", 5*time.Second, "length of each measurement")
	fs.IntVar(&b.clients, "clients", 64, "concurrent clients")
	fs.IntVar(&b.rounds, "rounds", 3, "interleaved rounds (the median ratio is reported)")
	fs.StringVar(&b.dir, "dir", "", "scratch folder on the disk to measure (default: a temporary folder)")
	fs.StringVar(&b.only, "only", "", "measure only one pair: intake or lookup")
	fs.StringVar(&b.profile, "cpuprofile", "", "write a CPU profile of the whole run to this file (go tool pprof)")
}

// runBench runs the benchmark and prints the figures as ratios to their
// baselines, with the targets of issue 2.
func runBench(ctx context.Context, cfg Config, o benchOptions, stdout io.Writer) error {
	if o.profile != "" {
		f, err := os.Create(o.profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var pg string
	if sqlstore.IsPostgresURL(cfg.DB) {
		pg = cfg.DB
	}
	r, err := bench.Run(ctx, bench.Options{Dir: o.dir, Duration: o.duration, Clients: o.clients, Rounds: o.rounds, Only: o.only,
		Postgres: pg, Out: stdout})
	if err != nil {
		return err
	}
	verdict := func(ok bool) string {
		if ok {
			return "meets"
		}
		return "MISSES"
	}
	fmt.Fprintf(stdout, "\nmedian of %d rounds, %d clients, %s each:\n", o.rounds, o.clients, o.duration)
	if len(r.Intake) > 0 {
		fmt.Fprintf(stdout, "  intake / raw inserts     = %.2f  (%s target ≥ 1.3)\n", r.IntakeRatio, verdict(r.IntakeRatio >= 1.3))
	}
	if len(r.Lookup) > 0 {
		fmt.Fprintf(stdout, "  lookup / minimal handler = %.2f  (%s target ≥ 0.6); with caches off %.2f\n", r.LookupRatio, verdict(r.LookupRatio >= 0.6), r.UncachedRatio)
	}
	db := ""
	if pg != "" {
		db = " --db postgres://…"
	}
	fmt.Fprintf(stdout, "reproduce: go run ./cmd/motcua bench%s --duration %s --clients %d --rounds %d\n", db, o.duration, o.clients, o.rounds)
	return nil
}
