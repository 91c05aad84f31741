package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/motcua/motcua/metrics"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
)

// wireReportReplica connects the reports to the streaming replica named by
// --report-db, if any: the service reads the reports there (falling back
// to the primary when it is down or lags more than --report-max-lag) and
// the metrics show its lag. A replica that is down at start is logged, not
// fatal: the counters must start whatever the reports' copy does.
func wireReportReplica(ctx context.Context, cfg Config, db *sqlstore.DB, scfg *service.Config, m *metrics.Metrics) error {
	if cfg.ReportDB == "" {
		return nil
	}
	if db.Engine() != "postgres" {
		return fmt.Errorf("--report-db needs --db on PostgreSQL: a streaming replica is a PostgreSQL server's")
	}
	r, err := sqlstore.OpenReplica(cfg.ReportDB, db, sqlstore.Options{})
	if err != nil {
		return fmt.Errorf("--report-db: %w", err)
	}
	scfg.Reports, scfg.ReportMaxLag = r, cfg.ReportMaxLag
	if at, err := r.Freshness(ctx); err != nil {
		slog.Warn("report replica not usable now; reports read the primary until it is", "replica", r.Path(), "err", err)
	} else {
		slog.Info("reports read the streaming replica", "replica", r.Path(), "lag", time.Since(at).Round(time.Millisecond), "max_lag", scfg.ReportMaxLag)
	}
	if m != nil {
		m.ReportReplica(func(ctx context.Context) (time.Duration, error) {
			at, err := r.Freshness(ctx)
			return max(time.Since(at), 0), err
		}, service.ReportFallbacks)
	}
	return nil
}
