package service

import (
	"context"

	"github.com/motcua/motcua"
)

// The reports from the dossiers were computed, before issue 15, by one
// store query per figure: the receptions, the finishes, the dossiers
// carried over and those pending at the end, each a pass of its own.
// Report 06a still is (its figures are per agency, and counting index
// ranges per agency is cheaper than reading rows); the index's inputs now
// come from one pass (motcua.PeriodFacts), and their former computation is
// kept as the independent reference the tests compare the new one with on
// generated provinces (both engines).

// base06aByQueries computes report 06a from the dossiers: receptions and
// finishes of the period are counted per agency in the indexes; the
// dossiers pending at the period's end are classified by their standing
// at that moment.
func (s *Service) base06aByQueries(ctx context.Context, tx motcua.Tx, p motcua.Period, row func(int64) *motcua.Row06a) error {
	from, to := p.From.Start(), p.To.End()
	recv, err := tx.ReceivedByAgency(ctx, from, to)
	if err != nil {
		return err
	}
	for _, a := range recv {
		r := row(a.AgencyID)
		r.ReceivedOnline += a.Online
		r.ReceivedDirect += a.Total - a.Online
	}
	fin, err := tx.FinishedByAgency(ctx, from, to)
	if err != nil {
		return err
	}
	for _, a := range fin {
		r := row(a.AgencyID)
		r.Early += a.Early
		r.FinishedOnTime += a.OnTime
		r.Late += a.Late
	}
	carried, err := tx.CountPendingAt(ctx, from)
	if err != nil {
		return err
	}
	for agency, n := range carried {
		row(agency).CarriedOver += n
	}
	pending, err := pendingAt(ctx, tx, to)
	if err != nil {
		return err
	}
	for _, pd := range pending {
		row(pd.AgencyID).Count(pd.Stock.At(p.To))
	}
	return nil
}

// baseIndexInputsByQueries reads the inputs from the dossiers as before
// the one-pass PeriodFacts (issue 15): the reference of the tests.
func baseIndexInputsByQueries(ctx context.Context, tx motcua.Tx, p motcua.Period) (*indexInputs, error) {
	from, to := p.From.Start(), p.To.End()
	in := newIndexInputs()
	var err error
	if in.recv, err = tx.ReceivedIn(ctx, from, to); err != nil {
		return nil, err
	}
	fin, err := tx.FinishedIn(ctx, from, to)
	if err != nil {
		return nil, err
	}
	for _, a := range fin {
		n := a.Early + a.OnTime + a.Late
		addTo(in.finished, a.AgencyID, n, a.OnTime766)
		addTo(in.handled, a.ProcedureID, a.HandleMS, n)
	}
	pending, err := pendingAt(ctx, tx, to)
	if err != nil {
		return nil, err
	}
	for _, pd := range pending {
		ok := int64(0)
		if pd.Stock.OnTime766(p.To) {
			ok = 1
		}
		addTo(in.pending, pd.AgencyID, 1, ok)
	}
	return in, nil
}
