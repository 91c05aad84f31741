package service

import (
	"context"

	"github.com/motcua/motcua"
)

// MergeDBFigures is what a merge of a whole province's database into this
// one (motcua merge-db) changes in the survivor's figures over a period:
// every counter (column) of report 06a and every indicator of the QĐ 766
// index, for the province and for each of its agencies whose figures
// change, before and after. The after figures are those the survivor's
// live counters will give once the absorbed counters are added to them
// (merge-db's rule), computed before anything is written.
type MergeDBFigures struct {
	Period motcua.Period `json:"period"`
	// Rows06a: the province (AgencyID 0) first, then each agency whose
	// row changes (an agency only the absorbed province had: before is
	// zero).
	Rows06a []MergeDB06a `json:"rows_06a"`
	// Points766: per unit (the province first) and indicator.
	Points766 []MergeDBPoint `json:"points_766"`
	// NotPredicted lists the indicators whose after figure is the
	// survivor's alone (their inputs are read from the complaints and
	// payments, which the prediction does not add): look at them again
	// after the merge.
	NotPredicted []string `json:"not_predicted,omitempty"`
}

// MergeDB06a is one unit's report-06a row before and after.
type MergeDB06a struct {
	AgencyID int64         `json:"agency_id"`
	Name     string        `json:"name"`
	Before   motcua.Row06a `json:"before"`
	After    motcua.Row06a `json:"after"`
}

// MergeDBPoint is one indicator of one unit before and after (Status as
// motcua.IndicatorValue's).
type MergeDBPoint struct {
	AgencyID     int64   `json:"agency_id"`
	Name         string  `json:"name"`
	Indicator    string  `json:"indicator"`
	Before       float64 `json:"before"`
	After        float64 `json:"after"`
	StatusBefore string  `json:"status_before"`
	StatusAfter  string  `json:"status_after"`
}

// MergeDBFigures computes the figures a merge of absorbed into s changes
// over p (whole months: the live counters, which the merge adds), given
// where each absorbed agency and procedure id goes in s (merge-db's plan;
// an id missing from a map is an error of the caller's plan). Nothing is
// written.
func (s *Service) MergeDBFigures(ctx context.Context, absorbed *Service, agencies, procedures map[int64]int64, p motcua.Period) (*MergeDBFigures, error) {
	if !p.WholeMonths() {
		return nil, motcua.FieldError("period", "period_not_whole_months", "Kỳ so sánh số liệu phải gồm các tháng trọn vẹn.")
	}
	mapA := func(id int64) int64 {
		if to, ok := agencies[id]; ok {
			return to
		}
		return id
	}
	mapP := func(id int64) int64 {
		if to, ok := procedures[id]; ok {
			return to
		}
		return id
	}
	out := &MergeDBFigures{Period: p}
	mine, err := s.Report06a(ctx, p, SourceLive)
	if err != nil {
		return nil, err
	}
	theirs, err := absorbed.Report06a(ctx, p, SourceLive)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	absByID, _, err := absorbed.agencyMap(ctx)
	if err != nil {
		return nil, err
	}
	name := func(id int64) string {
		if id == 0 {
			return "Toàn tỉnh"
		}
		if a := byID[id]; a != nil {
			return a.Name
		}
		for from, to := range agencies {
			if to == id && absByID[from] != nil {
				return absByID[from].Name
			}
		}
		return ""
	}
	rows := map[int64]*MergeDB06a{0: {Before: mine.Total, After: mine.Total}}
	row := func(id int64) *MergeDB06a {
		r, ok := rows[id]
		if !ok {
			r = &MergeDB06a{AgencyID: id}
			rows[id] = r
		}
		return r
	}
	for _, r := range mine.Rows {
		x := row(r.AgencyID)
		x.Before, x.After = r, r
	}
	for _, r := range theirs.Rows {
		to := mapA(r.AgencyID)
		add := r
		add.AgencyID = to
		row(to).After.Add(add)
		rows[0].After.Add(add)
	}
	order := []int64{0}
	for _, r := range mine.Rows {
		order = append(order, r.AgencyID)
	}
	for _, r := range theirs.Rows {
		if to := mapA(r.AgencyID); byID[to] == nil {
			order = append(order, to)
		}
	}
	seen := map[int64]bool{}
	for _, id := range order {
		r := rows[id]
		if seen[id] || (id != 0 && r.Before == r.After) {
			continue
		}
		seen[id] = true
		r.AgencyID, r.Name = id, name(id)
		r.Before.AgencyID, r.After.AgencyID = id, id
		out.Rows06a = append(out.Rows06a, *r)
	}

	before, err := s.Index766From(ctx, p, SourceLive)
	if err != nil {
		return nil, err
	}
	after, err := s.index766From(ctx, p, SourceLive, func(in *indexInputs) error {
		ab, err := absorbed.indexInputsFor(ctx, p, SourceLive)
		if err != nil {
			return err
		}
		for _, a := range ab.recv {
			a.AgencyID, a.ProcedureID = mapA(a.AgencyID), mapP(a.ProcedureID)
			in.recv = append(in.recv, a)
		}
		for _, a := range ab.synced {
			a.AgencyID = mapA(a.AgencyID)
			in.synced = append(in.synced, a)
		}
		in.portalHeld = in.portalHeld || ab.portalHeld
		for id, v := range ab.finished {
			addTo(in.finished, mapA(id), v[0], v[1])
		}
		for id, v := range ab.pending {
			addTo(in.pending, mapA(id), v[0], v[1])
		}
		for id, v := range ab.handled {
			addTo(in.handled, mapP(id), v[0], v[1])
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The units only the absorbed province had are not agencies of s yet:
	// their figures after the merge are their own.
	theirIdx, err := absorbed.Index766From(ctx, p, SourceLive)
	if err != nil {
		return nil, err
	}
	afterBy := map[int64]motcua.IndexResult{}
	for _, u := range after.Units {
		afterBy[u.AgencyID] = u
	}
	for _, u := range theirIdx.Units {
		if to := mapA(u.AgencyID); u.AgencyID != 0 && byID[to] == nil {
			u.AgencyID = to
			afterBy[to] = u
		}
	}
	beforeBy := map[int64]motcua.IndexResult{}
	units := []int64{}
	for _, u := range before.Units {
		beforeBy[u.AgencyID] = u
		units = append(units, u.AgencyID)
	}
	for _, u := range after.Units {
		if _, ok := beforeBy[u.AgencyID]; !ok {
			units = append(units, u.AgencyID)
		}
	}
	for _, u := range theirIdx.Units {
		if to := mapA(u.AgencyID); u.AgencyID != 0 && byID[to] == nil {
			units = append(units, to)
		}
	}
	// The province first.
	for i, id := range units {
		if id == 0 {
			units[0], units[i] = units[i], units[0]
		}
	}
	seen = map[int64]bool{}
	for _, id := range units {
		if seen[id] {
			continue
		}
		seen[id] = true
		b, a := beforeBy[id], afterBy[id]
		vals := map[string]*MergeDBPoint{}
		var ids []string
		pt := func(ind string) *MergeDBPoint {
			x, ok := vals[ind]
			if !ok {
				x = &MergeDBPoint{AgencyID: id, Name: name(id), Indicator: ind, StatusBefore: "none", StatusAfter: "none"}
				vals[ind] = x
				ids = append(ids, ind)
			}
			return x
		}
		for _, v := range b.Values {
			x := pt(v.ID)
			x.Before, x.StatusBefore = v.Points, v.Status
		}
		for _, v := range a.Values {
			x := pt(v.ID)
			x.After, x.StatusAfter = v.Points, v.Status
		}
		for _, ind := range ids {
			x := vals[ind]
			if id == 0 || x.Before != x.After || x.StatusBefore != x.StatusAfter {
				out.Points766 = append(out.Points766, *x)
			}
		}
	}
	for _, ind := range s.cfg.Index.Indicators {
		for _, in := range ind.Inputs {
			if in == motcua.InputFeedback || in == motcua.InputPayments {
				out.NotPredicted = append(out.NotPredicted, ind.ID)
				break
			}
		}
	}
	return out, nil
}
