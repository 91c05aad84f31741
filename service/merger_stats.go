package service

import (
	"context"
	"time"

	"github.com/motcua/motcua"
)

// Report views across mergers of agencies.
const (
	// ViewUnits shows each unit as it was: a dossier a merger moved counts
	// at its old unit for what happened to it before the merger (its
	// reception, its standing at a moment before it) and at the successor
	// from then on; closed dossiers never moved.
	ViewUnits = "units"
	// ViewSuccessor folds the merged units' figures into their successor,
	// so that a period across the merger date compares with one after it.
	ViewSuccessor = "successor"
)

func checkView(view string) (string, error) {
	switch view {
	case "", ViewUnits:
		return ViewUnits, nil
	case ViewSuccessor:
		return ViewSuccessor, nil
	}
	return "", motcua.FieldError("view", "view_unknown", "Cách trình bày phải là \"units\" (theo đơn vị cũ) hoặc \"successor\" (theo đơn vị kế thừa).")
}

// Report06aView is Report06a in a view across mergers (ViewUnits or
// ViewSuccessor); both sources give the same figures in either view.
func (s *Service) Report06aView(ctx context.Context, p motcua.Period, source, view string) (*motcua.Report06a, error) {
	view, err := checkView(view)
	if err != nil {
		return nil, err
	}
	r, err := s.Report06a(ctx, p, source)
	if err != nil {
		return nil, err
	}
	rows := map[int64]*motcua.Row06a{}
	for i := range r.Rows {
		rows[r.Rows[i].AgencyID] = &r.Rows[i]
	}
	row := func(a int64) *motcua.Row06a {
		x, ok := rows[a]
		if !ok {
			x = &motcua.Row06a{AgencyID: a}
			rows[a] = x
		}
		return x
	}
	switch view {
	case ViewUnits:
		err = s.store.Read(ctx, func(tx motcua.Tx) error { return asTheyWere06a(ctx, tx, p, row) })
	case ViewSuccessor:
		var succ motcua.Successors
		if succ, err = s.successions(ctx); err == nil {
			for id, x := range rows {
				if to := succ.Final(id); to != id {
					row(to).Add(*x)
					delete(rows, id)
				}
			}
		}
	}
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	r.Rows = r.Rows[:0:0]
	for _, x := range rows {
		r.Rows = append(r.Rows, *x)
	}
	sortByAgency(r.Rows, byID)
	return r, nil
}

// movedDossier is a dossier some mergers moved, with those moves (oldest
// first).
type movedDossier struct {
	d     *motcua.Dossier
	moves []motcua.DossierMove
}

// at returns the agency that settled the dossier at t.
func (m movedDossier) at(t time.Time) int64 {
	for _, x := range m.moves {
		if t.Before(x.EffectiveAt) {
			return x.From
		}
	}
	return m.d.CompetentAgencyID
}

// movedDossiers reads the dossiers moved by mergers that are not undone.
func movedDossiers(ctx context.Context, tx motcua.Tx) ([]movedDossier, error) {
	moves, err := tx.DossierMoves(ctx)
	if err != nil || len(moves) == 0 {
		return nil, err
	}
	idx := map[int64]int{}
	var out []movedDossier
	for _, mv := range moves {
		i, ok := idx[mv.DossierID]
		if !ok {
			d, err := tx.Dossier(ctx, mv.DossierID)
			if err != nil {
				return nil, err
			}
			i = len(out)
			idx[mv.DossierID] = i
			out = append(out, movedDossier{d: d})
		}
		out[i].moves = append(out[i].moves, mv)
	}
	return out, nil
}

// pendingAtT reports whether a dossier with status s was pending at t:
// received before it and not finished before it.
func pendingAtT(s *motcua.Status, t time.Time) bool {
	return !s.ReceivedAt.IsZero() && s.ReceivedAt.Before(t) && (s.FinishedAt.IsZero() || !s.FinishedAt.Before(t))
}

