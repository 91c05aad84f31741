package main

import (
	"bufio"
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "motcua.json")
	os.WriteFile(file, []byte(`{"Listen": "127.0.0.1:7001", "LogLevel": "warn", "SupplementWaitDays": 20, "DataDir": "/from/file"}`), 0o600)
	secret := filepath.Join(dir, "db")
	os.WriteFile(secret, []byte("/secret/path.db\n"), 0o600)

	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	cfg, err := loadConfig(fs, []string{"--config", file, "--listen", "127.0.0.1:7003"},
		env(map[string]string{"MOTCUA_LISTEN": "127.0.0.1:7002", "MOTCUA_LOG_LEVEL": "debug", "MOTCUA_DB_FILE": secret}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Listen != "127.0.0.1:7003" {
		t.Errorf("flag should win: listen %q", cfg.Listen)
	}
	if cfg.LogLevel != "debug" {
		t.Errorf("environment should beat the file: log level %q", cfg.LogLevel)
	}
	if cfg.SupplementWaitDays != 20 || cfg.DataDir != "/from/file" {
		t.Errorf("file values lost: %+v", cfg)
	}
	if cfg.DB != "/secret/path.db" {
		t.Errorf("_FILE variable: db %q", cfg.DB)
	}
	if cfg.OnlineDecisionH != 8 || cfg.TransferCutOff != "15:00" {
		t.Errorf("defaults lost: %+v", cfg)
	}
	if cfg.BaseURL != "http://127.0.0.1:7003" {
		t.Errorf("derived base URL %q", cfg.BaseURL)
	}
}

func TestConfigValidation(t *testing.T) {
	cases := map[string][]string{
		"log level":      {"--log-level", "loud"},
		"code pattern":   {"--code-pattern", "{agency}-{seq}"},
		"work periods":   {"--work-periods", "07:30-25:00"},
		"weekend":        {"--weekend", "sat,funday"},
		"cut-off":        {"--transfer-cut-off", "3pm"},
		"scope":          {"--supplement-scope", "never"},
		"duration":       {"--session-ttl", "forever"},
		"number":         {"--supplement-wait-days", "many"},
		"agency pattern": {"--agency-code-pattern", "("},
		"gc percent":     {"--gc-percent", "5"},
		"memory limit":   {"--memory-limit", "lots"},
		"max file size":  {"--max-file-size", "big"},
		"db scheme":      {"--db", "mysql://u@h/db"},
		"db no database": {"--db", "postgres://u@127.0.0.1:5432"},
		"blobs scheme":   {"--blobs", "ftp://h/x"},
		"blobs relative": {"--blobs", "file://documents"},
		"s3 no endpoint": {"--blobs", "s3://docs"},
		"outbox url":     {"--outbox-url", "notify.internal"},
		"outbox lease":   {"--outbox-lease", "10ms"},
		"2fa role":       {"--require-2fa-roles", "admin,boss"},
		"smtp address":   {"--smtp-addr", "smtp.example.vn", "--smtp-from", "a@b.vn"},
		"smtp sender":    {"--smtp-addr", "smtp.example.vn:587", "--smtp-from", "nobody"},
		"sms url":        {"--sms-url", "sms.example.vn", "--sms-key", "k"},
		"sms key":        {"--sms-url", "https://sms.example.vn"},
		"escalation":     {"--escalate-head-after", "8h", "--escalate-leader-after", "4h"},
		"pg conns":       {"--pg-conns", "2"},
		"pg conns sign":  {"--pg-conns", "-1"},
	}
	for name, args := range cases {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		if _, err := loadConfig(fs, args, env(nil)); err == nil {
			t.Errorf("%s: %v accepted", name, args)
		}
	}
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	if _, err := loadConfig(fs, []string{"--config", "/no/such/file.json"}, env(nil)); err == nil {
		t.Error("missing configuration file accepted")
	}
	fs = flag.NewFlagSet("t", flag.ContinueOnError)
	cfg, err := loadConfig(fs, []string{"--require-2fa-roles", "admin,agency_leader"}, env(nil))
	if err != nil || len(cfg.Require2FA) != 2 || cfg.Require2FA[1] != "agency_leader" {
		t.Errorf("--require-2fa-roles: %v %v", cfg.Require2FA, err)
	}
}

func TestUsage(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, &out, &errOut, env(nil)); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"demo", "serve", "migrate", "bench", "version"} {
		if !strings.Contains(out.String(), "\n  "+cmd) {
			t.Errorf("usage does not explain %s", cmd)
		}
	}
	if err := run(context.Background(), []string{"fly"}, &out, &errOut, env(nil)); err == nil {
		t.Error("unknown command accepted")
	}
	errOut.Reset()
	if err := run(context.Background(), []string{"serve", "--help"}, &out, &errOut, env(nil)); err != flag.ErrHelp || !strings.Contains(errOut.String(), "MOTCUA_LISTEN") {
		t.Errorf("serve --help: %v\n%s", err, errOut.String())
	}
}

