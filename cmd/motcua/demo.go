package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sqlstore"
)

type demoOptions struct {
	reset    bool
	dossiers int
	year     int
	seed     uint64
	noServe  bool
	noScans  bool
	// profile, when set, is where the generation's CPU profile goes.
	profile string
}

func (d *demoOptions) bind(fs *flag.FlagSet) {
	fs.BoolVar(&d.reset, "reset", false, "delete the demo database first and start afresh")
	fs.IntVar(&d.dossiers, "dossiers", 0, "generate this many dossiers over --year (adds communes as a large province has)")
	fs.IntVar(&d.year, "year", time.Now().In(motcua.VietnamTime).Year(), "the year to generate (up to today for the current year)")
	fs.Uint64Var(&d.seed, "seed", 1, "random seed of the generator (the same seed gives the same province)")
	fs.BoolVar(&d.noServe, "no-serve", false, "stop after loading the data instead of serving")
	fs.BoolVar(&d.noScans, "no-scans", false, "with --dossiers: scan and sign no component and make no electronic result (none is then digitized, every result is on paper: indicators 4.1 and 4.2 read 0); about 15 times faster, for sizing runs")
	fs.StringVar(&d.profile, "cpuprofile", "", "with --dossiers: write a CPU profile of the generation to this file (go tool pprof)")
}

// certFrom is the moment the demo's certificates are made at (valid from a
// year before it for three years): now, or the start of a generated past
// year, so that the scans and results of that year were signed with valid
// certificates.
func (d *demoOptions) certFrom() time.Time {
	now := time.Now()
	if start := time.Date(d.year, 1, 1, 0, 0, 0, 0, motcua.VietnamTime); d.dossiers > 0 && start.Before(now) {
		return start
	}
	return now
}

// now is the demo's present: today, or the end of the generated year when
// it is past, so that the scenarios in every state sit at the end of the
// generated year as they would in a real database of that time.
func (d *demoOptions) now() time.Time {
	now := time.Now()
	if d.dossiers == 0 {
		return now
	}
	if end := time.Date(d.year, 12, 31, 23, 59, 0, 0, motcua.VietnamTime); end.Before(now) {
		return end
	}
	return now
}

// runDemo prepares the embedded database with demo data (once) and serves.
func runDemo(ctx context.Context, cfg Config, stdout io.Writer, o demoOptions) error {
	if o.reset && sqlstore.IsPostgresURL(cfg.DB) {
		return errors.New("--reset only deletes the embedded SQLite database; to start afresh on PostgreSQL, drop and create the database")
	}
	if o.reset {
		// The simulators' state goes with the database it mirrors.
		for _, f := range []string{cfg.DB, cfg.DB + "-wal", cfg.DB + "-shm", filepath.Join(cfg.DataDir, "dvcqg-sim.json"),
			filepath.Join(cfg.DataDir, "payment-sim.json"), filepath.Join(cfg.DataDir, "sms-sim.json")} {
			if err := os.Remove(f); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("reset: %w", err)
			}
		}
	}
	var sims *demoSims
	if !o.noServe {
		var err error
		if sims, err = startDemoSims(&cfg, stdout); err != nil {
			return err
		}
		defer sims.close()
	}
	if err := demoKeys(&cfg, o.certFrom()); err != nil {
		return err
	}
	if err := sign.EnsureDemoCRL(cfg.Keys, time.Now()); err != nil {
		return fmt.Errorf("demo revocation list: %w", err)
	}
	if sims != nil {
		if err := sims.startTSA(&cfg, stdout); err != nil {
			return err
		}
	}
	if err := migrate(ctx, cfg, stdout); err != nil {
		return err
	}
	db, err := openStore(ctx, cfg, true)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newApp(ctx, cfg, db, nil)
	if err != nil {
		return err
	}
	seeded, err := demo.Seeded(ctx, db)
	if err != nil {
		return err
	}
	if !seeded {
		fmt.Fprintln(stdout, "Loading the demo province (first run only)…")
		rules, _ := cfg.rules()
		pattern, _ := motcua.ParseCodePattern(cfg.CodePattern)
		start := time.Now()
		scfg := serviceConfig(cfg, rules, pattern)
		scfg.Blobs, scfg.Signer, scfg.RenderResult, scfg.VerifyURL = a.scfg.Blobs, a.scfg.Signer, a.scfg.RenderResult, a.scfg.VerifyURL
		res, err := demo.Seed(ctx, demo.Options{Store: db, Cal: a.svc.Calendar(), Hasher: password.Default(),
			Service: scfg, Scan: scanPage, Now: o.now(), Progress: stdout})
		if err != nil {
			return fmt.Errorf("demo data: %w (run `motcua demo --reset` to start afresh)", err)
		}
		if err := demo.SeedFeedback(ctx, demo.Options{Store: db, Cal: a.svc.Calendar(), Hasher: password.Default(),
			Service: serviceConfig(cfg, rules, pattern), Now: o.now()}); err != nil {
			return fmt.Errorf("demo ratings and complaints: %w", err)
		}
		fmt.Fprintf(stdout, "Loaded %d procedures and %d dossiers in %s.\n", res.Procedures, total(res.Dossiers), time.Since(start).Round(time.Millisecond))
		n, err := demo.SeedQueue(ctx, demo.Options{Store: db, Cal: a.svc.Calendar(), Hasher: password.Default(),
			Service: serviceConfig(cfg, rules, pattern), Now: o.now()})
		if err != nil {
			return fmt.Errorf("demo queue: %w (run `motcua demo --reset` to start afresh)", err)
		}
		fmt.Fprintf(stdout, "Queued %d tickets at phường Trung Tâm's centre over its last working mornings.\n", n)
	}
	if o.dossiers > 0 {
		if err := generate(ctx, cfg, a, o, stdout); err != nil {
			return err
		}
	}
	if o.noServe {
		return nil
	}
	return a.run(ctx, stdout, func(url string) {
		printAccounts(stdout, url)
		sims.listening(url)
		if sims.portalURL != "" {
			fmt.Fprintf(stdout, "Simulator of the national public service portal (DVCQG): %s\n", sims.portalURL)
		}
		if sims.paymentURL != "" {
			fmt.Fprintf(stdout, "Simulator of the national payment platform: %s\n", sims.paymentURL)
		}
		if sims.smsURL != "" {
			fmt.Fprintf(stdout, "Simulator of the SMS gateway: %s\n", sims.smsURL)
		}
		go func() {
			sims.forwardOnline(ctx, a, stdout)
			sims.importCatalogue(ctx, a, stdout)
			sims.makePayments(ctx, a, stdout)
			sims.sendNotices(ctx, a, stdout)
		}()
	})
}