// asTheyWere06a moves, in the rows of report 06a for p, what each moved
// dossier contributes from its present unit to the unit that settled it
// at the moment counted: its reception, its finish, its standing at the
// period's start and end.
func asTheyWere06a(ctx context.Context, tx motcua.Tx, p motcua.Period, row func(int64) *motcua.Row06a) error {
	moved, err := movedDossiers(ctx, tx)
	if err != nil || len(moved) == 0 {
		return err
	}
	from, to := p.From.Start(), p.To.End()
	shift := func(cur, old int64, d motcua.Row06a) {
		row(old).Add(d)
		row(cur).Add(negate(d))
	}
	var recs []motcua.PendingRecord
	olds := map[int64]int64{}
	for _, m := range moved {
		s, cur := &m.d.Status, m.d.CompetentAgencyID
		if inSpan(s.ReceivedAt, from, to) {
			if old := m.at(s.ReceivedAt); old != cur {
				var d motcua.Row06a
				if m.d.Channel == motcua.ChannelOnline {
					d.ReceivedOnline = 1
				} else {
					d.ReceivedDirect = 1
				}
				shift(cur, old, d)
			}
		}
		if !s.ReceivedAt.IsZero() && inSpan(s.FinishedAt, from, to) {
			if old := m.at(s.FinishedAt); old != cur {
				var d motcua.Row06a
				switch s.Report.Class {
				case motcua.Early:
					d.Early = 1
				case motcua.Late:
					d.Late = 1
				default:
					d.FinishedOnTime = 1
				}
				shift(cur, old, d)
			}
		}
		if pendingAtT(s, from) {
			if old := m.at(from); old != cur {
				shift(cur, old, motcua.Row06a{CarriedOver: 1})
			}
		}
		if pendingAtT(s, to) {
			if old := m.at(to); old != cur {
				olds[m.d.ID] = old
				recs = append(recs, motcua.PendingRecord{DossierID: m.d.ID, AgencyID: cur, ProcedureID: m.d.ProcedureID,
					Now:         motcua.Pending766{State: s.State, DueAt: s.DueAt, Supplements: len(s.Supplements), LastRequest: s.Report.LastRequestAt},
					LastEventAt: s.Report.LastEventAt})
			}
		}
	}
	if len(recs) == 0 {
		return nil
	}
	ps, err := standings(ctx, tx, recs, to)
	if err != nil {
		return err
	}
	for _, pd := range ps {
		var d motcua.Row06a
		d.Count(pd.Stock.At(p.To))
		shift(pd.AgencyID, olds[pd.DossierID], d)
	}
	return nil
}

// inSpan reports whether t is set and in [from, to).
func inSpan(t, from, to time.Time) bool {
	return !t.IsZero() && !t.Before(from) && t.Before(to)
}

func negate(r motcua.Row06a) motcua.Row06a {
	return motcua.Row06a{ReceivedOnline: -r.ReceivedOnline, ReceivedDirect: -r.ReceivedDirect, CarriedOver: -r.CarriedOver,
		Early: -r.Early, FinishedOnTime: -r.FinishedOnTime, Waiting: -r.Waiting, Late: -r.Late, WithinTime: -r.WithinTime, Overdue: -r.Overdue}
}

// Index766View is Index766 in a view across mergers (ViewUnits or
// ViewSuccessor). The payment indicators are read per agency as recorded
// and are not re-attributed.
func (s *Service) Index766View(ctx context.Context, p motcua.Period, view string) (*motcua.IndexReport, error) {
	return s.Index766ViewFrom(ctx, p, "", view)
}

// Index766ViewFrom is Index766View from a chosen source ("" chooses as
// Index766 does).
func (s *Service) Index766ViewFrom(ctx context.Context, p motcua.Period, source, view string) (*motcua.IndexReport, error) {
	view, err := checkView(view)
	if err != nil {
		return nil, err
	}
	if source == "" {
		source = SourceBase
		if p.WholeMonths() {
			source = SourceLive
		}
	}
	return s.index766From(ctx, p, source, func(in *indexInputs) error {
		if view == ViewSuccessor {
			succ, err := s.successions(ctx)
			if err != nil {
				return err
			}
			foldInputs(in, succ)
			return nil
		}
		return s.store.Read(ctx, func(tx motcua.Tx) error { return asTheyWere766(ctx, tx, p, in) })
	})
}

