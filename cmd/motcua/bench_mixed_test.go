package main

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/motcua/motcua/sqlstore/sqltest"
)

// TestMixedBench runs the mixed staff workload briefly on the demo
// province, on both engines. It checks that the single-client baseline
// measured the kinds a reception officer always can do, and that the
// dossiers the workload received or moved were read back (the command fails when one is stored otherwise than it
// was answered), not how fast anything is: that is the benchmark's own
// business.
func TestMixedBench(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		if testing.Short() {
			t.Skip("runs the whole system under load")
		}
		ctx := context.Background()
		dir := t.TempDir()
		addr := sqltest.Fresh(t, e)
		db := sqltest.OpenAt(t, addr)
		seedDemo(t, db)
		db.Close()
		var out bytes.Buffer
		args := []string{"bench", "--mixed", "--db", addr, "--data", dir, "--sessions", "6", "--duration", "1500ms", "--solo", "1500ms", "--warmup", "0"}
		if err := run(ctx, args, &out, io.Discard, env(nil)); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		s := out.String()
		// Every kind is tried alone at least once (the single-client
		// baseline); the reception officer's ones always succeed.
		for _, kind := range []string{"inbox page", "counter reception", "receipt PDF", "citizen lookup"} {
			m := regexp.MustCompile(`(?m)^  ` + regexp.QuoteMeta(kind) + ` +\d+ +\d+ +\d+ +[\d.]+ ms +[\d.]+ ms +([\d.]+) ms`).FindStringSubmatch(s)
			if m == nil || m[1] == "0.0" {
				t.Errorf("%s not measured alone:\n%s", kind, s)
			}
		}
		m := regexp.MustCompile(`checked: the (\d+) dossiers`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no read-back:\n%s", s)
		}
		if n, _ := strconv.Atoi(m[1]); n == 0 {
			t.Errorf("no dossier received or moved:\n%s", s)
		}
		if !strings.Contains(s, "6 sessions (closed loop") || !strings.Contains(s, "peak memory") {
			t.Errorf("figures missing:\n%s", s)
		}
		if strings.Contains(s, "warm-up") {
			t.Errorf("a warm-up with --warmup 0:\n%s", s)
		}

		// Paced, the sessions offer about --rate requests per second
		// whatever the server could take: a closed loop on the demo
		// province does hundreds.
		out.Reset()
		args = []string{"bench", "--mixed", "--db", addr, "--data", dir, "--sessions", "6", "--duration", "3s", "--solo", "100ms", "--rate", "20", "--tail", "--warmup", "1s"}
		if err := run(ctx, args, &out, io.Discard, env(nil)); err != nil {
			t.Fatalf("%v\n%s", err, out.String())
		}
		s = out.String()
		m = regexp.MustCompile(`6 sessions \(paced: 20 requests/s offered[^)]*\): (\d+) operations/s`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no paced figures:\n%s", s)
		}
		if n, _ := strconv.Atoi(m[1]); n < 1 || n > 40 {
			t.Errorf("paced at 20 requests/s, the sessions sent %d/s:\n%s", n, s)
		}
		if !strings.Contains(s, "--rate 20") || !strings.Contains(s, "--warmup 1s") {
			t.Errorf("the command to reproduce lacks --rate or --warmup:\n%s", s)
		}
		// The warm-up runs at the same rate, counted apart: about 20
		// operations in its second.
		m = regexp.MustCompile(`warm-up before it, not counted: 1s, (\d+) operations, p99 of every kind together [\d.]+ ms`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no warm-up figures:\n%s", s)
		}
		if n, _ := strconv.Atoi(m[1]); n < 3 || n > 60 {
			t.Errorf("a warm-up of 1 s at 20 requests/s made %d operations:\n%s", n, s)
		}
		// --tail: the run second by second.
		if !regexp.MustCompile(`by second of the run: requests due.*\n +\d+ +[\d.]+`).MatchString(s) {
			t.Errorf("no second-by-second figures:\n%s", s)
		}
		// --tail: every request of the run timed at the handler too, and
		// the receptions' commits seen by the store's observer.
		m = regexp.MustCompile(`(?m)^    all +(\d+) +([\d.]+) +([\d.]+) +([\d.]+) +([\d.]+)`).FindStringSubmatch(s)
		if m == nil {
			t.Fatalf("no tail figures:\n%s", s)
		}
		lat, _ := strconv.ParseFloat(m[2], 64)
		h, _ := strconv.ParseFloat(m[5], 64)
		if n, _ := strconv.Atoi(m[1]); n == 0 || h <= 0 || h > lat {
			t.Errorf("a kind's requests: %s of them, mean latency %s ms, in the handler %s ms:\n%s", m[1], m[2], m[5], s)
		}
		m = regexp.MustCompile(`commits: (\d+),`).FindStringSubmatch(s)
		if m == nil || m[1] == "0" {
			t.Errorf("no commit seen during the run:\n%s", s)
		}
	})
}

// TestMixedBenchRefusesABadRate: a negative rate is refused before any
// database is opened, not taken for a closed loop.
func TestMixedBenchRefusesABadRate(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"bench", "--mixed", "--data", t.TempDir(), "--rate", "-5"}, &out, io.Discard, env(nil))
	if err == nil || !strings.Contains(err.Error(), "--rate") {
		t.Fatalf("a rate of -5 requests/s: %v\n%s", err, out.String())
	}
	err = run(context.Background(), []string{"bench", "--mixed", "--data", t.TempDir(), "--warmup", "-1s"}, &out, io.Discard, env(nil))
	if err == nil || !strings.Contains(err.Error(), "--warmup") {
		t.Fatalf("a warm-up of -1s: %v\n%s", err, out.String())
	}
}
