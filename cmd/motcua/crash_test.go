package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// crashServeEnv, when set in the environment, makes this test binary a
// motcua server: its value is the arguments of "motcua", separated by
// newlines. The parent test kills that process with SIGKILL.
const crashServeEnv = "MOTCUA_CRASH_SERVE"

// TestCrashDuringIntake runs the real server in a child process, receives
// dossiers over HTTP from concurrent clients with idempotency keys, kills
// the server with SIGKILL in mid-stream, restarts it on the same database,
// re-sends every request that was under way when it died, and checks that
// every acknowledged dossier is stored exactly once with what was sent,
// that no request made two dossiers, and that an acknowledged request sent
// again is answered with the same dossier. On SQLite, and on PostgreSQL
// when MOTCUA_TEST_POSTGRES is set.
func TestCrashDuringIntake(t *testing.T) {
	if args := os.Getenv(crashServeEnv); args != "" {
		crashServe(strings.Split(args, "\n"))
		return
	}
	if testing.Short() {
		t.Skip("spawns servers")
	}
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		dir := t.TempDir()
		db := filepath.Join(dir, "motcua.db")
		if e == sqltest.Postgres {
			db = sqltest.FreshSchema(t)
		}
		crashDuringIntake(t, dir, db)
	})
}

// crashServe is the child: motcua serve until killed (or interrupted).
func crashServe(args []string) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, args, os.Stdout, os.Stderr, func(string) string { return "" }); err != nil {
		fmt.Fprintln(os.Stderr, "motcua:", err)
		os.Exit(2)
	}
	os.Exit(0)
}

// crashServer is one child process serving on url.
type crashServer struct {
	cmd *exec.Cmd
	url string
}

func startCrashServer(t *testing.T, args []string) *crashServer {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashDuringIntake$")
	cmd.Env = append(os.Environ(), crashServeEnv+"="+strings.Join(args, "\n"))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "motcua is serving on "); ok {
				u, _, _ := strings.Cut(rest, " ")
				urls <- u
			}
		}
		close(urls)
	}()
	select {
	case u, ok := <-urls:
		if !ok {
			t.Fatal("the server stopped before serving")
		}
		return &crashServer{cmd: cmd, url: u}
	case <-time.After(90 * time.Second):
		t.Fatal("the server did not start within 90 s")
	}
	return nil
}

// kill ends the server as a power cut would: SIGKILL, no shutdown.
func (s *crashServer) kill() {
	s.cmd.Process.Signal(syscall.SIGKILL)
	s.cmd.Wait()
}

// crashRequest is one dossier a client sends, under its idempotency key.
type crashRequest struct {
	key   string
	token string
	body  []byte
	name  string
}