// foldInputs counts every merged agency's inputs at its successor.
func foldInputs(in *indexInputs, succ motcua.Successors) {
	for i := range in.recv {
		in.recv[i].AgencyID = succ.Final(in.recv[i].AgencyID)
	}
	for i := range in.synced {
		in.synced[i].AgencyID = succ.Final(in.synced[i].AgencyID)
	}
	for _, m := range []map[int64]*[2]int64{in.finished, in.pending} {
		for id, v := range m {
			if to := succ.Final(id); to != id {
				addTo(m, to, v[0], v[1])
				delete(m, id)
			}
		}
	}
}

// asTheyWere766 moves, in the index inputs for p, what each moved dossier
// contributes from its present unit to the unit that settled it at the
// moment counted (see asTheyWere06a).
func asTheyWere766(ctx context.Context, tx motcua.Tx, p motcua.Period, in *indexInputs) error {
	moved, err := movedDossiers(ctx, tx)
	if err != nil || len(moved) == 0 {
		return err
	}
	from, to := p.From.Start(), p.To.End()
	var recs []motcua.PendingRecord
	olds := map[int64]int64{}
	for _, m := range moved {
		s, cur, d := &m.d.Status, m.d.CompetentAgencyID, m.d
		if inSpan(s.ReceivedAt, from, to) {
			if old := m.at(s.ReceivedAt); old != cur {
				a, b := receivedOf(d), negateAgg(receivedOf(d))
				a.AgencyID, b.AgencyID = old, cur
				in.recv = append(in.recv, a, b)
			}
		}
		if !s.ReceivedAt.IsZero() && inSpan(s.FinishedAt, from, to) {
			if old := m.at(s.FinishedAt); old != cur {
				ok := int64(0)
				if s.Report.OnTime766 {
					ok = 1
				}
				addTo(in.finished, old, 1, ok)
				addTo(in.finished, cur, -1, -ok)
			}
		}
		if pendingAtT(s, to) {
			if old := m.at(to); old != cur {
				olds[d.ID] = old
				recs = append(recs, motcua.PendingRecord{DossierID: d.ID, AgencyID: cur, ProcedureID: d.ProcedureID,
					Now:         motcua.Pending766{State: s.State, DueAt: s.DueAt, Supplements: len(s.Supplements), LastRequest: s.Report.LastRequestAt},
					LastEventAt: s.Report.LastEventAt})
			}
		}
	}
	if len(recs) == 0 {
		return nil
	}
	ps, err := standings(ctx, tx, recs, to)
	if err != nil {
		return err
	}
	for _, pd := range ps {
		ok := int64(0)
		if pd.Stock.OnTime766(p.To) {
			ok = 1
		}
		addTo(in.pending, olds[pd.DossierID], 1, ok)
		addTo(in.pending, pd.AgencyID, -1, -ok)
	}
	return nil
}

// receivedOf is what a received dossier adds to the index's receptions.
func receivedOf(d *motcua.Dossier) motcua.ReceivedAgg {
	f := d.Status.Report.Flags
	a := motcua.ReceivedAgg{AgencyID: d.CompetentAgencyID, ProcedureID: d.ProcedureID, Total: 1}
	one := func(b bool) int64 {
		if b {
			return 1
		}
		return 0
	}
	a.Online = one(d.Channel == motcua.ChannelOnline)
	a.Post = one(d.Channel == motcua.ChannelPost)
	a.Digitized = one(f.DigitizedOK())
	a.Reused = one(f.Has(motcua.FlagReused))
	a.Identity = one(f.Identity())
	a.ResultFile = one(f.Has(motcua.FlagResultFile))
	a.OnlineWithResult = one(d.Channel == motcua.ChannelOnline && f.Has(motcua.FlagResultFile))
	return a
}

func negateAgg(a motcua.ReceivedAgg) motcua.ReceivedAgg {
	a.Total, a.Online, a.Post, a.Digitized, a.Reused = -a.Total, -a.Online, -a.Post, -a.Digitized, -a.Reused
	a.Identity, a.ResultFile, a.OnlineWithResult = -a.Identity, -a.ResultFile, -a.OnlineWithResult
	return a
}
