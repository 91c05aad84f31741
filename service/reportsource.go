package service

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
)

// DefaultReportMaxLag is how far behind the primary a report replica may
// be before the reports read the primary instead (Config.ReportMaxLag).
const DefaultReportMaxLag = 5 * time.Minute

// reportFallbacks counts the reports read from the primary because the
// replica was down or too far behind (ReportFallbacks).
var reportFallbacks atomic.Int64

// ReportFallbacks returns how many reports this process read from the
// primary because the replica was unreachable or lagged more than
// Config.ReportMaxLag (for the metrics).
func ReportFallbacks() int64 { return reportFallbacks.Load() }

// reportRead runs fn, which reads the figures of a report, on the report
// replica when one is configured, reachable and within ReportMaxLag of the
// primary, and on the primary otherwise. It returns the moment up to which
// what fn read holds every change, and whether that was the replica.
//
// Falling back rather than refusing is deliberate: a month-end report has
// a deadline, and the primary served reports before a replica existed; the
// replica only moves that load off the counters when it can. Each fallback
// is logged and counted, so that a replica that is down does not go
// unnoticed.
func (s *Service) reportRead(ctx context.Context, fn func(motcua.Tx) error) (asOf time.Time, replica bool, err error) {
	if r := s.cfg.Reports; r != nil {
		maxLag := s.cfg.ReportMaxLag
		if maxLag <= 0 {
			maxLag = DefaultReportMaxLag
		}
		at, ferr := r.Freshness(ctx)
		switch lag := s.now().Sub(at); {
		case ferr != nil:
			slog.Warn("report replica unreachable; the report reads the primary", "err", ferr)
		case lag > maxLag:
			slog.Warn("report replica too far behind; the report reads the primary", "lag", lag.Round(time.Millisecond), "max_lag", maxLag)
		default:
			rerr := r.Read(ctx, fn)
			if motcua.ErrorCode(rerr) != motcua.EUNAVAILABLE || ctx.Err() != nil {
				return at, true, rerr
			}
			slog.Warn("report replica failed during the report; the report reads the primary", "err", rerr)
		}
		reportFallbacks.Add(1)
	}
	at := s.now()
	return at, false, s.store.Read(ctx, fn)
}
