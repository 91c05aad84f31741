// Package metrics exposes motcua's measurements in the Prometheus text
// format at /metrics: HTTP requests (count and latency per route), store
// commits (batch sizes of the group commit, commit latency, retries), scheduled
// job runs and the outbox backlog. The other packages do not import it;
// they report through small hooks that cmd/motcua connects here.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics holds the collectors of one process. It is safe for concurrent
// use.
type Metrics struct {
	reg           *prometheus.Registry
	requests      *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	commits       *prometheus.CounterVec
	batch         *prometheus.HistogramVec
	commitLatency *prometheus.HistogramVec
	retries       *prometheus.CounterVec
	jobRuns       *prometheus.CounterVec
	jobItems      *prometheus.CounterVec
	jobLatency    *prometheus.HistogramVec
	invalidations *prometheus.CounterVec
}

// New returns the collectors, registered with the Go runtime and process
// collectors.
func New() *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_http_requests_total",
		Help: "HTTP requests by method, route pattern and status code."}, []string{"method", "route", "code"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_http_request_duration_seconds",
		Help: "HTTP request latency by method and route pattern.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)},
		[]string{"method", "route"})
	m.commits = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_store_commits_total",
		Help: "Store commits by engine and outcome."}, []string{"engine", "outcome"})
	m.batch = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_store_commit_batch_size",
		Help:    "Callers' transactions per commit (group commit).",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256}}, []string{"engine"})
	m.commitLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_store_commit_duration_seconds",
		Help: "Time from begin to durable commit.", Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16)}, []string{"engine"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_store_retries_total",
		Help: "Batches (or transactions) that PostgreSQL aborted because of another transaction and that ran again, by reason (deadlock, serialization)."},
		[]string{"engine", "reason"})
	m.jobRuns = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_job_runs_total",
		Help: "Scheduled job runs by job and outcome."}, []string{"job", "outcome"})
	m.jobItems = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_job_items_total",
		Help: "Items handled by scheduled jobs (dossiers closed, warnings recorded, messages delivered…)."}, []string{"job"})
	m.jobLatency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "motcua_job_duration_seconds",
		Help: "Duration of scheduled job runs.", Buckets: prometheus.ExponentialBuckets(0.001, 4, 10)}, []string{"job"})
	m.invalidations = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "motcua_cache_invalidations_total",
		Help: "Cache invalidations between instances: keys published, publications that failed, keys received, and resyncs (everything dropped after the listening connection was made again)."},
		[]string{"event"})
	m.reg.MustRegister(m.requests, m.latency, m.commits, m.batch, m.commitLatency, m.retries, m.jobRuns, m.jobItems, m.jobLatency, m.invalidations,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the metrics.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records one HTTP request; route is the ServeMux pattern that
// matched ("" for none), so that labels stay few whatever the URLs.
func (m *Metrics) Request(method, route string, status int, took time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(method, route).Observe(took.Seconds())
}

// Commit records one store commit (it implements sqlstore.Observer).
func (m *Metrics) Commit(engine string, batch int, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.commits.WithLabelValues(engine, outcome).Inc()
	if err == nil {
		m.batch.WithLabelValues(engine).Observe(float64(batch))
		m.commitLatency.WithLabelValues(engine).Observe(took.Seconds())
	}
}

// Retry records a batch that runs again (it implements sqlstore.Observer).
func (m *Metrics) Retry(engine, reason string) {
	m.retries.WithLabelValues(engine, reason).Inc()
}

// CacheInvalidation records n cache invalidation events of one kind:
// "published", "publish_failed", "received" or "resync".
func (m *Metrics) CacheInvalidation(event string, n int) {
	m.invalidations.WithLabelValues(event).Add(float64(n))
}

// Job records one run of a scheduled job.
func (m *Metrics) Job(name string, n int, err error, took time.Duration) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.jobRuns.WithLabelValues(name, outcome).Inc()
	m.jobItems.WithLabelValues(name).Add(float64(n))
	m.jobLatency.WithLabelValues(name).Observe(took.Seconds())
}

// OutboxBacklog registers a gauge of the messages waiting for delivery,
// read through count when scraped (with a 5 s time-out).
func (m *Metrics) OutboxBacklog(count func(ctx context.Context) (int, error)) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_outbox_backlog",
		Help: "Outbox messages neither delivered nor given up."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		n, err := count(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))
}

// PortalLag registers the delivery lag of the national portal's status
// messages: how long, in seconds, the oldest undelivered one has waited (0
// when none waits; -1 when it cannot be read). Alert when it grows: the
// portal is down or refuses the province's messages.
func (m *Metrics) PortalLag(lag func(ctx context.Context) (float64, error)) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_portal_sync_lag_seconds",
		Help: "Age of the oldest status message not yet accepted by the national portal (DVCQG)."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		v, err := lag(ctx)
		if err != nil {
			return -1
		}
		return v
	}))
}

// StorageSize registers two gauges read when scraped (5 s time-out): the
// database's size in bytes, and the free bytes of the disk holding it (-1
// where motcua cannot see that disk, as for PostgreSQL's server). Alert on
// the free space of the database's disk, and on PostgreSQL on the growth of
// the size against the server's disk.
func (m *Metrics) StorageSize(size func(ctx context.Context) (bytes, free int64, err error)) {
	read := func(pick func(b, f int64) int64) func() float64 {
		return func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			b, f, err := size(ctx)
			if err != nil {
				return -1
			}
			return float64(pick(b, f))
		}
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_database_size_bytes",
		Help: "Size of the database (SQLite: file and write-ahead log; PostgreSQL: pg_database_size)."},
		read(func(b, _ int64) int64 { return b })))
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_database_disk_free_bytes",
		Help: "Free space on the disk of the SQLite database; -1 when not visible (PostgreSQL)."},
		read(func(_, f int64) int64 { return f })))
}
