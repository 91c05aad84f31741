package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/sqlstore"
)

// runDemo prepares the embedded database with demo data (once) and serves.
func runDemo(ctx context.Context, cfg Config, stdout io.Writer, reset bool) error {
	if reset && sqlstore.IsPostgresURL(cfg.DB) {
		return errors.New("--reset only deletes the embedded SQLite database; to start afresh on PostgreSQL, drop and create the database")
	}
	if reset {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			if err := os.Remove(cfg.DB + suffix); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("reset: %w", err)
			}
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
		res, err := demo.Seed(ctx, demo.Options{Store: db, Cal: a.svc.Calendar(), Hasher: password.Default(),
			Service: serviceConfig(cfg, rules, pattern), Now: time.Now(), Progress: stdout})
		if err != nil {
			return fmt.Errorf("demo data: %w (run `motcua demo --reset` to start afresh)", err)
		}
		fmt.Fprintf(stdout, "Loaded %d procedures and %d dossiers in %s.\n", res.Procedures, total(res.Dossiers), time.Since(start).Round(time.Millisecond))
	}
	return a.run(ctx, stdout, func(url string) { printAccounts(stdout, url) })
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
