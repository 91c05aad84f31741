package service

import (
	"context"
	"slices"
	"sort"

	"github.com/motcua/motcua"
)

// Figures that can be drilled into: the columns of report 06a ("06a.4" …
// "06a.13", with "06a.9" the finished on time and "06a.9w" those waiting for
// a supplement) and the dossier-level indicators of the index ("766.2.1"
// the dossiers in scope, "766.2.1-late" those not on time, "766.4.2",
// "766.4.3", "766.4.5b" the numerators, "766.R" the dossiers received).
var Figures = []string{"06a.4", "06a.5", "06a.6", "06a.8", "06a.9", "06a.9w", "06a.10", "06a.12", "06a.13",
	"766.2.1", "766.2.1-late", "766.4.2", "766.4.3", "766.4.5b", "766.R"}

// FigurePage is a page of the dossiers behind a figure; Next continues it
// (0 at the end).
type FigurePage struct {
	Dossiers []*motcua.Dossier
	Next     int64
}

// ReportDossiers lists the dossiers behind a figure of a period for an
// agency (0: the province), to staff of that agency or above it: the
// receptions by time of reception, the finishes by time of finish, the
// pending by id (for indicator 2.1, the finished then the pending); after
// continues the list after that dossier. Personal
// data is not read: the list shows codes, procedures, dates and verdicts.
func (s *Service) ReportDossiers(ctx context.Context, p motcua.Period, agencyID int64, figure string, after int64) (*FigurePage, error) {
	u, err := actor(motcua.UserFromContext(ctx))
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if !slices.Contains(Figures, figure) {
		return nil, motcua.FieldError("figure", "figure_unknown", "Chỉ tiêu cần xem chi tiết không hợp lệ.")
	}
	byID, list, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	allowed := false
	if agencyID == 0 {
		// The province's lists are for the province's own staff (its
		// people's committee and what hangs under it), not for a vertical
		// agency that happens to have no parent.
		for _, a := range list {
			if a.ParentID == 0 && a.Level == motcua.LevelProvince && slices.ContainsFunc(roleAt(u, a.ID), staffRole) {
				allowed = true
			}
		}
	} else {
		for _, g := range u.Grants {
			if staffRole(g.Role) && s.holdsOver(u, g.Role, agencyID, byID) {
				allowed = true
			}
		}
	}
	if !allowed {
		return nil, motcua.Errorf(motcua.EFORBIDDEN, "not_permitted", "Bạn chỉ xem được hồ sơ của đơn vị mình hoặc đơn vị cấp dưới.")
	}
	from, to := p.From.Start(), p.To.End()
	f := motcua.ReportFilter{AgencyID: agencyID, AfterID: after, Limit: 50}
	no := false
	var pendingSet func(pd pendingDossier) bool
	var finishedAlso, allPending bool // allPending: every pending dossier, whatever its standing
	switch figure {
	case "06a.4", "06a.5", "766.R", "766.4.2", "766.4.3", "766.4.5b":
		f.ReceivedFrom, f.ReceivedTo, f.Order = from, to, motcua.OrderByReception
		switch figure {
		case "06a.4":
			f.Channel = motcua.ChannelOnline
		case "06a.5":
			f.FlagsNone = motcua.FlagOnline
		case "766.4.2":
			f.DigitizedOK = true
		case "766.4.3":
			f.FlagsAll = motcua.FlagReused
		case "766.4.5b":
			f.FlagsAny = motcua.FlagVNeID | motcua.FlagFromStore | motcua.FlagPopulationDB
		}
	case "06a.8", "06a.9", "06a.10":
		f.FinishedFrom, f.FinishedTo, f.Order = from, to, motcua.OrderByFinish
		f.Class = map[string]motcua.Timeliness{"06a.8": motcua.Early, "06a.9": motcua.OnTime, "06a.10": motcua.Late}[figure]
	case "06a.6":
		pendingSet, allPending = func(pendingDossier) bool { return true }, true
	case "06a.9w", "06a.12", "06a.13":
		want := map[string]motcua.Bucket{"06a.9w": motcua.BucketWaiting, "06a.12": motcua.BucketWithin, "06a.13": motcua.BucketOverdue}[figure]
		pendingSet = func(pd pendingDossier) bool { return pd.Stock.At(p.To) == want }
	case "766.2.1":
		f.FinishedFrom, f.FinishedTo = from, to
		pendingSet, finishedAlso, allPending = func(pendingDossier) bool { return true }, true, true
	case "766.2.1-late":
		f.FinishedFrom, f.FinishedTo, f.OnTime766 = from, to, &no
		pendingSet, finishedAlso = func(pd pendingDossier) bool { return !pd.Stock.OnTime766(p.To) }, true
	}
	// Indicator 2.1's lists hold the dossiers finished in the period, by
	// time of finish, then those pending at its end, by id: a cursor on a
	// dossier finished in the period continues the first part.
	if finishedAlso {
		f.Order = motcua.OrderByFinish
	}
	var out []*motcua.Dossier
	err = s.store.Read(ctx, func(tx motcua.Tx) error {
		if pendingSet == nil || finishedAlso {
			inFinished := after == 0 || pendingSet == nil
			if !inFinished {
				d, err := tx.Dossier(ctx, after)
				if err != nil {
					return err
				}
				inFinished = !d.Status.FinishedAt.Before(from) && d.Status.FinishedAt.Before(to)
			}
			if inFinished {
				ds, err := tx.ReportDossiers(ctx, f)
				if err != nil {
					return err
				}
				out = append(out, ds...)
				if len(out) == 50 || pendingSet == nil {
					return nil
				}
				after = 0 // the pending part, from its start
			}
		}
		at := to
		if figure == "06a.6" {
			at = from
		}
		recs, err := tx.PendingAt(ctx, at)
		if err != nil {
			return err
		}
		cands := recs[:0]
		for _, r := range recs {
			if (agencyID == 0 || r.AgencyID == agencyID) && r.DossierID > after {
				cands = append(cands, r)
			}
		}
		sort.Slice(cands, func(i, j int) bool { return cands[i].DossierID < cands[j].DossierID })
		// A page needs the first 50 in order: standings (a history
		// replay for the dossiers changed since) are worked out a few
		// hundred at a time until the page is full.
		var ids []int64
		for len(cands) > 0 && len(ids) < 50 {
			n := min(len(cands), drillChunk)
			chunk := cands[:n]
			cands = cands[n:]
			if allPending {
				for _, r := range chunk {
					ids = append(ids, r.DossierID)
				}
				continue
			}
			pds, err := standings(ctx, tx, chunk, at)
			if err != nil {
				return err
			}
			for _, pd := range pds {
				if pendingSet(pd) {
					ids = append(ids, pd.DossierID)
				}
			}
		}
		if len(ids) == 0 {
			return nil // an empty set, not "no filter"
		}
		if len(ids) > 50 {
			ids = ids[:50]
		}
		ds, err := tx.ReportDossiers(ctx, motcua.ReportFilter{IDs: ids, Limit: 50})
		out = append(out, ds...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) > 50 {
		out = out[:50]
	}
	page := &FigurePage{Dossiers: out}
	if len(out) == 50 {
		page.Next = out[len(out)-1].ID
	}
	for _, d := range out { // the list shows no personal data
		d.Applicant = motcua.Applicant{}
		d.Verifier, d.LookupSecret = "", ""
	}
	return page, nil
}

// drillChunk is how many pending dossiers a drill-down gives a standing at
// a time (a variable so that tests can make pages span chunks).
var drillChunk = 200

// staffRole reports whether r is a role of the province's staff, who read
// its reports; the integration account (an outside system) is not.
func staffRole(r motcua.Role) bool { return slices.Contains(motcua.StaffRoles, r) }

// roleAt lists u's roles at agency.
func roleAt(u *motcua.User, agency int64) []motcua.Role {
	var out []motcua.Role
	for _, g := range u.Grants {
		if g.AgencyID == agency {
			out = append(out, g.Role)
		}
	}
	return out
}
