package motcua_test

import (
	"slices"
	"testing"

	"github.com/motcua/motcua"
)

// mayAct reports whether u may take some action of a row that is not a
// side row, according to the decider run on the table without its side
// rows: refusals for the role or the assignee, or because no row applies,
// count as "may not"; a rule that only wants other input or another moment
// counts as "may".
func (f *fixture) mayAct(u *motcua.User) bool {
	table := motcua.Transitions
	defer func() { motcua.Transitions = table }()
	motcua.Transitions = slices.DeleteFunc(slices.Clone(table), func(tr motcua.Transition) bool { return tr.Side })
	for _, tr := range motcua.Transitions {
		if !slices.Contains(tr.From, f.d.Status.State) {
			continue
		}
		_, err := f.dc.Decide(f.d, f.proc, u, vn(2025, 3, 12, 9, 0), motcua.Command{Action: tr.Action, Reason: "x", Assignee: f.specialist})
		switch motcua.ErrorReason(err) {
		case "not_permitted", "not_assignee", "action_not_allowed_in_state", "action_not_allowed_at_step":
		default:
			return true
		}
	}
	return false
}

// checkDuties compares whom the dossier waits on with want (worked out by
// hand), in the event that led there and from DutiesOf, and checks both
// against the decider: each duty's holder may act, and no other member of
// the fixture's staff may (side actions aside).
func (f *fixture) checkDuties(when string, ev motcua.Event, want ...motcua.Duty) {
	f.t.Helper()
	got := motcua.DutiesOf(f.d, f.proc)
	if !slices.Equal(got, want) || !slices.Equal(ev.Duties, want) || !slices.Equal(f.d.Status.Duties, want) {
		f.t.Errorf("%s: duties %+v (event %+v, status %+v), want %+v", when, got, ev.Duties, f.d.Status.Duties, want)
	}
	staff := []*motcua.User{f.reception, f.head, f.specialist, f.specialist2, f.leader, f.stranger}
	for _, u := range staff {
		holds := slices.ContainsFunc(u.Duties(), func(d motcua.Duty) bool { return slices.Contains(want, d) })
		if may := f.mayAct(u); may != holds {
			f.t.Errorf("%s: %s holds a duty %v, may act %v", when, u.FullName, holds, may)
		}
	}
}

// TestDutiesFollowTheTable walks the lifecycle fixture and checks whom the
// dossier waits on at each point: the counter while it is there, the
// step's own role inside the process (the head assigns and reviews, the
// leader approves), the assigned specialist in person during the
// appraisal and again for the result, and nobody once it is over.
func TestDutiesFollowTheTable(t *testing.T) {
	f := newFixture(t)
	reception := motcua.Duty{AgencyID: commune, Role: motcua.RoleReception}
	C := func(a motcua.Action) motcua.Command { return motcua.Command{Action: a} }

	ev := f.do(f.reception, vn(2025, 3, 10, 9, 0), C(motcua.ActReceive))
	f.checkDuties("received", ev, reception)
	ev = f.do(f.reception, vn(2025, 3, 10, 10, 0), C(motcua.ActTransfer))
	f.checkDuties("assignment step", ev, motcua.Duty{AgencyID: department, Role: motcua.RoleHead})
	assign := C(motcua.ActAssign)
	assign.Assignee = f.specialist
	ev = f.do(f.head, vn(2025, 3, 10, 11, 0), assign)
	mine := motcua.Duty{AgencyID: department, UserID: f.specialist.ID}
	f.checkDuties("assigned appraisal", ev, mine)
	ev = f.do(f.specialist, vn(2025, 3, 11, 15, 0), motcua.Command{Action: motcua.ActRequestSupplement, Reason: "Thiếu tờ khai.", Missing: []int64{1}})
	f.checkDuties("waiting for the supplement", ev, reception)
	ev = f.do(f.reception, vn(2025, 3, 14, 10, 0), C(motcua.ActSupplementReceived))
	f.checkDuties("appraisal again", ev, mine)
	ev = f.do(f.specialist, vn(2025, 3, 17, 9, 0), C(motcua.ActForward))
	f.checkDuties("review", ev, motcua.Duty{AgencyID: department, Role: motcua.RoleHead})
	ev = f.do(f.head, vn(2025, 3, 17, 11, 0), C(motcua.ActForward))
	f.checkDuties("approval", ev, motcua.Duty{AgencyID: department, Role: motcua.RoleLeader})
	ev = f.do(f.leader, vn(2025, 3, 17, 14, 0), C(motcua.ActApprove))
	// The result goes back to the specialist who appraised, in person,
	// not to every specialist of the department (issue 13, defect 10).
	f.checkDuties("issue", ev, mine)
	ev = f.do(f.specialist, vn(2025, 3, 18, 9, 0), motcua.Command{Action: motcua.ActIssueResult, ResultNumber: "1/QĐ"})
	f.checkDuties("result at the counter", ev, reception)
	ev = f.do(f.reception, vn(2025, 3, 18, 10, 0), C(motcua.ActReturn))
	f.checkDuties("returned", ev)

	// Replaying the history gives the same duties back without the process.
	st, err := motcua.Replay(f.events)
	if err != nil || st.Duties != nil {
		t.Errorf("replayed duties %+v (%v)", st.Duties, err)
	}
	st, _ = motcua.Replay(f.events[:3])
	if !slices.Equal(st.Duties, []motcua.Duty{mine}) {
		t.Errorf("replayed duties after assignment %+v", st.Duties)
	}
}

