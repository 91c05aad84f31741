package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
	"github.com/motcua/motcua/web"
	"github.com/motcua/motcua/web/api"
)

// cheap keeps password hashing fast in tests; the format is the real one.
var cheap = password.Argon2id{Time: 1, Memory: 1024, Threads: 1, KeyLen: 32}

// env is motcua over HTTP on a fresh database with the demo province,
// whose clock the test sets.
type env struct {
	t      *testing.T
	db     *sqlstore.DB
	svc    *service.Service
	ts     *httptest.Server
	clock  atomic.Pointer[time.Time]
	router routers.Router
}

func vn(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, motcua.VietnamTime).UTC()
}

// newEnv starts motcua with the demo province seeded up to now.
func newEnv(t *testing.T, engine sqltest.Engine, now time.Time) *env {
	t.Helper()
	return newEnvWith(t, engine, now, nil)
}

// newEnvWith is newEnv with a change to the service's configuration.
func newEnvWith(t *testing.T, engine sqltest.Engine, now time.Time, mutate func(*service.Config)) *env {
	t.Helper()
	e := &env{t: t}
	e.setClock(now)
	db := sqltest.Open(t, engine)
	ctx := context.Background()
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
	cfg.SessionTTL = 60 * 24 * time.Hour // the tests move the clock across weeks
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
	api.Register(srv)
	e.ts = httptest.NewServer(srv)
	t.Cleanup(e.ts.Close)

	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI)
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("OpenAPI document is invalid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: e.ts.URL + api.Prefix}}
	if e.router, err = legacy.NewRouter(doc); err != nil {
		t.Fatal(err)
	}
	return e
}

func (e *env) setClock(t time.Time) { e.clock.Store(&t) }

// response is an HTTP answer already checked against the OpenAPI document.
type response struct {
	status int
	body   []byte
	header http.Header
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errorBody decodes an error response.
func (r response) errorBody(t *testing.T) web.ErrorBody {
	t.Helper()
	var b web.ErrorBody
	r.decode(t, &b)
	return b
}

// call sends a request as the holder of token and validates the request and
// the response against the OpenAPI document.
func (e *env) call(method, path, token string, body any, header map[string]string) response {
	e.t.Helper()
	var rd io.Reader
	var raw []byte
	if m, isMap := body.(map[string]any); isMap && m == nil {
		body = nil
	}
	if body != nil {
		var err error
		if raw, err = json.Marshal(body); err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.ts.URL+api.Prefix+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	e.validate(req, raw, resp, out)
	return response{status: resp.StatusCode, body: out, header: resp.Header}
}

// validate checks a request/response pair against the OpenAPI document.
func (e *env) validate(req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	e.t.Helper()
	vreq, _ := http.NewRequest(req.Method, req.URL.String(), bytes.NewReader(reqBody))
	vreq.Header = req.Header.Clone()
	route, params, err := e.router.FindRoute(vreq)
	if err != nil {
		e.t.Fatalf("%s %s is not in the OpenAPI document: %v", req.Method, req.URL.Path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil && resp.StatusCode < 400 {
		e.t.Errorf("%s %s: request does not match the document: %v", req.Method, req.URL.Path, err)
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: resp.StatusCode, Header: resp.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true}}
	out.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		e.t.Errorf("%s %s → %d: response does not match the document: %v\n%s", req.Method, req.URL.Path, resp.StatusCode, err, truncate(body))
	}
}

func truncate(b []byte) string {
	if len(b) > 600 {
		return string(b[:600]) + "…"
	}
	return string(b)
}

// login signs in a demo account and returns its token.
func (e *env) login(username string) string {
	e.t.Helper()
	r := e.call("POST", "/sessions", "", map[string]string{"username": username, "password": demo.Password}, nil)
	if r.status != http.StatusCreated {
		e.t.Fatalf("login %s: %d %s", username, r.status, r.body)
	}
	var lr struct{ Token string }
	r.decode(e.t, &lr)
	return lr.Token
}

// dossierOut is the part of a dossier the tests read.
type dossierOut struct {
	Code      string
	Applicant motcua.Applicant
	Status    struct {
		State        motcua.State
		Step         int
		DueAt        time.Time `json:"due_at"`
		ClockStartAt time.Time `json:"clock_start_at"`
		StepDueAt    time.Time `json:"step_due_at"`
		ActionDueAt  time.Time `json:"action_due_at"`
		FinishedAt   time.Time `json:"finished_at"`
		Timeliness   motcua.Timeliness
		Holder       struct{ Code string }
		EventCount   int `json:"event_count"`
	}
	Timeline []struct {
		Seq             int
		Action          motcua.Action
		Label           string
		At              time.Time
		Actor           string
		From, To        struct{ Code, Name string }
		Timeliness      motcua.Timeliness
		TimelinessLabel string `json:"timeliness_label"`
	}
	AllowedActions []motcua.Action `json:"allowed_actions"`
}

func expectError(t *testing.T, r response, status int, reason string) web.ErrorBody {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	b := r.errorBody(t)
	if b.Reason != reason {
		t.Fatalf("reason %q, want %q: %s", b.Reason, reason, r.body)
	}
	if !strings.HasSuffix(b.Message, ".") || !hasVietnamese(b.Message) {
		t.Errorf("message %q is not a Vietnamese sentence", b.Message)
	}
	return b
}

func hasVietnamese(s string) bool {
	for _, r := range s {
		if r > 127 {
			return true
		}
	}
	return false
}
