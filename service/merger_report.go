package service

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/motcua/motcua"
)

// MergerReport says what a merger moves (or moved), what conflicts, and
// which figures change: the report of a dry run, or of the real run.
type MergerReport struct {
	DryRun bool `json:"dry_run"`
	// Merger is the stored merger (ID 0 in a dry run).
	Merger       *motcua.Merger   `json:"merger"`
	Successor    *motcua.Agency   `json:"successor"`
	Predecessors []*motcua.Agency `json:"predecessors"`
	// Counts are the rows moved per table, and the open dossiers per state.
	Counts    []MoveCount      `json:"counts"`
	Conflicts []MergerConflict `json:"conflicts"`
	// Period is the current period whose figures are compared.
	Period  motcua.Period  `json:"period"`
	Figures []FigureChange `json:"figures"`

	codes     map[int64]string // moved dossiers' codes (caches to drop)
	moved     []movedState
	idxBefore *indexInputs
	idxAfter  *indexInputs
}

type movedState struct{ State motcua.State }

// MoveCount is how many rows of a table (in a state, for dossiers) move.
type MoveCount struct {
	Table string       `json:"table"`
	State motcua.State `json:"state,omitempty"`
	N     int          `json:"n"`
}

// MergerConflict is something the administrator must look at: not an
// error (the merger can run) but a choice the merger made for them.
type MergerConflict struct {
	Kind    string `json:"kind"`
	Message string `json:"message"`
}

// FigureChange is one agency's report-06a row and QĐ 766 points for the
// current period before and after the merger.
type FigureChange struct {
	AgencyID     int64         `json:"agency_id"`
	Name         string        `json:"name"`
	Before       motcua.Row06a `json:"before"`
	After        motcua.Row06a `json:"after"`
	PointsBefore float64       `json:"points_before"`
	PointsAfter  float64       `json:"points_after"`
}

// mergerFigures is what figures reads in the transaction.
type mergerFigures struct {
	rows map[int64]motcua.Row06a
	idx  *indexInputs
}

// currentPeriod is the month so far.
func currentPeriod(now time.Time) motcua.Period {
	t := now.In(motcua.VietnamTime)
	return motcua.Period{From: motcua.DayOfDate(t.Year(), t.Month(), 1), To: motcua.DayOf(now)}
}

// figures reads report 06a's rows of the agencies and the index inputs
// for the current period, inside the merger's transaction.
func (r *mergerRun) figures(ctx context.Context, tx motcua.Tx, agencies []int64) (*mergerFigures, error) {
	p := currentPeriod(r.now)
	r.rep.Period = p
	rows := map[int64]*motcua.Row06a{}
	row := func(a int64) *motcua.Row06a {
		x, ok := rows[a]
		if !ok {
			x = &motcua.Row06a{AgencyID: a}
			rows[a] = x
		}
		return x
	}
	bp, err := readBasePeriod(ctx, tx, p)
	if err != nil {
		return nil, err
	}
	bp.rows06a(p, row)
	out := &mergerFigures{rows: map[int64]motcua.Row06a{}, idx: bp.indexInputs(p)}
	for _, a := range agencies {
		out.rows[a] = *row(a)
	}
	return out, nil
}

