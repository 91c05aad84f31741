package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/blob/blobtest"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/jobs"
	"github.com/motcua/motcua/metrics"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
	"github.com/motcua/motcua/webhook"
)

// instance is one motcua process: its own store connections, service,
// HTTP server, document storage client and job runner.
type instance struct {
	app      *app
	docs     motcua.BlobStore
	hs       *http.Server
	url      *url.URL
	stopJobs context.CancelFunc
	jobsDone chan struct{}
	stopped  atomic.Bool
}

func startInstance(t *testing.T, args []string) *instance {
	t.Helper()
	ctx := context.Background()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg, err := loadConfig(fs, args, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	db, err := openStoreObserved(ctx, cfg, true, m)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := blob.Open(ctx, cfg.Blobs)
	if err != nil {
		t.Fatal(err)
	}
	a, err := newApp(ctx, cfg, db, m)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	in := &instance{app: a, docs: docs, hs: &http.Server{Handler: a.srv}, url: &url.URL{Scheme: "http", Host: ln.Addr().String()},
		jobsDone: make(chan struct{})}
	go in.hs.Serve(ln)
	jctx, cancel := context.WithCancel(ctx)
	in.stopJobs = cancel
	listening := a.listenChanges(jctx)
	go func() {
		defer close(in.jobsDone)
		jobs.Run(jctx, 100*time.Millisecond, a.everyJob())
		<-listening
	}()
	t.Cleanup(in.stop)
	return in
}

// stop ends the instance abruptly: connections are cut, requests under way
// are abandoned by their clients, the jobs stop, the store closes.
func (in *instance) stop() {
	if in.stopped.Swap(true) {
		return
	}
	in.hs.Close()
	in.stopJobs()
	<-in.jobsDone
	in.app.db.Close()
}

// TestThreeInstancesBehindAProxy runs three instances on one PostgreSQL
// database and one S3 bucket behind a round-robin reverse proxy, submits
// dossiers concurrently through the proxy (idempotency keys, retries on
// connection errors), stops one instance a third of the way, and checks
// that every acknowledged dossier is stored exactly once, that codes are
// unique and gap-free per agency and day, that every scheduled job item was
// handled once, and that the other instances kept serving.
func TestThreeInstancesBehindAProxy(t *testing.T) {
	sqltest.RequirePostgres(t)
	s3 := blobtest.Start(t)
	prev := slog.Default()
	setupLogging("error", io.Discard)
	defer slog.SetDefault(prev)
	ctx := context.Background()
	dir := t.TempDir()
	pg := sqltest.FreshSchema(t)
	bucket := s3.Bucket(t)

	// The province, seeded at the real time the instances will use.
	seed := sqltest.OpenAt(t, pg)
	if err := seed.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.Default()
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	if _, err := demo.Seed(ctx, demo.Options{Store: seed, Cal: cal, Hasher: password.Default(),
		Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: time.Now()}); err != nil {
		t.Fatal(err)
	}

	// The outside system the outbox delivers to.
	rec := &webhook.Receiver{}
	hook := httptest.NewServer(rec)
	defer hook.Close()

	// A short outbox lease: the notices that the stopped instance had
	// claimed are delivered by the others after it, not after the
	// default 2 minutes.
	args := []string{"--db", pg, "--blobs", bucket, "--data", dir, "--outbox-url", hook.URL, "--outbox-lease", "5s", "--log-level", "error"}
	insts := []*instance{startInstance(t, args), startInstance(t, args), startInstance(t, args)}

	// Round robin, as a load balancer would, with no health checks: a
	// stopped instance answers 502 and the client retries.
	var next atomic.Uint64
	var proxied [3]atomic.Int64
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			i := int(next.Add(1) % 3)
			proxied[i].Add(1)
			pr.SetURL(insts[i].url)
		},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) { w.WriteHeader(http.StatusBadGateway) },
	}
	front := httptest.NewServer(proxy)
	defer front.Close()
	base := front.URL + "/api/v1"
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	// The reception officers of three communes, each signed in once and
	// used through every instance. Their dossiers are numbered by three
	// counters, which every instance's batches mix.
	type officer struct {
		token string
		point int64
	}
	var officers []officer
	for _, o := range []struct{ user, agency string }{{"motcua.anphu", "H99.101"}, {"motcua.trungtam", "H99.102"}, {"motcua.hoabinh", "H99.103"}} {
		body, _ := json.Marshal(map[string]string{"username": o.user, "password": demo.Password})
		resp, err := client.Post(base+"/sessions", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		var login struct{ Token string }
		json.NewDecoder(resp.Body).Decode(&login)
		resp.Body.Close()
		if login.Token == "" {
			t.Fatalf("sign-in of %s through the proxy: %d", o.user, resp.StatusCode)
		}
		_, points, err := insts[0].app.svc.Agency(ctx, o.agency)
		if err != nil {
			t.Fatal(err)
		}
		officers = append(officers, officer{login.Token, points[0].ID})
	}
	p, err := insts[0].app.svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var comps []service.ComponentInput
	for _, c := range p.Components {
		if !c.FromNationalDB {
			comps = append(comps, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}

	total := 2000
	if testing.Short() {
		total = 300
	}
	const clients = 24
	codes := make([]string, total)
	var acked, ackedAfterStop, retries atomic.Int64
	var stopOnce sync.Once
	stoppedAt := make(chan struct{})
	var wg sync.WaitGroup
	var work atomic.Int64
	intakeStart := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(work.Add(1)) - 1
				if i >= total {
					return
				}
				off := officers[i%len(officers)]
				n := service.NewDossier{ProcedureID: p.ID, ReceptionPointID: off.point, Channel: motcua.ChannelCounter, Components: comps,
					Applicant: motcua.Applicant{FullName: "Người nộp cụm " + strconv.Itoa(i), IDNumber: fmt.Sprintf("001193%06d", i)}}
				b, _ := json.Marshal(n)
				key := "cluster-" + strconv.Itoa(i)
				for attempt := 1; ; attempt++ {
					if attempt > 50 {
						t.Errorf("dossier %d: not acknowledged after 50 attempts", i)
						return
					}
					req, _ := http.NewRequest("POST", base+"/dossiers", bytes.NewReader(b))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+off.token)
					req.Header.Set("Idempotency-Key", key)
					resp, err := client.Do(req)
					if err != nil {
						retries.Add(1)
						time.Sleep(10 * time.Millisecond)
						continue
					}
					out, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusServiceUnavailable {
						retries.Add(1)
						time.Sleep(10 * time.Millisecond)
						continue
					}
					if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
						// A request cut while the instance stopped may
						// fail inside it (store closed): retry is safe.
						if resp.StatusCode >= 500 {
							retries.Add(1)
							continue
						}
						t.Errorf("dossier %d: status %d: %s", i, resp.StatusCode, out)
						return
					}
					var d struct{ Code string }
					json.Unmarshal(out, &d)
					codes[i] = d.Code
					if acked.Add(1) == int64(total/3) {
						stopOnce.Do(func() { insts[1].stop(); close(stoppedAt) })
					}
					select {
					case <-stoppedAt:
						ackedAfterStop.Add(1)
					default:
					}
					break
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d dossiers acknowledged in %.1f s (%d after instance 2 stopped), %d retries; requests per instance %d/%d/%d",
		acked.Load(), time.Since(intakeStart).Seconds(), ackedAfterStop.Load(), retries.Load(), proxied[0].Load(), proxied[1].Load(), proxied[2].Load())
	if ackedAfterStop.Load() < int64(total/2) {
		t.Errorf("only %d dossiers acknowledged after the stop: the other instances did not keep serving", ackedAfterStop.Load())
	}
	for i, in := range insts {
		f := scrapeStore(t, in)
		t.Logf("instance %d: %.0f commits holding %.0f transactions (%.1f per commit), %.0f failed commits, %.0f deadlock and %.0f serialization retries",
			i+1, f["commits"], f["transactions"], f["transactions"]/max(f["commits"], 1), f["failed"], f["deadlock"], f["serialization"])
	}

	// A scan uploaded through one instance is downloaded through another,
	// byte for byte: the record in PostgreSQL, the bytes in S3.
	scan := make([]byte, 1<<20)
	rand.Read(scan)
	copy(scan, "\x89PNG\r\n\x1a\n")
	fileURL := uploadThrough(t, client, insts[0], officers[0].token, codes[0], comps[0].ComponentID, scan)
	req, _ := http.NewRequest("GET", insts[2].url.String()+fileURL, nil)
	req.Header.Set("Authorization", "Bearer "+officers[0].token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !bytes.Equal(got, scan) || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("file %s through another instance: %d, %d bytes, identical %v", fileURL, resp.StatusCode, len(got), bytes.Equal(got, scan))
	}

	checkChangesReachOtherInstances(t, client, insts[0], insts[2], codes[0])

	// Let the remaining instances' jobs catch up: every warning recorded
	// and every notice delivered (bounded wait; slower under -race).
	check := sqltest.OpenAt(t, pg)
	settled, lastWarnings := 0, -1
	for deadline := time.Now().Add(2 * time.Minute); settled < 3; {
		if time.Now().After(deadline) {
			t.Fatal("the jobs did not catch up within 2 minutes")
		}
		time.Sleep(300 * time.Millisecond)
		var ws []*motcua.DeadlineWarning
		var backlog int
		check.Read(ctx, func(tx motcua.Tx) (err error) {
			if ws, err = tx.DeadlineWarnings(ctx, time.Time{}); err != nil {
				return err
			}
			backlog, err = tx.OutboxBacklog(ctx)
			return err
		})
		if backlog == 0 && len(ws) == lastWarnings {
			settled++
		} else {
			settled = 0
		}
		lastWarnings = len(ws)
	}
	insts[0].stop()
	insts[2].stop()

	// Every acknowledged dossier is stored exactly once.
	seenCode := map[string]int{}
	for i, c := range codes {
		if c == "" {
			t.Fatalf("dossier %d has no code", i)
		}
		if j, dup := seenCode[c]; dup {
			t.Fatalf("dossiers %d and %d were both acknowledged as %s", j, i, c)
		}
		seenCode[c] = i
	}
	var all []*motcua.Dossier
	err = check.Read(ctx, func(tx motcua.Tx) error {
		var after *motcua.DossierCursor
		for {
			page, err := tx.FindDossiers(ctx, motcua.DossierFilter{After: after, Limit: 500})
			if err != nil {
				return err
			}
			all = append(all, page...)
			if len(page) < 500 {
				return nil
			}
			l := page[len(page)-1]
			after = &motcua.DossierCursor{NextDueAt: l.Status.NextDueAt(), ID: l.ID}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	mine := 0
	for _, d := range all {
		if strings.HasPrefix(d.Applicant.FullName, "Người nộp cụm ") {
			mine++
			i, _ := strconv.Atoi(strings.TrimPrefix(d.Applicant.FullName, "Người nộp cụm "))
			if codes[i] != d.Code {
				t.Fatalf("dossier %d stored as %s but acknowledged as %s (stored twice?)", i, d.Code, codes[i])
			}
		}
	}
	if mine != total {
		t.Fatalf("%d dossiers stored for %d acknowledged", mine, total)
	}
	// Codes are unique and gap-free per agency and day, all dossiers
	// (the demo's too) considered.
	seqs := map[string][]int{}
	for _, d := range all {
		k := strings.LastIndexByte(d.Code, '-')
		n, err := strconv.Atoi(d.Code[k+1:])
		if err != nil {
			t.Fatalf("code %s", d.Code)
		}
		seqs[d.Code[:k]] = append(seqs[d.Code[:k]], n)
	}
	for prefix, ns := range seqs {
		sort.Ints(ns)
		for i, n := range ns {
			if n != i+1 {
				t.Fatalf("codes of %s: number %d where %d was expected (a gap or a repeat): %v", prefix, n, i+1, ns)
			}
		}
	}
	// Every scheduled job item was handled once: each overdue dossier has
	// one warning of its kind, each warning one notice, each notice was
	// received once, none is left behind.
	var warnings []*motcua.DeadlineWarning
	var backlog int
	check.Read(ctx, func(tx motcua.Tx) (err error) {
		if warnings, err = tx.DeadlineWarnings(ctx, time.Time{}); err != nil {
			return err
		}
		backlog, err = tx.OutboxBacklog(ctx)
		return err
	})
	warned := map[string]int{}
	for _, w := range warnings {
		warned[w.Code+"|"+w.Kind]++
	}
	now := time.Now()
	overdue := 0
	for _, d := range all {
		st := d.Status.State
		if (st == motcua.StateReceived || st == motcua.StateProcessing || st == motcua.StateApproved) && !d.Status.DueAt.IsZero() && d.Status.DueAt.Before(now.Add(-2*time.Second)) {
			overdue++
			if warned[d.Code+"|overdue"] != 1 {
				t.Errorf("overdue dossier %s warned %d times", d.Code, warned[d.Code+"|overdue"])
			}
		}
	}
	if overdue == 0 {
		t.Error("no overdue dossier in the demo data: the job check proves nothing")
	}
	notices := rec.Received()
	if backlog != 0 || len(notices) != len(warnings) {
		t.Errorf("%d warnings, %d notices received, %d left in the outbox", len(warnings), len(notices), backlog)
	}
	t.Logf("%d warnings recorded, %d notices received once each (%d repeated deliveries de-duplicated)", len(warnings), len(notices), rec.Repeats())
	if rec.Repeats() > 0 {
		t.Logf("note: %d notices were delivered again after the stop (at-least-once delivery; the receiver de-duplicated them)", rec.Repeats())
	}
	// One closing per dossier whose supplement time ran out.
	check.Read(ctx, func(tx motcua.Tx) error {
		for _, d := range all {
			evs, err := tx.Events(ctx, d.ID)
			if err != nil {
				return err
			}
			closes := 0
			for _, e := range evs {
				if e.Action == motcua.ActClose {
					closes++
				}
			}
			if closes > 1 {
				t.Errorf("dossier %s closed %d times", d.Code, closes)
			}
		}
		return nil
	})

	// Documents written through one instance are read through the others.
	for i, in := range []*instance{insts[0], insts[2]} {
		key := fmt.Sprintf("cluster/%d/receipt.pdf", i)
		if err := in.docs.Put(ctx, key, strings.NewReader("biên nhận "+key)); err != nil {
			t.Fatal(err)
		}
	}
	for _, in := range insts {
		list, err := in.docs.List(ctx, "cluster/")
		if err != nil || len(list) != 2 {
			t.Fatalf("documents seen by an instance: %v %v", list, err)
		}
	}
}

// checkChangesReachOtherInstances signs out through instance a a session
// that instance b has in its cache, and saves a day off through a that b
// computes deadlines with: b must drop both at once (PostgreSQL
// LISTEN/NOTIFY), not after its cache's 10 s time to live, nor never for
// the calendar. Failed sign-ins and lookups through a count on b.
func checkChangesReachOtherInstances(t *testing.T, client *http.Client, a, b *instance, dossier string) {
	t.Helper()
	ctx := context.Background()
	call := func(in *instance, method, path, token string, body any) (int, []byte) {
		var r io.Reader
		if body != nil {
			js, _ := json.Marshal(body)
			r = bytes.NewReader(js)
		}
		req, _ := http.NewRequest(method, in.url.String()+"/api/v1"+path, r)
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, out
	}
	within := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(3 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not seen by the other instance within 3 s", what)
			}
		}
	}

	code, out := call(a, "POST", "/sessions", "", map[string]string{"username": "admin", "password": demo.Password})
	var login struct{ Token string }
	json.Unmarshal(out, &login)
	if code != http.StatusCreated && code != http.StatusOK || login.Token == "" {
		t.Fatalf("sign-in: %d %s", code, out)
	}
	if code, out := call(b, "GET", "/me", login.Token, nil); code != http.StatusOK { // now in b's cache
		t.Fatalf("the session through the other instance: %d %s", code, out)
	}
	if code, out := call(a, "DELETE", "/sessions/current", login.Token, nil); code >= 300 {
		t.Fatalf("sign-out: %d %s", code, out)
	}
	within("a sign-out", func() bool {
		code, _ := call(b, "GET", "/me", login.Token, nil)
		return code == http.StatusUnauthorized
	})

	// A weekday of 2031 made a day off through a.
	admin, err := a.app.svc.Login(ctx, "admin", demo.Password, "127.0.0.1", "cluster test")
	if err != nil {
		t.Fatal(err)
	}
	actx := motcua.NewContextWithUser(ctx, admin.User)
	view, err := a.app.svc.CalendarYear(actx, 2031)
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2031, 6, 10, 9, 0, 0, 0, motcua.VietnamTime) // a Tuesday
	y := view.Data
	y.Notices = append(y.Notices, calendar.Notice{Number: "99/TB-TEST", Covers: "ngày nghỉ thử nghiệm"})
	y.DaysOff = append(y.DaysOff, calendar.DataDayOff{Date: calendar.DateOf(day), Kind: calendar.KindExtra, Name: "Nghỉ thử nghiệm", Notice: "99/TB-TEST"})
	if !b.app.svc.Calendar().IsWorkingDay(day) {
		t.Fatal("10/06/2031 09:00 should be a working day before the change")
	}
	if _, err := a.app.svc.SaveCalendarYear(actx, y); err != nil {
		t.Fatal(err)
	}
	if a.app.svc.Calendar().IsWorkingDay(day) {
		t.Fatal("the instance that saved the day off still works on it")
	}
	within("a day off", func() bool { return !b.app.svc.Calendar().IsWorkingDay(day) })

	// Wrong passwords through a count on b too: after five, b refuses even
	// the right one for a while (spreading guesses over instances gains
	// nothing).
	before := scrapeStore(t, b)["received"]
	for range 5 {
		if code, out := call(a, "POST", "/sessions", "", map[string]string{"username": "cv.hoabinh", "password": "đoán-sai"}); code != http.StatusUnauthorized {
			t.Fatalf("wrong password through a: %d %s", code, out)
		}
	}
	within("five failed sign-ins", func() bool { return scrapeStore(t, b)["received"] >= before+5 })
	if code, out := call(b, "POST", "/sessions", "", map[string]string{"username": "cv.hoabinh", "password": demo.Password}); code != http.StatusTooManyRequests {
		t.Fatalf("sign-in through b after five failures through a: %d %s, want 429", code, out)
	}

	// Likewise twenty wrong verifiers from one address through a: b
	// refuses that address the next guess (429) instead of answering
	// "not found" (404).
	before = scrapeStore(t, b)["received"]
	for i := range 20 {
		if code, out := call(a, "GET", fmt.Sprintf("/lookup?code=%s&verifier=sai%d", dossier, i), "", nil); code != http.StatusNotFound {
			t.Fatalf("wrong verifier through a: %d %s", code, out)
		}
	}
	within("twenty failed lookups", func() bool { return scrapeStore(t, b)["received"] >= before+20 })
	if code, out := call(b, "GET", "/lookup?code="+dossier+"&verifier=sai", "", nil); code != http.StatusTooManyRequests {
		t.Fatalf("lookup through b after twenty failures through a: %d %s, want 429", code, out)
	}

	// The metrics show it: a published the sign-out and the calendar (and
	// more), b received them, and each listened from its start (a resync).
	ma, mb := scrapeStore(t, a), scrapeStore(t, b)
	if ma["published"] < 2 || mb["received"] < 2 || ma["resync"] < 1 || mb["resync"] < 1 {
		t.Errorf("cache invalidation metrics: a %v, b %v", ma, mb)
	}
}