// generate fills a year with generated dossiers, showing progress.
func generate(ctx context.Context, cfg Config, a *app, o demoOptions, stdout io.Writer) error {
	rules, _ := cfg.rules()
	pattern, _ := motcua.ParseCodePattern(cfg.CodePattern)
	now := o.now()
	fmt.Fprintf(stdout, "Generating %d dossiers over %d (Ctrl+C stops safely; what is stored stays)…\n", o.dossiers, o.year)
	if o.profile != "" {
		stop, err := startCPUProfile(o.profile)
		if err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		defer stop()
	}
	start := time.Now()
	lastPct := -1
	res, err := demo.Generate(ctx, demo.GenerateOptions{Store: a.db, Cal: a.svc.Calendar(), Rules: rules, Pattern: pattern,
		Dossiers: o.dossiers, Year: o.year, Now: now, Seed: o.seed, Scans: o.scanner(cfg, a),
		Progress: func(done, total int) {
			if pct := done * 100 / total; pct/5 != lastPct/5 {
				lastPct = pct
				rate := float64(done) / time.Since(start).Seconds()
				fmt.Fprintf(stdout, "  %3d%%  %d dossiers  (%.0f/s)\n", pct, done, rate)
			}
		}})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Generated %d dossiers with %d events (%d communes added) in %s.\n",
		res.Dossiers, res.Events, res.CommunesAdded, time.Since(start).Round(time.Second))
	// On PostgreSQL every generated dossier left its counters' changes
	// deferred (stat_deltas, dossier_day_deltas), as intake does; serve's
	// job folds them within a minute. Folding them here leaves the
	// province as a running server keeps it: reports read the counters
	// and their deferred changes together, and `bench --reports` right
	// after `demo --no-serve` measured a backlog no server carries (1.6 M
	// dossiers, 1.4 M changes, folded in 10 s: 06a's slowest period 657 →
	// 293 ms, the year 320 → 197 ms). It does not make the database
	// smaller: the folded counters take about what the changes took (100 k
	// dossiers: 2.26 KB a dossier before, 2.27 after).
	foldStart := time.Now()
	n, err := a.svc.FoldCounters(ctx)
	if err != nil {
		return fmt.Errorf("fold the generated counters: %w (serve folds them at its next run)", err)
	}
	if n > 0 {
		fmt.Fprintf(stdout, "Folded the changes of %d counters in %s.\n", n, time.Since(foldStart).Round(time.Millisecond))
	}
	return nil
}

func total(m map[motcua.State]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func printAccounts(w io.Writer, url string) {
	fmt.Fprintf(w, "\nOpen %s — API at %s/api/v1 (OpenAPI: %s/api/v1/openapi.json)\n", url, url, url)
	fmt.Fprintf(w, "Demo accounts (password for all: %s):\n", demo.Password)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "  USERNAME\tROLE\tAGENCY")
	for _, a := range demo.Accounts() {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", a.Username, a.Role.Label(), a.Agency)
	}
	tw.Flush()
	fmt.Fprintln(w, "\nPress Ctrl+C to stop.")
}

// demoKeys makes the demo's own CA and a personal certificate for every
// demo account in <data>/keys (first run only) unless --keys names a
// folder, and signs with them.
func demoKeys(cfg *Config, from time.Time) error {
	if cfg.Keys == "" {
		cfg.Keys = filepath.Join(cfg.DataDir, "keys")
	}
	var holders []sign.DemoHolder
	for _, a := range demo.Accounts() {
		holders = append(holders, sign.DemoHolder{Username: a.Username, Name: a.FullName, Organization: a.Agency})
	}
	if err := sign.EnsureDemo(cfg.Keys, from, "Tỉnh Mẫu (dữ liệu mẫu)", holders); err != nil {
		return fmt.Errorf("demo certificates: %w", err)
	}
	return nil
}

// scanner is the generator's scanner: the demo officers' signed scans, or
// none with --no-scans (components are then not digitized: nothing claims
// a scan that was not made).
func (d *demoOptions) scanner(cfg Config, a *app) *demo.Scanner {
	if d.noScans {
		return nil
	}
	return demoScanner(cfg, a, d.certFrom())
}