// TestDutiesOfParallelStep: both agencies of a parallel step wait until
// each has answered.
func TestDutiesOfParallelStep(t *testing.T) {
	f := newFixture(t)
	f.proc.Process = motcua.Process{Steps: []motcua.Step{
		{Name: "Lấy ý kiến liên thông", Kind: motcua.StepConsult, Role: motcua.RoleSpecialist, AgencyID: department, Share: 0.5,
			Parts: []motcua.StepPart{{AgencyID: department, Share: 0.25}, {AgencyID: other, Share: 0.5}}},
		{Name: "Phê duyệt", Kind: motcua.StepApprove, Role: motcua.RoleLeader, Share: 0.3},
		{Name: "Ban hành", Kind: motcua.StepIssue, Role: motcua.RoleSpecialist, Share: 0.1},
	}}
	otherSpecialist := &motcua.User{ID: 60, FullName: "Chuyên viên sở khác", Grants: []motcua.Grant{{AgencyID: other, Role: motcua.RoleSpecialist}}}
	f.do(f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActReceive})
	ev := f.do(f.reception, vn(2025, 3, 10, 10, 0), motcua.Command{Action: motcua.ActTransfer})
	both := []motcua.Duty{{AgencyID: department, Role: motcua.RoleSpecialist}, {AgencyID: other, Role: motcua.RoleSpecialist}}
	if !slices.Equal(ev.Duties, both) {
		t.Errorf("parallel step: %+v, want %+v", ev.Duties, both)
	}
	ev = f.do(otherSpecialist, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActForward})
	if !slices.Equal(ev.Duties, both[:1]) {
		t.Errorf("after the other agency answered: %+v, want %+v", ev.Duties, both[:1])
	}
}

// TestDutiesOfRefusalAndOnline: a refused dossier waits for the counter to
// hand over the notice; an online one for the counter to accept it.
func TestDutiesOfRefusalAndOnline(t *testing.T) {
	f := newFixture(t)
	f.do(f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActReceive})
	f.do(f.reception, vn(2025, 3, 10, 10, 0), motcua.Command{Action: motcua.ActTransfer})
	f.do(f.head, vn(2025, 3, 10, 11, 0), motcua.Command{Action: motcua.ActAssign, Assignee: f.specialist})
	f.do(f.specialist, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActForward})
	f.do(f.head, vn(2025, 3, 11, 10, 0), motcua.Command{Action: motcua.ActForward})
	ev := f.do(f.leader, vn(2025, 3, 11, 11, 0), motcua.Command{Action: motcua.ActRefuse, Reason: "Không đủ điều kiện."})
	f.checkDuties("refused", ev, motcua.Duty{AgencyID: commune, Role: motcua.RoleReception})

	g := newFixture(t)
	portal := &motcua.User{ID: 70, FullName: "Cổng DVCQG", Grants: []motcua.Grant{{AgencyID: other, Role: motcua.RoleIntegration}}}
	g.d.Channel = motcua.ChannelOnline
	ev = g.do(portal, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActSubmit})
	g.checkDuties("submitted online", ev, motcua.Duty{AgencyID: commune, Role: motcua.RoleReception})
}

func TestUserDuties(t *testing.T) {
	u := &motcua.User{ID: 5, Grants: []motcua.Grant{{AgencyID: 1, Role: motcua.RoleReception}, {AgencyID: 1, Role: motcua.RoleSpecialist},
		{AgencyID: 2, Role: motcua.RoleLeader}}}
	want := []motcua.Duty{{AgencyID: 1, Role: motcua.RoleReception}, {AgencyID: 1, Role: motcua.RoleSpecialist},
		{AgencyID: 2, Role: motcua.RoleLeader}, {AgencyID: 1, UserID: 5}, {AgencyID: 2, UserID: 5}}
	if got := u.Duties(); !slices.Equal(got, want) {
		t.Errorf("duties %+v, want %+v", got, want)
	}
	u.Disabled = true
	if got := u.Duties(); got != nil {
		t.Errorf("a locked account has duties %+v", got)
	}
}