// uploadThrough posts a file of component comp to dossier code through
// instance in, as the officer holding token, and returns the file's path
// under the instance's address.
func uploadThrough(t *testing.T, client *http.Client, in *instance, token, code string, comp int64, body []byte) string {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("component_id", strconv.FormatInt(comp, 10))
	fw, _ := mw.CreateFormFile("file", "scan.png")
	fw.Write(body)
	mw.Close()
	req, _ := http.NewRequest("POST", in.url.String()+"/api/v1/dossiers/"+code+"/files", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("Location") == "" {
		t.Fatalf("upload through an instance: %d %s", resp.StatusCode, out)
	}
	return resp.Header.Get("Location")
}

// scrapeStore reads an instance's store figures from its metrics, as
// Prometheus would: commits, the transactions they held, failed commits,
// and retries by reason.
func scrapeStore(t *testing.T, in *instance) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	in.app.metrics.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	out := map[string]float64{}
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		name, value, ok := strings.Cut(line, " ")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			continue
		}
		switch name {
		case `motcua_store_commits_total{engine="postgres",outcome="ok"}`:
			out["commits"] = v
		case `motcua_store_commits_total{engine="postgres",outcome="error"}`:
			out["failed"] = v
		case `motcua_store_commit_batch_size_sum{engine="postgres"}`:
			out["transactions"] = v
		case `motcua_store_retries_total{engine="postgres",reason="deadlock"}`:
			out["deadlock"] = v
		case `motcua_store_retries_total{engine="postgres",reason="serialization"}`:
			out["serialization"] = v
		case `motcua_cache_invalidations_total{event="published"}`:
			out["published"] = v
		case `motcua_cache_invalidations_total{event="received"}`:
			out["received"] = v
		case `motcua_cache_invalidations_total{event="resync"}`:
			out["resync"] = v
		}
	}
	return out
}
