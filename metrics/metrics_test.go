package metrics_test

import (
	"context"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/metrics"
)

// TestExposition records a few events and reads them back in the
// Prometheus text format, as a scraper would.
func TestExposition(t *testing.T) {
	m := metrics.New()
	m.Request("POST", "POST /api/v1/dossiers", 201, 3*time.Millisecond)
	m.Request("POST", "POST /api/v1/dossiers", 201, 5*time.Millisecond)
	m.Request("GET", "", 404, time.Millisecond)
	m.Commit("sqlite", 12, 2*time.Millisecond, nil)
	m.Commit("sqlite", 3, time.Millisecond, nil)
	m.Commit("postgres", 1, time.Millisecond, errors.New("boom"))
	m.Retry("postgres", "deadlock")
	m.Retry("postgres", "deadlock")
	m.Retry("postgres", "serialization")
	m.Job("warn-deadlines", 7, nil, time.Second)
	m.Job("deliver-outbox", 0, errors.New("unreachable"), time.Second)
	m.CacheInvalidation("published", 3)
	m.CacheInvalidation("resync", 1)
	backlog := 42
	m.OutboxBacklog(func(context.Context) (int, error) { return backlog, nil })
	m.StorageSize(func(context.Context) (int64, int64, error) { return 123456, -1, nil })

	srv := httptest.NewServer(m.Handler())
	defer srv.Close()
	scrape := func() string {
		resp, err := srv.Client().Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	body := scrape()
	for _, want := range []string{
		`motcua_http_requests_total{code="201",method="POST",route="POST /api/v1/dossiers"} 2`,
		`motcua_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`motcua_http_request_duration_seconds_count{method="POST",route="POST /api/v1/dossiers"} 2`,
		`motcua_store_commits_total{engine="sqlite",outcome="ok"} 2`,
		`motcua_store_commits_total{engine="postgres",outcome="error"} 1`,
		`motcua_store_commit_batch_size_sum{engine="sqlite"} 15`,
		`motcua_store_commit_batch_size_bucket{engine="sqlite",le="4"} 1`,
		`motcua_store_retries_total{engine="postgres",reason="deadlock"} 2`,
		`motcua_store_retries_total{engine="postgres",reason="serialization"} 1`,
		`motcua_job_runs_total{job="deliver-outbox",outcome="error"} 1`,
		`motcua_job_items_total{job="warn-deadlines"} 7`,
		`motcua_outbox_backlog 42`,
		`motcua_database_size_bytes 123456`,
		`motcua_database_disk_free_bytes -1`,
		`motcua_cache_invalidations_total{event="published"} 3`,
		`motcua_cache_invalidations_total{event="resync"} 1`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want+"\n") && !strings.Contains(body, want+" ") {
			t.Errorf("missing %q", want)
		}
	}
	backlog = 3
	if !strings.Contains(scrape(), "motcua_outbox_backlog 3\n") {
		t.Error("the backlog gauge is not read at scrape time")
	}
}
