package service

import (
	"context"

	"github.com/motcua/motcua"
)

// SetDrillChunk makes drill-downs work out standings n at a time until the
// returned function restores the default (tests of paging across chunks).
func SetDrillChunk(n int) (restore func()) {
	old := drillChunk
	drillChunk = n
	return func() { drillChunk = old }
}

// CleanFileName is cleanFileName, for its fuzz test.
var CleanFileName = cleanFileName

// WithExtension is withExtension, for its fuzz test.
var WithExtension = withExtension

// Report06aFromFacts is Report06a from the dossiers computed from
// PeriodFacts, as the index reads them (the agreement tests).
func (s *Service) Report06aFromFacts(ctx context.Context, p motcua.Period) (*motcua.Report06a, error) {
	return s.report06a(ctx, p, SourceBase, func(ctx context.Context, tx motcua.Tx, p motcua.Period, row func(int64) *motcua.Row06a) error {
		bp, err := readBasePeriod(ctx, tx, p)
		if err != nil {
			return err
		}
		bp.rows06a(p, row)
		return nil
	})
}

// Index766ByQueries is Index766From(p, "base") computed as before
// PeriodFacts.
func (s *Service) Index766ByQueries(ctx context.Context, p motcua.Period) (*motcua.IndexReport, error) {
	return s.index766Via(ctx, p, SourceBase, nil, baseIndexInputsByQueries)
}