func crashDuringIntake(t *testing.T, dir, db string) {
	ctx := context.Background()
	// The province, seeded at the real time the server will use.
	var store *sqlstore.DB
	var err error
	if sqlstore.IsPostgresURL(db) {
		store, err = sqlstore.OpenURL(ctx, db, sqlstore.Options{})
	} else {
		store, err = sqlstore.Open(db, sqlstore.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	svc := seedDemo(t, store)
	p, err := svc.ProcedureByCode(ctx, "1.001193")
	if err != nil {
		t.Fatal(err)
	}
	var comps []service.ComponentInput
	for _, c := range p.Components {
		if !c.FromNationalDB {
			comps = append(comps, service.ComponentInput{ComponentID: c.ID, Provided: true})
		}
	}
	officers := map[string]int64{} // username → reception point
	for user, agency := range map[string]string{"motcua.anphu": "H99.101", "motcua.trungtam": "H99.102", "motcua.hoabinh": "H99.103"} {
		_, points, err := svc.Agency(ctx, agency)
		if err != nil {
			t.Fatal(err)
		}
		officers[user] = points[0].ID
	}
	before, err := store.CountRows(ctx, "dossiers")
	if err != nil {
		t.Fatal(err)
	}
	store.Close()

	args := []string{"serve", "--data", dir, "--db", db, "--listen", "127.0.0.1:0", "--log-level", "error"}
	srv := startCrashServer(t, args)
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
	tokens := map[string]string{}
	for user := range officers {
		tokens[user] = crashSignIn(t, client, srv.url, user)
	}
	var users []string
	for u := range officers {
		users = append(users, u)
	}
	request := func(i int) *crashRequest {
		user := users[i%len(users)]
		name := "Người nộp thử sập " + strconv.Itoa(i)
		b, _ := json.Marshal(service.NewDossier{ProcedureID: p.ID, ReceptionPointID: officers[user], Channel: motcua.ChannelCounter,
			Components: comps, Applicant: motcua.Applicant{FullName: name, IDNumber: fmt.Sprintf("079%09d", i)}})
		return &crashRequest{key: "crash-" + strconv.Itoa(i), token: tokens[user], body: b, name: name}
	}

	// Concurrent intake until the kill. A request without an answer is
	// in doubt: the server may or may not have stored it.
	const clients = 16
	var (
		mu       sync.Mutex
		acked    = map[string]string{} // key → dossier code
		inDoubt  []*crashRequest
		sent     = map[string]*crashRequest{}
		next     atomic.Int64
		nAcked   atomic.Int64
		dead     atomic.Bool
		wg       sync.WaitGroup
		failures atomic.Int64
	)
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !dead.Load() {
				r := request(int(next.Add(1)))
				mu.Lock()
				sent[r.key] = r
				mu.Unlock()
				code, status, err := crashSend(client, srv.url, r)
				switch {
				case err != nil || status >= 500:
					// Cut by the kill (or refused just before it):
					// in doubt, sent again after the restart.
					mu.Lock()
					inDoubt = append(inDoubt, r)
					mu.Unlock()
					if err == nil && !dead.Load() {
						failures.Add(1)
					}
				case status == http.StatusCreated || status == http.StatusOK:
					mu.Lock()
					acked[r.key] = code
					mu.Unlock()
					nAcked.Add(1)
				default:
					t.Errorf("%s: status %d", r.key, status)
					return
				}
			}
		}()
	}
	// Kill once enough is acknowledged for the test to mean something,
	// and after at least a second of steady intake; a few seconds at most.
	start := time.Now()
	for nAcked.Load() < 100 || time.Since(start) < time.Second {
		if time.Since(start) > 60*time.Second {
			t.Fatalf("only %d dossiers acknowledged in 60 s", nAcked.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	dead.Store(true)
	srv.kill()
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	if n := failures.Load(); n > 0 {
		t.Errorf("%d requests failed with a 5xx while the server was up", n)
	}
	t.Logf("killed after %.1f s: %d dossiers acknowledged, %d requests in doubt", time.Since(start).Seconds(), len(acked), len(inDoubt))

	// Restart on the same database; the sessions survive the crash.
	srv = startCrashServer(t, args)
	replayed := 0
	for _, r := range inDoubt {
		code, status, err := crashSend(client, srv.url, r)
		if err != nil || (status != http.StatusCreated && status != http.StatusOK) {
			t.Fatalf("%s sent again after the restart: %d %v", r.key, status, err)
		}
		if status == http.StatusOK {
			replayed++ // stored before the kill, unacknowledged: answered from the record
		}
		acked[r.key] = code
	}
	// Acknowledged requests sent again: the same dossier, not a new one.
	n := 0
	for key, code := range acked {
		if n++; n > 30 {
			break
		}
		got, status, err := crashSend(client, srv.url, sent[key])
		if err != nil || status != http.StatusOK || got != code {
			t.Errorf("%s sent again: %d %q %v, want 200 with %s", key, status, got, err, code)
		}
	}
	srv.kill() // the check reads the database as the crash left it

	if sqlstore.IsPostgresURL(db) {
		store, err = sqlstore.OpenURL(ctx, db, sqlstore.Options{})
	} else {
		store, err = sqlstore.Open(db, sqlstore.Options{})
	}
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	after, err := store.CountRows(ctx, "dossiers")
	if err != nil {
		t.Fatal(err)
	}
	err = store.Read(ctx, func(tx motcua.Tx) error {
		seen := map[string]string{}
		for key, code := range acked {
			d, err := tx.DossierByCode(ctx, code)
			if err != nil {
				return fmt.Errorf("acknowledged dossier %s (%s) lost after the crash: %w", code, key, err)
			}
			if d.Applicant.FullName != sent[key].name {
				return fmt.Errorf("dossier %s holds %q, but %s sent %q", code, d.Applicant.FullName, key, sent[key].name)
			}
			if other, dup := seen[code]; dup {
				return fmt.Errorf("requests %s and %s were both answered with %s", other, key, code)
			}
			seen[code] = key
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every request that reached the server is now acknowledged; the
	// dossiers added are exactly those: none lost, none twice.
	if got := after - before; got != int64(len(acked)) {
		t.Fatalf("%d dossiers stored for %d requests: duplicates or strays", got, len(acked))
	}
	t.Logf("after the restart: %d dossiers stored once each (%d in-doubt requests had been stored before the kill and were answered from the record)",
		len(acked), replayed)
}

func crashSignIn(t *testing.T, client *http.Client, base, user string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"username": user, "password": demo.Password})
	resp, err := client.Post(base+"/api/v1/sessions", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var login struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&login)
	if login.Token == "" {
		t.Fatalf("sign-in of %s: %d", user, resp.StatusCode)
	}
	return login.Token
}

// crashSend posts r and returns the dossier code of the answer and its
// status; err is a request without an answer.
func crashSend(client *http.Client, base string, r *crashRequest) (string, int, error) {
	req, _ := http.NewRequest("POST", base+"/api/v1/dossiers", bytes.NewReader(r.body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+r.token)
	req.Header.Set("Idempotency-Key", r.key)
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", 0, err
	}
	var d struct{ Code string }
	json.Unmarshal(out, &d)
	return d.Code, resp.StatusCode, nil
}
