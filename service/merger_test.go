package service_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/demo"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore/sqltest"
)

// mergerNow is the test's clock: mid-October, with a year of generated
// dossiers behind it, many still open.
var mergerNow = vn(2025, 10, 15, 10, 0)

// newMergerFixture seeds the demo province and generates dossiers in every
// state for its three communes.
func newMergerFixture(t *testing.T, e sqltest.Engine) *fixture {
	t.Helper()
	f := newFixture(t, e, mergerNow, nil)
	pattern, _ := motcua.ParseCodePattern(motcua.DefaultCodePattern)
	if _, err := demo.Generate(ctx, demo.GenerateOptions{Store: f.db, Cal: f.svc.Calendar(), Rules: motcua.DefaultRules(), Pattern: pattern,
		Dossiers: 600, Year: 2025, Now: mergerNow, Seed: 14}); err != nil {
		t.Fatal(err)
	}
	return f
}

// forgetUsers drops the accounts as() read: a merger moved their roles.
func (f *fixture) forgetUsers() {
	f.mu.Lock()
	defer f.mu.Unlock()
	clear(f.users)
}

// communes returns the ids of the demo's three communes.
func (f *fixture) communes() []int64 {
	f.t.Helper()
	var ids []int64
	for _, code := range []string{"H99.101", "H99.102", "H99.103"} {
		a, _, err := f.svc.Agency(ctx, code)
		if err != nil {
			f.t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	return ids
}

// allDossiers reads every dossier by id (ids are dense).
func (f *fixture) allDossiers() map[int64]*motcua.Dossier {
	f.t.Helper()
	out := map[int64]*motcua.Dossier{}
	err := f.db.Read(ctx, func(tx motcua.Tx) error {
		for id := int64(1); ; id++ {
			d, err := tx.Dossier(ctx, id)
			if motcua.ErrorCode(err) == motcua.ENOTFOUND {
				return nil
			} else if err != nil {
				return err
			}
			out[id] = d
		}
	})
	if err != nil {
		f.t.Fatal(err)
	}
	return out
}

// reports computes report 06a from both sources for periods before,
// across and at the end of the test's clock, and checks that the live
// counters agree with the recount from the dossiers.
func (f *fixture) reports() map[string]*motcua.Report06a {
	f.t.Helper()
	periods := map[string]motcua.Period{
		"year":  {From: motcua.DayOf(vn(2025, 1, 1, 12, 0)), To: motcua.DayOf(mergerNow)},
		"march": {From: motcua.DayOf(vn(2025, 3, 1, 12, 0)), To: motcua.DayOf(vn(2025, 3, 31, 12, 0))},
		"oct":   {From: motcua.DayOf(vn(2025, 10, 1, 12, 0)), To: motcua.DayOf(mergerNow.Add(30 * 24 * time.Hour))},
	}
	out := map[string]*motcua.Report06a{}
	for name, p := range periods {
		base, err := f.svc.Report06a(ctx, p, service.SourceBase)
		if err != nil {
			f.t.Fatal(err)
		}
		live, err := f.svc.Report06a(ctx, p, service.SourceLive)
		if err != nil {
			f.t.Fatal(err)
		}
		if !reflect.DeepEqual(base.Rows, live.Rows) {
			f.t.Errorf("%s: live counters differ from the recount:\nbase %+v\nlive %+v", name, base.Rows, live.Rows)
		}
		out[name] = base
	}
	return out
}

func isOpen(d *motcua.Dossier, agencies []int64) bool {
	if d.Status.State.Terminal() {
		return false
	}
	for _, a := range agencies {
		if d.CompetentAgencyID == a || d.ReceptionAgencyID == a || d.Status.AgencyID == a {
			return true
		}
	}
	return false
}

// sameClocks compares what a merger must never change.
func sameClocks(t *testing.T, a, b *motcua.Dossier) {
	t.Helper()
	x, y := a.Status, b.Status
	if a.Code != b.Code || x.State != y.State || x.Step != y.Step || !x.DueAt.Equal(y.DueAt) || !x.StepDueAt.Equal(y.StepDueAt) ||
		!x.ActionDueAt.Equal(y.ActionDueAt) || !x.ClockStartAt.Equal(y.ClockStartAt) || !x.ReceivedAt.Equal(y.ReceivedAt) ||
		!x.StepStartedAt.Equal(y.StepStartedAt) || x.AssigneeID != y.AssigneeID || !reflect.DeepEqual(x.Supplements, y.Supplements) ||
		!reflect.DeepEqual(x.Extensions, y.Extensions) {
		t.Errorf("dossier %s changed beyond its agencies:\nbefore %+v\nafter  %+v", a.Code, x, y)
	}
}

// TestMergeCommunes merges the demo's communes, with a year of generated
// dossiers in every state, on one database per engine: into an existing
// commune with a new code, then undone (everything exactly as before); an
// interrupted merger (nothing written); the three into a new commune
// (every open dossier moved with its clocks, closed ones left, codes that
// still look up, counters equal to a recount, reports by old units and by
// the successor, reception routed to the successor); undo refused when it
// could not restore exactly, and after the undo period.
func TestMergeCommunes(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newMergerFixture(t, e)
		communes := f.communes()
		admin := f.as("admin")
		n := f.newDossier("0912345678") // at An Phú's point
		before := f.allDossiers()
		reportsBefore := f.reports()
		index766Before := f.index766s()
		f.mergeAndUndo(communes, before, reportsBefore)
		f.interruptedMerge(communes, reportsBefore)

		before = f.allDossiers()
		states := map[motcua.State]int{}
		open := 0
		for _, d := range before {
			if isOpen(d, communes) {
				open++
				states[d.Status.State]++
			}
		}
		for _, st := range []motcua.State{motcua.StateSubmitted, motcua.StateReceived, motcua.StateProcessing, motcua.StateAwaitingSupplement} {
			if states[st] == 0 {
				t.Fatalf("the generated communes have no open dossier in state %s (%v): the test would prove little", st, states)
			}
		}
		in := service.MergeInput{Predecessors: communes, Decision: "Nghị quyết số 1656/NQ-UBTVQH15 ngày 16/6/2025",
			NewSuccessor: &motcua.Agency{Code: "H99.110", Name: "Ủy ban nhân dân xã An Hòa Bình"}}

		// The dry run reports and writes nothing.
		plan, err := f.svc.PlanMerger(admin, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := countOf(plan, "dossiers", ""); got != open {
			t.Errorf("dry run moves %d dossiers, want %d open ones", got, open)
		}
		for st, n := range states {
			if got := countOf(plan, "dossiers", st); got != n {
				t.Errorf("dry run: %d dossiers in state %s, want %d", got, st, n)
			}
		}
		if plan.Merger.ID != 0 || !plan.DryRun || len(plan.Figures) == 0 {
			t.Errorf("dry run: merger %d, dry %v, %d figures", plan.Merger.ID, plan.DryRun, len(plan.Figures))
		}
		if _, _, err := f.svc.Agency(ctx, "H99.110"); motcua.ErrorCode(err) != motcua.ENOTFOUND {
			t.Errorf("dry run left the new agency behind: %v", err)
		}
		if !reflect.DeepEqual(f.allDossiers(), before) {
			t.Error("dry run changed dossiers")
		}

		// The real run.
		var calls int
		rep, err := f.svc.Merge(admin, in, func(done, total int) error { calls++; return nil })
		if err != nil {
			t.Fatal(err)
		}
		if calls == 0 || rep.Merger.ID == 0 || countOf(rep, "dossiers", "") != open {
			t.Fatalf("merge: %d progress calls, merger %d, %d dossiers (want %d)", calls, rep.Merger.ID, countOf(rep, "dossiers", ""), open)
		}
		f.forgetUsers() // their roles moved
		succ := rep.Successor.ID
		after := f.allDossiers()
		checked := false
		for id, b := range before {
			a := after[id]
			sameClocks(t, b, a)
			if !isOpen(b, communes) {
				if a.Status.Seq != b.Status.Seq || a.CompetentAgencyID != b.CompetentAgencyID {
					t.Errorf("closed or unrelated dossier %s changed", a.Code)
				}
				continue
			}
			if a.CompetentAgencyID != mapped(b.CompetentAgencyID, communes, succ) || a.Status.AgencyID != mapped(b.Status.AgencyID, communes, succ) ||
				a.ReceptionAgencyID != mapped(b.ReceptionAgencyID, communes, succ) || a.Status.Seq != b.Status.Seq+1 {
				t.Errorf("open dossier %s not moved: competent %d holder %d seq %d", a.Code, a.CompetentAgencyID, a.Status.AgencyID, a.Status.Seq)
			}
			for _, du := range a.Status.Duties {
				if slices.Contains(communes, du.AgencyID) {
					t.Errorf("dossier %s still waits on merged commune %d", a.Code, du.AgencyID)
				}
			}
			if checked {
				continue
			}
			checked = true
			// The history says it moved, by whom, under which merger;
			// the code printed on its receipt still looks it up.
			var evs []motcua.Event
			if err := f.db.Read(ctx, func(tx motcua.Tx) (err error) { evs, err = tx.Events(ctx, id); return err }); err != nil {
				t.Fatal(err)
			}
			last := evs[len(evs)-1]
			if last.Action != motcua.ActMerge || last.MergerID != rep.Merger.ID || last.ActorName == "" {
				t.Errorf("dossier %s: last event %+v", b.Code, last)
			}
			if st, err := motcua.Replay(evs); err != nil || st.AgencyID != a.Status.AgencyID {
				t.Errorf("dossier %s: replayed history disagrees: %v", b.Code, err)
			}
			if _, err := f.svc.Lookup(ctx, b.Code, b.Verifier, "192.0.2.1"); err != nil {
				t.Errorf("lookup of %s after the merger: %v", b.Code, err)
			}
		}
		// Province totals do not change; live counters equal the recount.
		reportsAfter := f.reports()
		for name, r := range reportsBefore {
			if r.Total != reportsAfter[name].Total {
				t.Errorf("%s: province total changed: %+v → %+v", name, r.Total, reportsAfter[name].Total)
			}
		}
		f.checkViews(reportsBefore, index766Before, communes, succ)

		// Staff and counters moved; the merged communes are inactive.
		desk, err := f.svc.CounterDesk(f.as("motcua.anphu"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range desk.Points {
			if p.AgencyID != succ {
				t.Errorf("reception point %s still at agency %d", p.Code, p.AgencyID)
			}
		}
		for _, a := range desk.Communes {
			if slices.Contains(communes, a.ID) {
				t.Errorf("merged commune %s still offered at the counter", a.Name)
			}
		}
		// Reception regardless of boundary: a dossier for a merged commune
		// goes to the successor.
		n.CompetentAgencyID = communes[2]
		got, err := f.svc.ReceiveDossier(f.as("motcua.anphu"), "", n)
		if err != nil {
			t.Fatal(err)
		}
		if got.Dossier.CompetentAgencyID != succ {
			t.Errorf("dossier for a merged commune went to %d, want successor %d", got.Dossier.CompetentAgencyID, succ)
		}
		// A second merger of a merged commune is refused.
		if _, err := f.svc.PlanMerger(admin, service.MergeInput{Predecessors: communes[:1], SuccessorID: succ, Decision: "NQ"}); motcua.ErrorReason(err) != "merger_agency_merged" {
			t.Errorf("merging a merged agency again: %v", err)
		}

		// Undo is refused, writing nothing, while it could not restore the
		// previous assignment: a dossier received for the new successor,
		// a moved dossier acted on since.
		var online *motcua.Dossier
		for id, d := range f.allDossiers() {
			if d.Status.State == motcua.StateSubmitted && before[id] != nil && isOpen(before[id], communes) {
				online = d
				break
			}
		}
		if online == nil {
			t.Fatal("no online dossier moved")
		}
		if _, err := f.svc.Act(f.as("motcua.anphu"), online.Code, service.ActInput{Action: motcua.ActRefuse, Reason: "Không đủ điều kiện"}); err != nil {
			t.Fatalf("An Phú's officer, now at the successor, refusing a moved online dossier: %v", err)
		}
		snapshot := f.allDossiers()
		err = f.svc.UndoMerger(admin, rep.Merger.ID)
		if motcua.ErrorReason(err) != "merger_undo_blocked" || !strings.Contains(motcua.ErrorMessage(err), online.Code) ||
			!strings.Contains(motcua.ErrorMessage(err), "hồ sơ mới") {
			t.Errorf("undo after a new dossier and a moved one acted on: %v", err)
		}
		if !reflect.DeepEqual(f.allDossiers(), snapshot) {
			t.Error("a refused undo changed dossiers")
		}
		f.set(mergerNow.Add(60 * 24 * time.Hour))
		if err := f.svc.UndoMerger(admin, rep.Merger.ID); motcua.ErrorReason(err) != "merger_undo_expired" {
			t.Errorf("undo after the period: %v", err)
		}
	})
}

// mergeAndUndo merges two communes into the third with a new code and
// undoes it: dossiers, reports, counters and the counter desk are exactly
// as before.
func (f *fixture) mergeAndUndo(communes []int64, before map[int64]*motcua.Dossier, reportsBefore map[string]*motcua.Report06a) {
	t := f.t
	t.Helper()
	admin, anphu := f.as("admin"), f.as("motcua.anphu")
	deskBefore, err := f.svc.CounterDesk(anphu)
	if err != nil {
		t.Fatal(err)
	}
	in := service.MergeInput{Predecessors: communes[1:], SuccessorID: communes[0], NewCode: "H99.120", Decision: "Nghị quyết số 1656/NQ-UBTVQH15"}
	rep, err := f.svc.Merge(admin, in, nil)
	if err != nil {
		t.Fatal(err)
	}
	f.forgetUsers()
	if a, _, err := f.svc.Agency(ctx, "H99.120"); err != nil || a.ID != communes[0] {
		t.Fatalf("successor's new code: %v %v", a, err)
	}
	f.reports()
	f.set(mergerNow.Add(24 * time.Hour))
	defer f.set(mergerNow)
	if err := f.svc.UndoMerger(admin, rep.Merger.ID); err != nil {
		t.Fatal(err)
	}
	f.forgetUsers()
	after := f.allDossiers()
	for id, b := range before {
		a := after[id]
		sameClocks(t, b, a)
		if a.CompetentAgencyID != b.CompetentAgencyID || a.ReceptionAgencyID != b.ReceptionAgencyID || a.Status.AgencyID != b.Status.AgencyID ||
			!reflect.DeepEqual(a.Status.Duties, b.Status.Duties) || !reflect.DeepEqual(a.Status.Parts, b.Status.Parts) {
			t.Errorf("dossier %s not restored: competent %d→%d holder %d→%d duties %v→%v", a.Code, b.CompetentAgencyID, a.CompetentAgencyID,
				b.Status.AgencyID, a.Status.AgencyID, b.Status.Duties, a.Status.Duties)
		}
	}
	reportsAfter := f.reports()
	for name, r := range reportsBefore {
		if !reflect.DeepEqual(r.Rows, reportsAfter[name].Rows) {
			t.Errorf("%s: report not restored by the undo:\nbefore %+v\nafter  %+v", name, r.Rows, reportsAfter[name].Rows)
		}
	}
	if _, _, err := f.svc.Agency(ctx, "H99.101"); err != nil {
		t.Errorf("old code not restored: %v", err)
	}
	deskAfter, err := f.svc.CounterDesk(anphu)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(deskBefore, deskAfter) {
		t.Errorf("counter desk not restored:\n%+v\n%+v", deskBefore, deskAfter)
	}
	if err := f.svc.UndoMerger(admin, rep.Merger.ID); motcua.ErrorReason(err) != "merger_already_undone" {
		t.Errorf("second undo: %v", err)
	}
}

// interruptedMerge stops a merger half-way through its dossiers: nothing
// of it is written.
func (f *fixture) interruptedMerge(communes []int64, reportsBefore map[string]*motcua.Report06a) {
	t := f.t
	t.Helper()
	before := f.allDossiers()
	ms, err := f.svc.Mergers(f.as("admin"))
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("power cut")
	_, err = f.svc.Merge(f.as("admin"), service.MergeInput{Predecessors: communes[1:], SuccessorID: communes[0], Decision: "NQ"},
		func(done, total int) error {
			if done > total/2 {
				return stop
			}
			return nil
		})
	if !errors.Is(err, stop) {
		t.Fatalf("interrupted merge: %v", err)
	}
	if !reflect.DeepEqual(f.allDossiers(), before) {
		t.Error("an interrupted merger changed dossiers")
	}
	if after, err := f.svc.Mergers(f.as("admin")); err != nil || len(after) != len(ms) {
		t.Errorf("interrupted merger stored: %v %v", after, err)
	}
	desk, err := f.svc.CounterDesk(f.as("motcua.hoabinh"))
	if err != nil || len(desk.Points) == 0 || desk.Points[0].AgencyID != communes[2] {
		t.Errorf("interrupted merger moved points or roles: %v %v", desk, err)
	}
	reportsAfter := f.reports()
	for name, r := range reportsBefore {
		if !reflect.DeepEqual(r.Rows, reportsAfter[name].Rows) {
			t.Errorf("%s: report changed by an interrupted merger", name)
		}
	}
}

func TestMergeRefusals(t *testing.T) {
	sqltest.Run(t, func(t *testing.T, e sqltest.Engine) {
		f := newFixture(t, e, mergerNow, nil)
		communes := f.communes()
		admin := f.as("admin")
		dept, _, err := f.svc.Agency(ctx, "000.00.14.H99")
		if err != nil {
			t.Fatal(err)
		}
		// A commune under a department: a different parent.
		odd := &motcua.Agency{Code: "H99.199", Name: "Ủy ban nhân dân xã Lạ", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, ParentID: dept.ID}
		if err := f.svc.SetupAgency(ctx, odd); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			name   string
			in     service.MergeInput
			reason string
		}{
			{"empty", service.MergeInput{SuccessorID: communes[0], Decision: "NQ"}, "merger_empty"},
			{"no decision", service.MergeInput{Predecessors: communes[1:], SuccessorID: communes[0]}, "merger_decision_required"},
			{"into itself", service.MergeInput{Predecessors: communes, SuccessorID: communes[0], Decision: "NQ"}, "merger_into_itself"},
			{"twice", service.MergeInput{Predecessors: []int64{communes[1], communes[1]}, SuccessorID: communes[0], Decision: "NQ"}, "merger_agency_twice"},
			{"kinds", service.MergeInput{Predecessors: []int64{dept.ID}, SuccessorID: communes[0], Decision: "NQ"}, "merger_kinds_differ"},
			{"parents", service.MergeInput{Predecessors: []int64{odd.ID}, SuccessorID: communes[0], Decision: "NQ"}, "merger_parents_differ"},
			{"no successor", service.MergeInput{Predecessors: communes, Decision: "NQ"}, "merger_successor_required"},
			{"bad code", service.MergeInput{Predecessors: communes, Decision: "NQ", NewSuccessor: &motcua.Agency{Code: "xx", Name: "Xã"}}, "agency_code_malformed"},
			{"code taken", service.MergeInput{Predecessors: communes, Decision: "NQ", NewSuccessor: &motcua.Agency{Code: "H99.102", Name: "Xã"}}, "agency_code_exists"},
		} {
			_, err := f.svc.PlanMerger(admin, c.in)
			if motcua.ErrorReason(err) != c.reason {
				t.Errorf("%s: got %v, want %s", c.name, err, c.reason)
			}
			if err != nil && motcua.ErrorMessage(err) == "" {
				t.Errorf("%s: no Vietnamese message", c.name)
			}
		}
		// Into its own child: a commune put under another commune.
		child := &motcua.Agency{Code: "H99.101.9", Name: "Ủy ban nhân dân thôn Con", Level: motcua.LevelCommune, Kind: motcua.KindCommuneCommittee, ParentID: communes[0]}
		if err := f.svc.SetupAgency(ctx, child); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.PlanMerger(admin, service.MergeInput{Predecessors: []int64{communes[0]}, SuccessorID: child.ID, Decision: "NQ"}); motcua.ErrorReason(err) != "merger_into_child" {
			t.Errorf("into its own child: %v", err)
		}
		// Only the province's administrators.
		if _, err := f.svc.PlanMerger(f.as("motcua.anphu"), service.MergeInput{Predecessors: communes[1:], SuccessorID: communes[0], Decision: "NQ"}); motcua.ErrorCode(err) != motcua.EFORBIDDEN {
			t.Errorf("a reception officer merging: %v", err)
		}
	})
}

func countOf(r *service.MergerReport, table string, st motcua.State) int {
	for _, c := range r.Counts {
		if c.Table == table && c.State == st {
			return c.N
		}
	}
	return 0
}

func mapped(id int64, from []int64, to int64) int64 {
	for _, x := range from {
		if x == id {
			return to
		}
	}
	return id
}

var viewPeriods = map[string]motcua.Period{
	"march": {From: motcua.DayOf(vn(2025, 3, 1, 12, 0)), To: motcua.DayOf(vn(2025, 3, 31, 12, 0))},
	"year":  {From: motcua.DayOf(vn(2025, 1, 1, 12, 0)), To: motcua.DayOf(mergerNow)},
}

// index766s computes the index for the view periods, by units.
func (f *fixture) index766s() map[string]map[int64]float64 {
	f.t.Helper()
	out := map[string]map[int64]float64{}
	for name, p := range viewPeriods {
		r, err := f.svc.Index766View(ctx, p, service.ViewUnits)
		if err != nil {
			f.t.Fatal(err)
		}
		out[name] = map[int64]float64{}
		for _, u := range r.Units {
			out[name][u.AgencyID] = u.Points
		}
	}
	return out
}

// checkViews checks the reports across the merger: by old units, a
// period before it shows what it showed before the merger (06a and the
// index); by the successor, the communes' rows are folded into its row;
// both sources agree in both views.
func (f *fixture) checkViews(before map[string]*motcua.Report06a, index766Before map[string]map[int64]float64, communes []int64, succ int64) {
	t := f.t
	t.Helper()
	rowsOf := func(r *motcua.Report06a) map[int64]motcua.Row06a {
		out := map[int64]motcua.Row06a{}
		for _, x := range r.Rows {
			if x != (motcua.Row06a{AgencyID: x.AgencyID}) {
				out[x.AgencyID] = x
			}
		}
		return out
	}
	for _, view := range []string{service.ViewUnits, service.ViewSuccessor} {
		for name, p := range viewPeriods {
			base, err := f.svc.Report06aView(ctx, p, service.SourceBase, view)
			if err != nil {
				t.Fatal(err)
			}
			live, err := f.svc.Report06aView(ctx, p, service.SourceLive, view)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(rowsOf(base), rowsOf(live)) {
				t.Errorf("%s by %s: sources disagree:\n%+v\n%+v", name, view, base.Rows, live.Rows)
			}
			if base.Total != before[name].Total {
				t.Errorf("%s by %s: total %+v, before the merger %+v", name, view, base.Total, before[name].Total)
			}
			want := rowsOf(before[name])
			if view == service.ViewSuccessor {
				folded := motcua.Row06a{AgencyID: succ}
				for _, c := range communes {
					folded.Add(want[c])
					delete(want, c)
				}
				want[succ] = folded
			}
			got := rowsOf(base)
			if name == "march" && !reflect.DeepEqual(got, want) {
				t.Errorf("march by %s after the merger:\n got %+v\nwant %+v", view, got, want)
			}
			if name == "year" && view == service.ViewUnits {
				for _, c := range communes {
					if got[c].ReceivedOnline+got[c].ReceivedDirect != want[c].ReceivedOnline+want[c].ReceivedDirect {
						t.Errorf("year by units: commune %d received %+v, before the merger %+v", c, got[c], want[c])
					}
				}
			}
		}
	}
	after := f.index766s()
	for id, pts := range index766Before["march"] {
		if after["march"][id] != pts {
			t.Errorf("index 766 for March by units: agency %d has %.2f points, before the merger %.2f", id, after["march"][id], pts)
		}
	}
}
