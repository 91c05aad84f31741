package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/jobs"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/ui"
)

// app is motcua wired together.
type app struct {
	cfg Config
	db  *sqlstore.DB
	svc *service.Service
	srv *web.Server
}

func setupLogging(level string, w io.Writer) {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
}

// openStore opens the database; with check it refuses an outdated schema.
func openStore(ctx context.Context, cfg Config, check bool) (*sqlstore.DB, error) {
	db, err := sqlstore.Open(cfg.DB, sqlstore.Options{})
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w (check that the folder is writable)", cfg.DB, err)
	}
	if check {
		if err := db.CheckSchema(ctx); err != nil {
			db.Close()
			return nil, errors.New(motcua.ErrorMessage(err))
		}
	}
	return db, nil
}

// newApp wires the service and the web server on an open database.
func newApp(ctx context.Context, cfg Config, db *sqlstore.DB) (*app, error) {
	cal, err := loadCalendar(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	rules, _ := cfg.rules()
	pattern, _ := motcua.ParseCodePattern(cfg.CodePattern)
	svc := service.New(db, cal, password.Default(), serviceConfig(cfg, rules, pattern))
	srv, err := web.New(svc, web.Options{SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies,
		Ready: func(ctx context.Context) error {
			return db.Read(ctx, func(tx motcua.Tx) error { _, err := tx.Agencies(ctx); return err })
		}})
	if err != nil {
		return nil, err
	}
	api.Register(srv)
	forms, _ := cfg.forms()
	if _, err := ui.Register(srv, ui.Options{BaseURL: cfg.BaseURL, Forms: forms}); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return &app{cfg: cfg, db: db, svc: svc, srv: srv}, nil
}

// serviceConfig is the service's part of the configuration.
func serviceConfig(cfg Config, rules motcua.Rules, pattern motcua.CodePattern) service.Config {
	checker, _ := motcua.NewAgencyCodeChecker(cfg.AgencyCodePattern)
	return service.Config{Rules: rules, CodePattern: pattern, AgencyCodes: checker, SessionTTL: cfg.SessionTTL}
}

// loadCalendar builds the working-time calendar: the built-in years (with
// their notices) overridden by the years an administrator has saved.
func loadCalendar(ctx context.Context, cfg Config, db motcua.Store) (*calendar.Calendar, error) {
	cc, err := cfg.calendarConfig()
	if err != nil {
		return nil, err
	}
	years, err := calendar.BuiltinYears()
	if err != nil {
		return nil, fmt.Errorf("built-in calendar data: %w", err)
	}
	var saved []*motcua.CalendarYear
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
		saved, err = tx.CalendarYears(ctx)
		return err
	}); err != nil {
		return nil, fmt.Errorf("read calendar years: %w", err)
	}
	for _, y := range saved {
		yd, err := calendar.ParseYearData(y.Data)
		if err != nil {
			return nil, fmt.Errorf("calendar year %d saved in the database: %s", y.Year, motcua.ErrorMessage(err))
		}
		replaced := false
		for i := range years {
			if years[i].Year == yd.Year {
				years[i], replaced = yd, true
			}
		}
		if !replaced {
			years = append(years, yd)
		}
	}
	return calendar.New(cc, years)
}

// serve runs the HTTP server and the scheduled jobs until ctx ends, then
// shuts down gracefully.
func serve(ctx context.Context, cfg Config, stdout io.Writer, schemaChecked bool) error {
	db, err := openStore(ctx, cfg, !schemaChecked)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newApp(ctx, cfg, db)
	if err != nil {
		return err
	}
	return a.run(ctx, stdout, nil)
}

// run serves until ctx ends; ready (if not nil) is called with the URL once
// the listener is open.
func (a *app) run(ctx context.Context, stdout io.Writer, ready func(url string)) error {
	ln, err := net.Listen("tcp", a.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (is another program using the port? choose one with --listen)", a.cfg.Listen, err)
	}
	hs := &http.Server{Handler: a.srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	jobCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go jobs.Run(jobCtx, a.cfg.JobsInterval, jobs.Standard(a.svc))
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "motcua is serving on %s (public address %s)\n", url, a.cfg.BaseURL)
	if ready != nil {
		ready(url)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(stdout, "motcua: shutting down…")
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return hs.Shutdown(sctx)
}

// migrate applies pending migrations with progress.
func migrate(ctx context.Context, cfg Config, stdout io.Writer) error {
	db, err := openStore(ctx, cfg, false)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, latest, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	if applied == latest {
		fmt.Fprintf(stdout, "The schema of %s is up to date (version %d).\n", cfg.DB, latest)
		return nil
	}
	fmt.Fprintf(stdout, "Migrating %s from version %d to %d…\n", cfg.DB, applied, latest)
	err = db.Migrate(ctx, func(v int, name string) {
		fmt.Fprintf(stdout, "  [%d/%d] %s\n", v, latest, name)
	})
	if err != nil {
		return fmt.Errorf("%w (the migrations before it are applied; fix the cause and run motcua migrate again)", err)
	}
	fmt.Fprintln(stdout, "Done.")
	return nil
}
