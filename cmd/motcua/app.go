package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/jobs"
	"github.com/motcua/motcua/metrics"
	"github.com/motcua/motcua/ocr"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/payment"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sign"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/ui"
	"github.com/motcua/motcua/webhook"
)

// app is motcua wired together.
type app struct {
	cfg     Config
	db      *sqlstore.DB
	svc     *service.Service
	srv     *web.Server
	metrics *metrics.Metrics
	jobs    []jobs.Job
	// outbox is the delivery of the outbox, run more often than jobs.
	outbox []jobs.Job
	// scans is the OCR job (none when OCR is off), run beside the others.
	scans []jobs.Job
	bus   motcua.CacheBus // nil on SQLite
	// scfg is the service's configuration as wired (documents, signer),
	// for the demo's seeding service.
	scfg service.Config
}

func setupLogging(level string, w io.Writer) {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	slog.SetDefault(slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: l})))
}

// openStore opens the database; with check it refuses an outdated schema.
func openStore(ctx context.Context, cfg Config, check bool) (*sqlstore.DB, error) {
	return openStoreObserved(ctx, cfg, check, nil)
}

func openStoreObserved(ctx context.Context, cfg Config, check bool, obs sqlstore.Observer) (*sqlstore.DB, error) {
	return openStoreWith(ctx, cfg, check, storeOptions(cfg, obs))
}

// openServingStore opens the database of a store that serves requests
// (serve, bench --mixed): on PostgreSQL its connections are all opened and
// warmed at start and kept (sqlstore.Options.Warm).
func openServingStore(ctx context.Context, cfg Config, check bool, obs sqlstore.Observer) (*sqlstore.DB, error) {
	o := storeOptions(cfg, obs)
	o.Warm = true
	return openStoreWith(ctx, cfg, check, o)
}

