package service

import (
	"context"
	"sort"
	"time"

	"github.com/motcua/motcua"
)

// Report sources.
const (
	SourceBase = "base" // computed from the dossiers' own records
	SourceLive = "live" // read from the counters kept at every change
)

// Report06a computes report II.06a for a period, per agency that settles
// dossiers and for the province. The figures are public statistics (no
// personal data); the dossiers behind them are listed by ReportDossiers to
// staff only. Both sources give the same figures; "live" is the fast one.
func (s *Service) Report06a(ctx context.Context, p motcua.Period, source string) (*motcua.Report06a, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	rows := map[int64]*motcua.Row06a{}
	row := func(agency int64) *motcua.Row06a {
		r, ok := rows[agency]
		if !ok {
			r = &motcua.Row06a{AgencyID: agency}
			rows[agency] = r
		}
		return r
	}
	var err error
	switch source {
	case SourceBase, "":
		source = SourceBase
		err = s.store.Read(ctx, func(tx motcua.Tx) error { return s.base06a(ctx, tx, p, row) })
	case SourceLive:
		err = s.store.Read(ctx, func(tx motcua.Tx) error { return live06a(ctx, tx, p, row) })
	default:
		return nil, motcua.FieldError("source", "source_unknown", "Nguồn số liệu phải là \"base\" hoặc \"live\".")
	}
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	out := &motcua.Report06a{Period: p, Source: source}
	for _, r := range rows {
		out.Rows = append(out.Rows, *r)
		out.Total.Add(*r)
	}
	sortByAgency(out.Rows, byID)
	return out, nil
}

// sortByAgency orders rows as the province lists its units: provincial
// bodies, then vertical agencies, then communes, each by code.
func sortByAgency(rows []motcua.Row06a, byID map[int64]*motcua.Agency) {
	rank := func(id int64) (int, string) {
		a, ok := byID[id]
		if !ok {
			return 9, ""
		}
		switch a.Level {
		case motcua.LevelProvince:
			return 0, a.Code
		case motcua.LevelVertical:
			return 1, a.Code
		}
		return 2, a.Code
	}
	sort.Slice(rows, func(i, j int) bool {
		ri, ci := rank(rows[i].AgencyID)
		rj, cj := rank(rows[j].AgencyID)
		return ri < rj || (ri == rj && (ci < cj || (ci == cj && rows[i].AgencyID < rows[j].AgencyID)))
	})
}

// base06a computes the report from the dossiers: receptions and finishes of
// the period are index scans; the dossiers pending at the period's end are
// classified by their standing at that moment — their current one, or, for
// those changed since, the one their history gives.
func (s *Service) base06a(ctx context.Context, tx motcua.Tx, p motcua.Period, row func(int64) *motcua.Row06a) error {
	from, to := p.From.Start(), p.To.End()
	recv, err := tx.ReceivedIn(ctx, from, to)
	if err != nil {
		return err
	}
	for _, a := range recv {
		r := row(a.AgencyID)
		r.ReceivedOnline += a.Online
		r.ReceivedDirect += a.Total - a.Online
	}
	fin, err := tx.FinishedIn(ctx, from, to)
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

// live06a reads the report from the live counters.
func live06a(ctx context.Context, tx motcua.Tx, p motcua.Period, row func(int64) *motcua.Row06a) error {
	flows, err := tx.StatFlows(ctx, p.From, p.To, []motcua.Metric{motcua.MetricReceivedOnline, motcua.MetricReceivedDirect,
		motcua.MetricFinishedEarly, motcua.MetricFinishedOnTime, motcua.MetricFinishedLate})
	if err != nil {
		return err
	}
	for _, f := range flows {
		r := row(f.AgencyID)
		switch f.Metric {
		case motcua.MetricReceivedOnline:
			r.ReceivedOnline += f.N
		case motcua.MetricReceivedDirect:
			r.ReceivedDirect += f.N
		case motcua.MetricFinishedEarly:
			r.Early += f.N
		case motcua.MetricFinishedOnTime:
			r.FinishedOnTime += f.N
		case motcua.MetricFinishedLate:
			r.Late += f.N
		}
	}
	stocks := []motcua.Metric{motcua.MetricStockWaiting, motcua.MetricStockWithin, motcua.MetricStockOverdue}
	start, err := tx.StatStocks(ctx, p.From-1, stocks)
	if err != nil {
		return err
	}
	for _, f := range start {
		row(f.AgencyID).CarriedOver += f.N
	}
	end, err := tx.StatStocks(ctx, p.To, stocks)
	if err != nil {
		return err
	}
	for _, f := range end {
		r := row(f.AgencyID)
		switch f.Metric {
		case motcua.MetricStockWaiting:
			r.Waiting += f.N
		case motcua.MetricStockWithin:
			r.WithinTime += f.N
		case motcua.MetricStockOverdue:
			r.Overdue += f.N
		}
	}
	// Agencies whose counts all cancel out are not listed.
	return nil
}

// pendingDossier is a dossier pending at a moment with its standing then.
type pendingDossier struct {
	DossierID, AgencyID, ProcedureID int64
	Stock                            motcua.Stock
	View                             motcua.Pending766
}

// pendingAt lists the dossiers pending at t with their standing at t: the
// current one when nothing happened to them since, otherwise replayed from
// the history lines before t.
func pendingAt(ctx context.Context, tx motcua.Tx, t time.Time) ([]pendingDossier, error) {
	recs, err := tx.PendingAt(ctx, t)
	if err != nil {
		return nil, err
	}
	out := make([]pendingDossier, len(recs))
	var stale []int64
	idx := map[int64]int{}
	for i, r := range recs {
		out[i] = pendingDossier{DossierID: r.DossierID, AgencyID: r.AgencyID, ProcedureID: r.ProcedureID}
		if r.LastEventAt.Before(t) {
			st := r.Status
			out[i].Stock = motcua.StockOf(&st)
			out[i].View = motcua.Pending766{State: st.State, DueAt: st.DueAt, Supplements: st.Report.Supplements}
			if n := len(st.Supplements); n > 0 {
				out[i].View.LastRequest = st.Supplements[n-1].RequestedAt
			}
			continue
		}
		idx[r.DossierID] = i
		stale = append(stale, r.DossierID)
	}
	if len(stale) == 0 {
		return out, nil
	}
	lines, err := tx.HistoryBefore(ctx, stale, t)
	if err != nil {
		return nil, err
	}
	for _, l := range lines { // oldest first per dossier: the last line wins
		pd := &out[idx[l.DossierID]]
		pd.View.State, pd.View.DueAt = l.ToState, l.DueAt
		if l.Action == motcua.ActRequestSupplement {
			pd.View.Supplements++
			pd.View.LastRequest = l.At
		}
	}
	for _, id := range stale {
		pd := &out[idx[id]]
		st := motcua.Status{State: pd.View.State, DueAt: pd.View.DueAt, ReceivedAt: recs[idx[id]].Status.ReceivedAt}
		pd.Stock = motcua.StockOf(&st)
	}
	return out, nil
}