// figureChanges fills Figures (06a rows; the index points are added by
// indexPoints once the transaction is over).
func (rep *MergerReport) figureChanges(before, after *mergerFigures, byID map[int64]*motcua.Agency, succ *motcua.Agency) {
	ids := []int64{}
	for a := range before.rows {
		ids = append(ids, a)
	}
	if !slices.Contains(ids, succ.ID) {
		ids = append(ids, succ.ID)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	rep.Figures = nil
	for _, a := range ids {
		name := succ.Name
		if x := byID[a]; x != nil && a != succ.ID {
			name = x.Name
		}
		rep.Figures = append(rep.Figures, FigureChange{AgencyID: a, Name: name, Before: before.rows[a], After: after.rows[a]})
	}
	rep.idxBefore, rep.idxAfter = before.idx, after.idx
}

// indexPoints adds the QĐ 766 points before and after to the figures.
func (s *Service) indexPoints(ctx context.Context, rep *MergerReport) error {
	if rep.idxBefore == nil || rep.idxAfter == nil {
		return nil
	}
	points := func(in *indexInputs) (map[int64]float64, error) {
		ir, err := s.index766(ctx, rep.Period, in)
		if err != nil {
			return nil, err
		}
		out := map[int64]float64{}
		for _, u := range ir.Units {
			out[u.AgencyID] = u.Points
		}
		return out, nil
	}
	b, err := points(rep.idxBefore)
	if err != nil {
		return err
	}
	a, err := points(rep.idxAfter)
	if err != nil {
		return err
	}
	for i := range rep.Figures {
		rep.Figures[i].PointsBefore, rep.Figures[i].PointsAfter = b[rep.Figures[i].AgencyID], a[rep.Figures[i].AgencyID]
	}
	return nil
}

// count fills Counts from the log.
func (rep *MergerReport) count(moves []motcua.MergerMove) {
	n := map[string]int{}
	for _, m := range moves {
		switch m.Kind {
		case motcua.MoveGrant, motcua.MoveGrantDrop:
			n["user_grants"]++
		case motcua.MovePoint:
			n["reception_points"]++
		case motcua.MoveProcedure:
			n["procedures"]++
		case motcua.MoveParent:
			n["agencies"]++
		case motcua.MoveDossier:
			n["dossiers"]++
		}
	}
	rep.Counts = nil
	for _, t := range []string{"agencies", "user_grants", "reception_points", "procedures", "dossiers"} {
		rep.Counts = append(rep.Counts, MoveCount{Table: t, N: n[t]})
	}
	states := map[motcua.State]int{}
	for _, m := range rep.moved {
		states[m.State]++
	}
	var keys []motcua.State
	for st := range states {
		keys = append(keys, st)
	}
	slices.Sort(keys)
	for _, st := range keys {
		rep.Counts = append(rep.Counts, MoveCount{Table: "dossiers", State: st, N: states[st]})
	}
}

// uniqueRoles are the roles an agency normally gives to one person: its
// leader. Two after a merger is legal for a while (deputies) but the
// administrator should see it.
var uniqueRoles = []motcua.Role{motcua.RoleLeader}

// conflicts lists what the administrator should look at: roles that will
// be held by several people at the successor, and procedure sets that
// differ between the predecessors.
func (r *mergerRun) conflicts(ctx context.Context, tx motcua.Tx) error {
	agencies := slices.Clone(r.predIDs())
	if r.succ.ID != 0 {
		agencies = append(agencies, r.succ.ID)
	}
	for _, role := range uniqueRoles {
		holders := map[int64]bool{}
		var names []string
		for _, a := range agencies {
			us, err := tx.Users(ctx, motcua.UserFilter{AgencyID: a, Role: role})
			if err != nil {
				return err
			}
			for _, u := range us {
				if !holders[u.ID] && !u.Disabled {
					holders[u.ID] = true
					names = append(names, u.FullName)
				}
			}
		}
		if len(holders) > 1 {
			r.rep.Conflicts = append(r.rep.Conflicts, MergerConflict{Kind: "unique_role",
				Message: "Sau sáp nhập, " + itoa(len(holders)) + " người cùng giữ vai trò " + role.Label() + " tại cơ quan kế thừa: " + joinNames(names) + ". Hãy rà soát và điều chỉnh vai trò sau khi sáp nhập."})
		}
	}
	procs, err := allProcedures(ctx, tx)
	if err != nil {
		return err
	}
	offered := map[int64][]string{}
	all := map[string]string{}
	for _, p := range procs {
		if slices.Contains(agencies, p.AgencyID) {
			offered[p.AgencyID] = append(offered[p.AgencyID], p.Code)
			all[p.Code] = p.Name
		}
	}
	for _, a := range r.preds {
		var missing []string
		for code := range all {
			if !slices.Contains(offered[a.ID], code) {
				missing = append(missing, code)
			}
		}
		if len(missing) > 0 && len(offered[a.ID]) > 0 {
			slices.Sort(missing)
			r.rep.Conflicts = append(r.rep.Conflicts, MergerConflict{Kind: "procedure_sets_differ",
				Message: a.Name + " không giải quyết " + itoa(len(missing)) + " thủ tục mà cơ quan khác trong đợt sáp nhập giải quyết (" + joinNames(first(missing, 5)) + "); cơ quan kế thừa sẽ giải quyết tất cả."})
		}
	}
	return nil
}

func (r *mergerRun) predIDs() []int64 {
	out := make([]int64, 0, len(r.preds))
	for _, a := range r.preds {
		out = append(out, a.ID)
	}
	return out
}

func first(s []string, n int) []string {
	if len(s) > n {
		return append(slices.Clone(s[:n]), "…")
	}
	return s
}

func joinNames(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }
