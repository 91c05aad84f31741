package main

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/password"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// startReplica starts a streaming replica of the test server with
// .ci/postgres (which started that server and said where:
// MOTCUA_TEST_POSTGRES_DIR) and returns its address for the database and
// schema of addr; stop stops it. Skipped (failed under
// MOTCUA_REQUIRE_POSTGRES=1) where the server was not started that way.
func startReplica(t *testing.T, addr string) (replica string, stop func()) {
	t.Helper()
	dir := os.Getenv("MOTCUA_TEST_POSTGRES_DIR")
	if dir == "" {
		const msg = "MOTCUA_TEST_POSTGRES_DIR is not set: start the server with .ci/postgres start, which sets it, to test a streaming replica"
		if os.Getenv("MOTCUA_REQUIRE_POSTGRES") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	script := "../../.ci/postgres"
	out, err := exec.Command(script, "replica", dir).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf(".ci/postgres replica %s: %v\n%s", dir, err, stderr)
	}
	stopped := false
	stop = func() {
		if stopped {
			return
		}
		stopped = true
		if out, err := exec.Command(script, "stop-replica", dir).CombinedOutput(); err != nil {
			t.Errorf(".ci/postgres stop-replica: %v\n%s", err, out)
		}
	}
	t.Cleanup(stop)
	var port string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if p, ok := strings.CutPrefix(sc.Text(), "export MOTCUA_TEST_REPLICA_PORT="); ok {
			port = p
		}
	}
	if port == "" {
		t.Fatalf(".ci/postgres replica printed no port:\n%s", out)
	}
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = u.Hostname() + ":" + port
	return u.String(), stop
}

// TestReportsFromStreamingReplica starts a streaming replica of the test
// server, writes a province's dossiers on the primary, waits for the
// replica to replay them, and checks that the reports read there equal the
// primary's; then that a replica too far behind, and a stopped one, leave
// the reports to the primary with the same figures.
func TestReportsFromStreamingReplica(t *testing.T) {
	sqltest.RequirePostgres(t)
	prev := slog.Default()
	setupLogging("error", io.Discard)
	defer slog.SetDefault(prev)
	ctx := context.Background()
	pg := sqltest.FreshSchema(t)
	replicaAddr, stopReplica := startReplica(t, pg)

	primary := sqltest.OpenAt(t, pg)
	if err := primary.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	cal, _ := calendar.Default()
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	written := time.Now()
	if _, err := demo.Seed(ctx, demo.Options{Store: primary, Cal: cal, Hasher: password.Default(),
		Service: service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern}, Now: written}); err != nil {
		t.Fatal(err)
	}
	written = time.Now() // every dossier committed before this

	r, err := sqlstore.OpenReplica(replicaAddr, primary, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := sqlstore.OpenReplica(replicaAddr, nil, sqlstore.Options{}); err != nil {
		t.Fatalf("a replica without a primary to compare with: %v", err)
	}
	// The primary itself is not a replica: refused at the first report.
	notReplica, _ := sqlstore.OpenReplica(pg, nil, sqlstore.Options{})
	if _, err := notReplica.Freshness(ctx); err == nil || !strings.Contains(err.Error(), "not in recovery") {
		t.Errorf("the primary's address as the replica: Freshness = %v, want a refusal saying it is not in recovery", err)
	}
	notReplica.Close()

	deadline := time.Now().Add(60 * time.Second)
	for {
		at, err := r.Freshness(ctx)
		if err == nil && !at.Before(written) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the replica did not replay the dossiers within 60 s: as of %v (written %v), err %v", at, written, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	var onPrimary, onReplica int
	count := func(n *int) func(motcua.Tx) error {
		return func(tx motcua.Tx) error {
			ds, err := tx.ReportDossiers(ctx, motcua.ReportFilter{Limit: 100000})
			*n = len(ds)
			return err
		}
	}
	if err := primary.Read(ctx, count(&onPrimary)); err != nil {
		t.Fatal(err)
	}
	if err := r.Read(ctx, count(&onReplica)); err != nil {
		t.Fatal(err)
	}
	if onPrimary == 0 || onReplica != onPrimary {
		t.Fatalf("dossiers on the primary %d, on the replica %d", onPrimary, onReplica)
	}

	now := time.Now()
	clock := func() time.Time { return now }
	base := service.Config{Rules: motcua.DefaultRules(), CodePattern: pattern, Now: clock}
	direct := service.New(primary, cal, password.Default(), base)
	viaReplica := base
	viaReplica.Reports = r
	replicated := service.New(primary, cal, password.Default(), viaReplica)
	period := motcua.Period{From: motcua.DayOf(now.AddDate(0, -4, 0)), To: motcua.DayOf(now)}

	type figures struct {
		r06a  *motcua.Report06a
		index *motcua.IndexReport
	}
	reports := func(t *testing.T, s *service.Service) figures {
		t.Helper()
		a, err := s.Report06a(ctx, period, service.SourceBase)
		if err != nil {
			t.Fatal(err)
		}
		idx, err := s.Index766From(ctx, period, service.SourceBase)
		if err != nil {
			t.Fatal(err)
		}
		return figures{a, idx}
	}
	same := func(t *testing.T, got, want figures) {
		t.Helper()
		g, w := *got.r06a, *want.r06a
		g.AsOf, w.AsOf, g.FromReplica, w.FromReplica = time.Time{}, time.Time{}, false, false
		if !reflect.DeepEqual(g, w) {
			t.Errorf("06a differs:\n got %+v\nwant %+v", g.Total, w.Total)
		}
		gi, wi := *got.index, *want.index
		gi.AsOf, wi.AsOf, gi.FromReplica, wi.FromReplica = time.Time{}, time.Time{}, false, false
		if !reflect.DeepEqual(gi, wi) {
			t.Errorf("QĐ 766 index differs:\n got %+v\nwant %+v", gi.Units, wi.Units)
		}
	}
	want := reports(t, direct)
	if want.r06a.Total.Col(3) == 0 {
		t.Fatalf("the seeded province received nothing in %v: the comparison would prove nothing", period)
	}
	if want.r06a.FromReplica || !want.r06a.AsOf.Equal(direct.Now()) {
		t.Errorf("without a replica: from replica %v, as of %v (want the clock, %v)", want.r06a.FromReplica, want.r06a.AsOf, direct.Now())
	}
	fallbacks := service.ReportFallbacks()
	got := reports(t, replicated)
	if !got.r06a.FromReplica || !got.index.FromReplica {
		t.Fatalf("with a replica in step: 06a from replica %v, index from replica %v; want both", got.r06a.FromReplica, got.index.FromReplica)
	}
	if got.r06a.AsOf.Before(written) {
		t.Errorf("06a from the replica as of %v, before the dossiers were written (%v)", got.r06a.AsOf, written)
	}
	same(t, got, want)
	if n := service.ReportFallbacks(); n != fallbacks {
		t.Errorf("fallbacks went from %d to %d with the replica in step", fallbacks, n)
	}

	// A bound the replica cannot meet: the reports read the primary.
	strict := viaReplica
	strict.ReportMaxLag = time.Nanosecond
	later := now.Add(time.Hour) // the replica seems an hour behind
	strict.Now = func() time.Time { return later }
	lagging := reports(t, service.New(primary, cal, password.Default(), strict))
	if lagging.r06a.FromReplica || lagging.index.FromReplica {
		t.Error("a replica an hour behind with a bound of 1 ns was read")
	}
	base.Now = strict.Now
	same(t, lagging, reports(t, service.New(primary, cal, password.Default(), base)))
	if n := service.ReportFallbacks(); n != fallbacks+2 {
		t.Errorf("fallbacks went from %d to %d after two reports over the bound; want +2", fallbacks, n)
	}

	// The replica stopped: the same figures, from the primary.
	stopReplica()
	if _, err := r.Freshness(ctx); err == nil {
		t.Fatal("Freshness of a stopped replica: no error")
	}
	down := reports(t, replicated)
	if down.r06a.FromReplica || down.index.FromReplica {
		t.Error("reports said they read a stopped replica")
	}
	same(t, down, want)
	if n := service.ReportFallbacks(); n != fallbacks+4 {
		t.Errorf("fallbacks went from %d to %d after two reports with the replica down; want +4", fallbacks, n)
	}
}