// TestServeRefusesOutdatedSchema checks that serve tells the operator to
// migrate instead of starting on an empty database.
func TestServeRefusesOutdatedSchema(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"serve", "--data", t.TempDir(), "--listen", "127.0.0.1:0"}, &out, io.Discard, env(nil))
	if err == nil || !strings.Contains(err.Error(), "motcua migrate") {
		t.Fatalf("serve on an empty database: %v", err)
	}
}

// TestDemoCommand runs the README's first command: it must migrate, load
// the demo province, serve, print the URL and the accounts, and stop
// cleanly when interrupted.
func TestDemoCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole system")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"demo", "--data", t.TempDir(), "--listen", "127.0.0.1:0", "--log-level", "error"}, pw, io.Discard, env(nil))
		pw.Close()
	}()
	var url string
	var printed strings.Builder
	sc := bufio.NewScanner(pr)
	deadline := time.After(2 * time.Minute)
	// readUntil reads the demo's lines until done says so, or fails with
	// what.
	readUntil := func(what string, enough func() bool) {
		for !enough() {
			lines := make(chan string, 1)
			go func() {
				if sc.Scan() {
					lines <- sc.Text()
				} else {
					close(lines)
				}
			}()
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("demo stopped early: %v\n%s", <-done, printed.String())
				}
				printed.WriteString(l + "\n")
				if rest, ok := strings.CutPrefix(l, "motcua is serving on "); ok {
					url, _, _ = strings.Cut(rest, " ")
				}
			case <-deadline:
				t.Fatalf("%s:\n%s", what, printed.String())
			}
		}
	}
	readUntil("demo did not start", func() bool { return url != "" && strings.Contains(printed.String(), "Ctrl+C") })
	// The online dossiers come in through the portal's simulator once the
	// server is up, then a catalogue import and the payments are made
	// through the simulators.
	readUntil("the simulators' work did not happen", func() bool { return strings.Contains(printed.String(), "paid in cash.") })
	// The citizens' SMS notices reach the SMS gateway's simulator.
	readUntil("no SMS notices", func() bool { return strings.Contains(printed.String(), "listed by the SMS gateway's simulator") })
	// Only the scanner reads the pipe (a second reader would take lines
	// the loop above waits for); it drains the rest so the demo never
	// blocks on its output.
	go func() {
		for sc.Scan() {
		}
	}()
	for _, want := range []string{"motcua.anphu", "MotCua@2026", "Loaded 52 procedures", "Simulator of the national public service portal",
		"7 online dossiers came in through the national portal's simulator", "A catalogue import from the national portal's simulator waits for review",
		"paid online through the payment simulator", "Population database: simulator at",
		"E-mail notices: off (no --smtp-addr given)", "Simulator of the SMS gateway"} {
		if !strings.Contains(printed.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, printed.String())
		}
	}
	resp, err := http.Get(url + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("readyz: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("demo did not stop cleanly: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("demo did not stop after interrupt")
	}
}

// TestPGConnsReachTheStore: --pg-conns sizes the store's PostgreSQL pool
// (0 leaves the store's default).
func TestPGConnsReachTheStore(t *testing.T) {
	for _, c := range []struct {
		args []string
		want int
	}{{nil, 0}, {[]string{"--pg-conns", "48"}, 48}} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		cfg, err := loadConfig(fs, c.args, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if got := storeOptions(cfg, nil).PGConns; got != c.want {
			t.Errorf("%v: PGConns %d, want %d", c.args, got, c.want)
		}
	}
}
