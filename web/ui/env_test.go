package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/web/api"
	"github.com/motcua/motcua/web/ui"
)

var ctx = context.Background()

// cheap keeps password hashing fast in tests; the format is the real one.
var cheap = password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}

// env is the whole of motcua over HTTP on loopback, on a fresh database
// with the demo province, with a clock the test sets.
type env struct {
	t     testing.TB
	db    *sqlstore.DB
	svc   *service.Service
	srv   *web.Server
	ts    *httptest.Server
	clock atomic.Pointer[time.Time]
}

func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, motcua.VietnamTime).UTC()
}

// testNow is a Monday morning: the demo's dossiers lie in the five weeks
// before it.
var testNow = vn(2025, 3, 10, 9, 0)

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, nil)
}

// newEnvWith is newEnv with a change to the service's configuration.
func newEnvWith(t testing.TB, mutate func(*service.Config)) *env {
	t.Helper()
	e := &env{t: t}
	now := testNow
	e.clock.Store(&now)
	db, err := sqlstore.Open(filepath.Join(t.TempDir(), "ui.db"), sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, err := calendar.Default()
	if err != nil {
		t.Fatal(err)
	}
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	cfg := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}
	if _, err := demo.Seed(ctx, demo.Options{Store: db, Cal: cal, Hasher: cheap, Service: cfg, Now: now}); err != nil {
		t.Fatal(err)
	}
	cfg.Now = func() time.Time { return *e.clock.Load() }
	if cfg.Blobs, err = blob.OpenDir(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(&cfg)
	}
	e.db, e.svc = db, service.New(db, cal, cheap, cfg)
	srv, err := web.New(e.svc, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	e.ts = httptest.NewUnstartedServer(srv)
	api.Register(srv)
	if _, err := ui.Register(srv, ui.Options{BaseURL: "http://" + e.ts.Listener.Addr().String()}); err != nil {
		t.Fatal(err)
	}
	e.ts.Start()
	t.Cleanup(e.ts.Close)
	return e
}

func (e *env) set(t time.Time) { e.clock.Store(&t) }

// browser is a client with its own cookies that does not follow
// redirects, so that tests see them.
type browser struct {
	e *env
	c *http.Client
}

func (e *env) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{e: e, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// login signs a demo account in.
func (e *env) login(username string) *browser {
	e.t.Helper()
	b := e.browser()
	r := b.post("/dang-nhap", url.Values{"username": {username}, "password": {demo.Password}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("login %s: %d\n%s", username, r.status, r.body)
	}
	return b
}

type resp struct {
	status int
	body   string
	header http.Header
}

func (b *browser) do(req *http.Request) resp {
	b.e.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.e.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		b.e.t.Fatal(err)
	}
	return resp{status: res.StatusCode, body: string(body), header: res.Header}
}

func (b *browser) get(path string) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest("GET", b.e.ts.URL+path, nil)
	return b.do(req)
}

// post sends a form as a browser on the same site does.
func (b *browser) post(path string, v url.Values) resp {
	b.e.t.Helper()
	req, _ := http.NewRequest("POST", b.e.ts.URL+path, strings.NewReader(v.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", b.e.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return b.do(req)
}

// procedureID returns the ID of a procedure by code.
func (e *env) procedureID(code string) int64 {
	e.t.Helper()
	p, err := e.svc.ProcedureByCode(ctx, code)
	if err != nil {
		e.t.Fatal(err)
	}
	return p.ID
}

// dossierCodes returns the codes of the dossiers held by an agency.
func (e *env) dossierCodes(agencyCode string, states ...motcua.State) []string {
	e.t.Helper()
	a, _, err := e.svc.Agency(ctx, agencyCode)
	if err != nil {
		e.t.Fatal(err)
	}
	var codes []string
	e.db.Read(ctx, func(tx motcua.Tx) error {
		ds, err := tx.FindDossiers(ctx, motcua.DossierFilter{InvolvedAgencyIDs: []int64{a.ID}, States: states, Limit: 500})
		for _, d := range ds {
			codes = append(codes, d.Code)
		}
		return err
	})
	return codes
}
