package metrics

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ReportReplica registers the report replica's gauges, read when scraped
// (5 s time-out): motcua_report_replica_lag_seconds, how far behind the
// primary the replica's replayed data is (-1 when it cannot be read: the
// replica is down or no longer a replica), and
// motcua_report_replica_fallbacks_total, the reports this process read from
// the primary instead. Alert when the lag passes the configured bound or
// the fallbacks grow.
func (m *Metrics) ReportReplica(lag func(ctx context.Context) (time.Duration, error), fallbacks func() int64) {
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "motcua_report_replica_lag_seconds",
		Help: "How far behind the primary the report replica's replayed data is; -1 when it cannot be read."}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		d, err := lag(ctx)
		if err != nil {
			return -1
		}
		return d.Seconds()
	}))
	m.reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "motcua_report_replica_fallbacks_total",
		Help: "Reports read from the primary because the report replica was down or too far behind."},
		func() float64 { return float64(fallbacks()) }))
}