func openStoreWith(ctx context.Context, cfg Config, check bool, o sqlstore.Options) (*sqlstore.DB, error) {
	db, err := sqlstore.OpenURL(ctx, cfg.DB, o)
	if err != nil {
		if sqlstore.IsPostgresURL(cfg.DB) {
			return nil, fmt.Errorf("open database: %w", err)
		}
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

// storeOptions are the store's settings from the configuration (validated
// already): 0 as the free-space reserve turns the check off.
func storeOptions(cfg Config, obs sqlstore.Observer) sqlstore.Options {
	o := sqlstore.Options{Observer: obs, MinFreeSpace: -1, PGConns: cfg.PGConns, PGWriters: cfg.pgWriters}
	o.WALLimit, _ = parseBytes(cfg.WALLimit)
	if cfg.MinFreeSpace != "0" {
		o.MinFreeSpace, _ = parseBytes(cfg.MinFreeSpace)
	}
	return o
}

// newApp wires the service, the web server and the scheduled jobs on an
// open database. m (may be nil) receives the measurements.
func newApp(ctx context.Context, cfg Config, db *sqlstore.DB, m *metrics.Metrics) (*app, error) {
	cal, err := loadCalendar(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	rules, _ := cfg.rules()
	pattern, _ := motcua.ParseCodePattern(cfg.CodePattern)
	docs, err := blob.Open(ctx, cfg.Blobs)
	if err != nil {
		return nil, fmt.Errorf("document storage: %w", err)
	}
	scfg := serviceConfig(cfg, rules, pattern)
	scfg.Blobs = docs
	if scfg.SecretKey, err = cfg.secretKey(); err != nil {
		return nil, err
	}
	if cfg.Keys != "" {
		ring, err := sign.OpenKeyringWith(cfg.Keys, []byte(cfg.KeyPassphrase))
		if err != nil {
			return nil, fmt.Errorf("--keys: %w", err)
		}
		if cfg.TSAURL != "" {
			ring.TSA = &sign.TSAClient{URL: cfg.TSAURL}
		}
		if cfg.CRLURL != "" {
			ring.Revocation = &sign.Revocation{Source: sign.CRLURL{URL: cfg.CRLURL}}
		} else if crl := filepath.Join(cfg.Keys, "crl.pem"); fileExists(crl) { // the demo CA's, without its simulator
			ring.Revocation = &sign.Revocation{Source: sign.CRLFile(crl)}
		}
		if cfg.PKCS11Module != "" {
			if err := openToken(cfg, ring); err != nil {
				return nil, err
			}
		}
		scfg.Signer, scfg.RenderResult, scfg.VerifyURL = ring, pdf.Result, cfg.BaseURL+"/xac-thuc"
		scfg.BaseURL, scfg.ImageToPDF = cfg.BaseURL, pdf.FromImage
	}
	if scfg.Blobs != nil && !cfg.OCR {
		slog.Info("OCR of scans off", "why", "--ocr=false")
	} else if scfg.Blobs != nil {
		if t := (ocr.Tesseract{}); t.Available() == nil {
			scfg.Text = t
			slog.Info("scans are read by OCR (tesseract, vie)")
		} else {
			slog.Info("OCR of scans off", "why", t.Available().Error())
		}
	}
	scfg.PortalSync = cfg.portalOn()
	if c := cfg.portalClient(); c != nil {
		scfg.Catalogue = c
	}
	if pc, err := cfg.paymentConfig(); err != nil {
		return nil, err
	} else if pc != nil {
		if scfg.Payments, err = payment.New(*pc); err != nil {
			return nil, err
		}
		slog.Info("payment platform connected", "url", pc.URL, "callback", cfg.PaymentCallbackURL(), "return", cfg.PaymentReturnURL())
	}
	if scfg.Bus, err = db.CacheBus(ctx); err != nil {
		return nil, err
	}
	if scfg.Bus != nil && m != nil {
		scfg.Bus = meteredBus{scfg.Bus, m}
	}
	scfg.SMS, scfg.Mail = cfg.noticeSenders()
	if err := wireReportReplica(ctx, cfg, db, &scfg, m); err != nil {
		return nil, err
	}
	svc := service.New(db, cal, password.Default(), scfg)
	opts := web.Options{SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies,
		// Ready while a write reaches the database (a heartbeat commit,
		// see sqlstore.DB.CanWrite): a full disk keeps reads working.
		Ready: db.CanWrite}
	if m != nil {
		opts.Observe = m.Request
	}
	srv, err := web.New(svc, opts)
	if err != nil {
		return nil, err
	}
	api.Register(srv).SetPortal(cfg.portalAPI(svc.Now))
	forms, _ := cfg.forms()
	if _, err := ui.Register(srv, ui.Options{BaseURL: cfg.BaseURL, Forms: forms, PortalConnected: cfg.portalOn(), PortalSimURL: cfg.portalSimURL}); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	js := jobs.Standard(svc)
	var hook, portal motcua.Deliverer
	if cfg.OutboxURL != "" {
		client, err := webhook.New(cfg.OutboxURL, nil)
		if err != nil {
			return nil, err
		}
		hook = client
	}
	if c := cfg.portalClient(); c != nil {
		portal = svc.PortalDeliverer(c)
	}
	var ob []jobs.Job
	// OCR (seconds a page) is delivered by a job of its own, not the
	// outbox's runner, so that it never delays the portal's sync; the
	// runner of a webhook, which takes every other topic, does not even
	// claim its messages.
	text := svc.ScanTextDeliverer()
	main := outboxDeliverer(portal, hook)
	if hook != nil {
		main = withoutScanText(main)
	}
	if main = withNotices(withStoreDeliverer(main, svc.StoreDeliverer()), svc.NoticeDeliverers()); main != nil {
		ob = append(ob, jobs.Outbox(svc, main))
	}
	var scans []jobs.Job
	if text != nil {
		// Its own runner: a scan at a time, each under its own claim and
		// time budget, never holding up the other scheduled jobs.
		scans = append(scans, jobs.Job{Name: "read-scans", Run: svc.ReadScans})
	}
	if m != nil {
		scans = jobs.Observed(scans, m.Job)
		js, ob = jobs.Observed(js, m.Job), jobs.Observed(ob, m.Job)
		m.OutboxBacklog(svc.OutboxBacklog)
		m.StorageSize(func(ctx context.Context) (int64, int64, error) {
			sz, err := db.Size(ctx)
			return sz.Bytes, sz.Free, err
		})
		m.PortalLag(func(ctx context.Context) (float64, error) {
			st, err := svc.PortalBacklog(ctx)
			if err != nil || st.Oldest.IsZero() {
				return 0, err
			}
			return svc.Now().Sub(st.Oldest).Seconds(), nil
		})
	}
	return &app{cfg: cfg, db: db, svc: svc, srv: srv, metrics: m, jobs: js, outbox: ob, bus: scfg.Bus, scfg: scfg, scans: scans}, nil
}

// serviceConfig is the service's part of the configuration.
func serviceConfig(cfg Config, rules motcua.Rules, pattern motcua.CodePattern) service.Config {
	checker, _ := motcua.NewAgencyCodeChecker(cfg.AgencyCodePattern)
	maxFile, _ := parseBytes(cfg.MaxFileSize)
	var twoFactor []motcua.Role
	for _, r := range cfg.Require2FA {
		twoFactor = append(twoFactor, motcua.Role(r))
	}
	c := service.Config{Rules: rules, CodePattern: pattern, AgencyCodes: checker, SessionTTL: cfg.SessionTTL, CacheTTL: cfg.CacheTTL,
		MaxFileSize: maxFile, OutboxLease: cfg.OutboxLease, PortalSync: cfg.portalOn(), PortalAlertAfter: cfg.DVCQGAlertLag,
		PaymentQueryAfter: cfg.PaymentQueryAfter, PaymentExpireAfter: cfg.PaymentExpireAfter, RequireTwoFactor: twoFactor,
		Population: cfg.populationRegister(), PopulationTimeout: cfg.PopDBTimeout}
	// One line per feature below, so that features added side by side
	// do not touch the same line.
	c.FeedbackDeadlines = cfg.mustFeedbackDeadlines()
	c.QueueWaitTarget, c.WorkloadLimit, c.WorkloadDueSoon = cfg.QueueWaitTarget, cfg.WorkloadLimit, cfg.WorkloadDueSoon
	c.SignOn, c.ResultStore = cfg.signOn(), cfg.resultStore()
	c.Warn, c.BaseURL = cfg.warnTimes(), cfg.BaseURL
	c.MergerUndoPeriod = cfg.MergerUndoPeriod
	return c
}

// loadCalendar builds the working-time calendar: the built-in years (with
// their notices) overridden by the years an administrator has saved.
func loadCalendar(ctx context.Context, cfg Config, db motcua.Store) (*calendar.Calendar, error) {
	cc, err := cfg.calendarConfig()
	if err != nil {
		return nil, err
	}
	var saved []*motcua.CalendarYear
	if err := db.Read(ctx, func(tx motcua.Tx) (err error) {
		saved, err = tx.CalendarYears(ctx)
		return err
	}); err != nil {
		return nil, fmt.Errorf("read calendar years: %w", err)
	}
	return calendar.WithSaved(cc, saved)
}

// serve runs the HTTP server and the scheduled jobs until ctx ends, then
// shuts down gracefully.
func serve(ctx context.Context, cfg Config, stdout io.Writer, schemaChecked bool) error {
	m := metrics.New()
	db, err := openServingStore(ctx, cfg, !schemaChecked, m)
	if err != nil {
		return err
	}
	defer db.Close()
	a, err := newApp(ctx, cfg, db, m)
	if err != nil {
		return err
	}
	return a.run(ctx, stdout, nil)
}

// listenChanges drops from the service's caches what other instances
// change (on PostgreSQL), until ctx ends; the channel closes then.
func (a *app) listenChanges(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	if a.bus == nil {
		close(done)
		return done
	}
	count := func(event string) {
		if a.metrics != nil {
			a.metrics.CacheInvalidation(event, 1)
		}
	}
	go func() {
		defer close(done)
		a.bus.Listen(ctx, func(k motcua.CacheKey) { count("received"); a.svc.DropCached(ctx, k) },
			func() { count("resync"); a.svc.DropAllCached(ctx) })
	}()
	return done
}

// everyJob lists every scheduled job run starts (the periodic jobs, the
// outbox's and the OCR runner's), for a harness that runs them all on one
// ticker: a runner added to run must be added here, so that no test
// starts an instance without it.
func (a *app) everyJob() []jobs.Job {
	return append(append(append([]jobs.Job(nil), a.jobs...), a.outbox...), a.scans...)
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
	jobsDone := make(chan struct{})
	outboxDone := make(chan struct{})
	go func() { defer close(jobsDone); jobs.Run(jobCtx, a.cfg.JobsInterval, a.jobs) }()
	go func() {
		defer close(outboxDone)
		jobs.RunNudged(jobCtx, a.cfg.OutboxInterval, 50*time.Millisecond, a.svc.OutboxNudges(), a.outbox)
	}()
	scansDone := make(chan struct{})
	go func() { defer close(scansDone); jobs.Run(jobCtx, a.cfg.OutboxInterval, a.scans) }()
	listening := a.listenChanges(jobCtx)
	// The jobs stop before the store is closed: a delivery under way
	// records its outcome first.
	defer func() { stopJobs(); <-jobsDone; <-outboxDone; <-scansDone; <-listening }()
	errc := make(chan error, 2)
	go func() { errc <- hs.Serve(ln) }()
	if a.cfg.MetricsListen != "" && a.metrics != nil {
		mln, err := net.Listen("tcp", a.cfg.MetricsListen)
		if err != nil {
			hs.Close()
			return fmt.Errorf("listen for metrics on %s: %w (choose another --metrics-listen)", a.cfg.MetricsListen, err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", a.metrics.Handler())
		ms := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go ms.Serve(mln)
		defer ms.Close()
		fmt.Fprintf(stdout, "metrics on http://%s/metrics\n", mln.Addr())
	}
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
		fmt.Fprintf(stdout, "The schema of %s is up to date (version %d).\n", db.Path(), latest)
		return nil
	}
	fmt.Fprintf(stdout, "Migrating %s from version %d to %d…\n", db.Path(), applied, latest)
	err = db.Migrate(ctx, func(v int, name string) {
		fmt.Fprintf(stdout, "  [%d/%d] %s\n", v, latest, name)
	})
	if err != nil {
		return fmt.Errorf("%w (the migrations before it are applied; fix the cause and run motcua migrate again)", err)
	}
	fmt.Fprintln(stdout, "Done.")
	return nil
}

// openToken logs in to the configured PKCS#11 token and makes its key the
// signer of --pkcs11-signer. The session lasts as long as the process.
func openToken(cfg Config, ring *sign.Keyring) error {
	b, err := os.ReadFile(cfg.PKCS11Cert)
	if err != nil {
		return fmt.Errorf("--pkcs11-cert: %w", err)
	}
	chain, err := sign.ParseCertificates(b)
	if err != nil {
		return fmt.Errorf("--pkcs11-cert: %s", motcua.ErrorMessage(err))
	}
	s, _, err := sign.OpenToken(sign.TokenConfig{Module: cfg.PKCS11Module, TokenLabel: cfg.PKCS11Token, PIN: cfg.PKCS11PIN, KeyLabel: cfg.PKCS11Key}, chain)
	if err != nil {
		return fmt.Errorf("--pkcs11-module: %s", motcua.ErrorMessage(err))
	}
	who := motcua.Signatory{Username: cfg.PKCS11Signer}
	if code, ok := strings.CutPrefix(cfg.PKCS11Signer, "agency:"); ok {
		who = motcua.Signatory{AgencyCode: code}
	}
	if err := ring.AddToken(who, s); err != nil {
		return fmt.Errorf("--pkcs11-signer: %s", motcua.ErrorMessage(err))
	}
	slog.Info("signing token opened", "token", cfg.PKCS11Token, "key", cfg.PKCS11Key, "signer", cfg.PKCS11Signer)
	return nil
}

// fileExists reports whether path names an existing file.
func fileExists(path string) bool { _, err := os.Stat(path); return err == nil }
