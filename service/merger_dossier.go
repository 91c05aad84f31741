package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/motcua/motcua"
)

// moveDossiers moves every open dossier of a predecessor (received at,
// settled by or held by one) to the successor, telling progress how far
// it came.
func (r *mergerRun) moveDossiers(ctx context.Context, tx motcua.Tx) error {
	ids, err := tx.OpenDossierIDs(ctx, r.m.Predecessors)
	if err != nil {
		return err
	}
	r.rep.codes = map[int64]string{}
	for i, id := range ids {
		if r.progress != nil {
			if err := r.progress(i, len(ids)); err != nil {
				return err
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		d, err := tx.Dossier(ctx, id)
		if err != nil {
			return err
		}
		r.rep.codes[id] = d.Code
		reason := fmt.Sprintf("Chuyển sang %s theo %s.", r.succ.Name, r.in.Decision)
		mv, err := r.s.shiftDossier(ctx, tx, d, placeAfter(d, r.mapAgency), motcua.ActMerge, reason, r.u, r.root.ID, r.m.ID, r.now)
		if err != nil {
			return fmt.Errorf("dossier %s: %w", d.Code, err)
		}
		r.moves = append(r.moves, mv)
		r.rep.moved = append(r.rep.moved, movedState{State: d.Status.State})
	}
	if r.progress != nil {
		return r.progress(len(ids), len(ids))
	}
	return nil
}

// dossierPlace is where a merger puts a dossier: its reception and
// competent agencies, the agency holding it and, for a parallel step, its
// parts.
type dossierPlace struct {
	Reception, Competent, Holder int64
	Parts                        []motcua.PartStatus
}

// placeAfter is where mapAgency puts dossier d.
func placeAfter(d *motcua.Dossier, mapAgency func(int64) int64) dossierPlace {
	pl := dossierPlace{Reception: mapAgency(d.ReceptionAgencyID), Competent: mapAgency(d.CompetentAgencyID), Holder: mapAgency(d.Status.AgencyID)}
	if len(d.Status.Parts) > 0 {
		pl.Parts = slices.Clone(d.Status.Parts)
		for i := range pl.Parts {
			pl.Parts[i].AgencyID = mapAgency(pl.Parts[i].AgencyID)
		}
	}
	return pl
}

// shiftDossier appends to dossier d's history the event (action) that
// moves it to place `to`, leaving its state, step, assignee, deadlines and
// supplement clocks as they are. The live counters of its competent agency
// move with it: its whole contribution, as if it had always been settled
// there, so that they stay equal to a recount from the dossiers. It
// returns the merger log row.
func (s *Service) shiftDossier(ctx context.Context, tx motcua.Tx, d *motcua.Dossier, to dossierPlace,
	action motcua.Action, reason string, u *motcua.User, actorAgency, mergerID int64, now time.Time) (motcua.MergerMove, error) {
	p, err := s.procedureVersion(ctx, tx, d.ProcedureID, d.ProcedureVersion)
	if err != nil {
		return motcua.MergerMove{}, err
	}
	history, err := tx.Events(ctx, d.ID)
	if err != nil {
		return motcua.MergerMove{}, err
	}
	prev := d.Status
	mv := motcua.MergerMove{Kind: motcua.MoveDossier, RowID: d.ID, From: d.CompetentAgencyID, To: to.Competent,
		ReceptionFrom: d.ReceptionAgencyID, ReceptionTo: to.Reception, HolderFrom: prev.AgencyID, HolderTo: to.Holder}
	ev := motcua.Event{DossierID: d.ID, Seq: prev.Seq + 1, Action: action, At: now,
		ActorID: u.ID, ActorName: u.FullName, ActorRole: motcua.RoleAdmin, ActorAgencyID: actorAgency,
		FromState: prev.State, ToState: prev.State, FromAgencyID: prev.AgencyID, ToAgencyID: to.Holder,
		FromStep: prev.Step, ToStep: prev.Step, AssigneeID: prev.AssigneeID,
		ClockStartAt: prev.ClockStartAt, DueAt: prev.DueAt, StepDueAt: prev.StepDueAt, ActionDueAt: prev.ActionDueAt,
		Reason: reason, MergerID: mergerID, Parts: to.Parts}
	d.ReceptionAgencyID, d.CompetentAgencyID = to.Reception, to.Competent
	next, err := prev.Apply(ev)
	if err != nil {
		return motcua.MergerMove{}, err
	}
	after := *d
	after.Status = next
	ev.Duties = motcua.DutiesOf(&after, p)
	next.Duties = ev.Duties
	d.Status = next
	d.Status.Report = motcua.ReportFactsOf(d, p, s.Calendar())
	d.Status.Report.LastEventAt = now
	if mv.ReceptionTo != mv.ReceptionFrom || mv.To != mv.From {
		if err := tx.SetDossierAgencies(ctx, d.ID, d.ReceptionAgencyID, d.CompetentAgencyID); err != nil {
			return motcua.MergerMove{}, err
		}
	}
	if err := tx.AppendEvent(ctx, &ev, &d.Status); err != nil {
		return motcua.MergerMove{}, err
	}
	mv.Ref = int64(ev.Seq)
	deltas, err := movedStats(d, &prev, history, mv.From, mv.To)
	if err != nil {
		return motcua.MergerMove{}, err
	}
	if err := tx.AddStats(ctx, deltas); err != nil {
		return motcua.MergerMove{}, err
	}
	return mv, nil
}

// movedStats is the change of the live counters when a dossier's competent
// agency goes from `from` to `to`: its flows as prev (the stored status)
// withdrawn from `from` and its flows as now added to `to`; its stock
// changes over its whole history, replayed, withdrawn from `from` and
// added to `to` (the move itself changes no standing).
func movedStats(d *motcua.Dossier, prev *motcua.Status, history []motcua.Event, from, to int64) ([]motcua.StatDelta, error) {
	out := motcua.FlowDeltas(from, d.ProcedureID, d.Channel, prev, &motcua.Status{})
	if from == to {
		// Only the flags may have changed (they do not: same dossier,
		// same procedure version); keep the counters exact anyway.
		return append(out, motcua.FlowDeltas(to, d.ProcedureID, d.Channel, &motcua.Status{}, &d.Status)...), nil
	}
	out = append(out, motcua.FlowDeltas(to, d.ProcedureID, d.Channel, &motcua.Status{}, &d.Status)...)
	st := motcua.Status{Step: -1}
	for _, e := range history {
		next, err := st.Apply(e)
		if err != nil {
			return nil, fmt.Errorf("replay dossier %d: %w", d.ID, err)
		}
		for _, x := range motcua.StockDeltas(from, &st, &next, e.At) {
			x.N = -x.N
			out = append(out, x)
		}
		out = append(out, motcua.StockDeltas(to, &st, &next, e.At)...)
		st = next
	}
	return out, nil
}
