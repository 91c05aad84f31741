package motcua_test

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// TestLifecycle follows a provincial dossier received at a commune counter
// through every hand-over, with deadlines worked out by hand on the default
// working periods 07:30–11:30 and 13:00–17:00 (a week without holidays:
// Mon 10 – Fri 21 March 2025).
func TestLifecycle(t *testing.T) {
	f := newFixture(t)
	s := &f.d.Status
	C := motcua.Command{}
	with := func(a motcua.Action) motcua.Command { c := C; c.Action = a; return c }

	// Reception, Mon 09:00. 3 working days = 24 working hours:
	// Mon 6.5 h + Tue 8 h + Wed 8 h + Thu 1.5 h → Thu 13 Mar 09:00.
	f.fails(f.stranger, vn(2025, 3, 10, 9, 0), with(motcua.ActReceive), motcua.EFORBIDDEN, "not_permitted")
	ev := f.do(f.reception, vn(2025, 3, 10, 9, 0), with(motcua.ActReceive))
	if s.State != motcua.StateReceived || ev.FromState != motcua.StateNone {
		t.Fatalf("state %q after receive", s.State)
	}
	same(t, "due", s.DueAt, vn(2025, 3, 13, 9, 0))
	same(t, "clock start", s.ClockStartAt, vn(2025, 3, 10, 9, 0))
	// Received before 15:00 on a working day: transfer the same day.
	same(t, "transfer due", s.ActionDueAt, vn(2025, 3, 10, 17, 0))

	// Transfer at 10:00: on time. The assignment step has 10 % of 24 h =
	// 2 h 24 min: 10:00–11:30 then 13:00–13:54.
	f.fails(f.head, vn(2025, 3, 10, 10, 0), with(motcua.ActTransfer), motcua.EFORBIDDEN, "not_permitted")
	ev = f.do(f.reception, vn(2025, 3, 10, 10, 0), with(motcua.ActTransfer))
	if ev.Timeliness != motcua.OnTime || s.AgencyID != department || s.Step != 0 {
		t.Fatalf("transfer: timeliness %q, holder %d, step %d", ev.Timeliness, s.AgencyID, s.Step)
	}
	same(t, "assignment step due", s.StepDueAt, vn(2025, 3, 10, 13, 54))

	// Assignment needs an eligible assignee.
	f.fails(f.head, vn(2025, 3, 10, 11, 0), with(motcua.ActAssign), motcua.EINVALID, "assignee_required")
	bad := with(motcua.ActAssign)
	bad.Assignee = f.leader
	f.fails(f.head, vn(2025, 3, 10, 11, 0), bad, motcua.EINVALID, "assignee_not_eligible")
	// Appraisal has 50 % = 12 h from Mon 11:00: Mon 4.5 h, Tue 7.5 h → Tue 16:30.
	cmd := with(motcua.ActAssign)
	cmd.Assignee = f.specialist
	f.do(f.head, vn(2025, 3, 10, 11, 0), cmd)
	if s.AssigneeID != f.specialist.ID || s.AppraiserID != f.specialist.ID {
		t.Fatalf("assignee %d appraiser %d", s.AssigneeID, s.AppraiserID)
	}
	same(t, "appraisal step due", s.StepDueAt, vn(2025, 3, 11, 16, 30))

	// Only the assigned specialist appraises.
	f.fails(f.specialist2, vn(2025, 3, 11, 14, 0), with(motcua.ActForward), motcua.EFORBIDDEN, "not_assignee")

	// A supplement request must say what is missing, and never ask for
	// data held in a national database.
	f.fails(f.specialist, vn(2025, 3, 11, 15, 0), with(motcua.ActRequestSupplement), motcua.EINVALID, "reason_required")
	sup := with(motcua.ActRequestSupplement)
	sup.Reason = "Bổ sung tờ khai có chữ ký."
	sup.Missing = []int64{2}
	f.fails(f.specialist, vn(2025, 3, 11, 15, 0), sup, motcua.EINVALID, "component_in_national_db")
	sup.Missing = []int64{1}
	ev = f.do(f.specialist, vn(2025, 3, 11, 15, 0), sup)
	if s.State != motcua.StateAwaitingSupplement || ev.Stage != motcua.StageAppraisal || s.AgencyID != commune {
		t.Fatalf("supplement: state %q stage %q holder %d", s.State, ev.Stage, s.AgencyID)
	}
	// Closed if not completed within 15 days: 11 + 15 = 26 March, end of
	// that working day.
	same(t, "closure deadline", s.ActionDueAt, vn(2025, 3, 26, 17, 0))

	// The supplement arrives Fri 14 Mar 10:00: the clock restarts from
	// zero. 24 h from Fri 10:00: Fri 5.5 h, Mon 8, Tue 8, Wed 2.5 → Wed 19 Mar 10:00.
	ev = f.do(f.reception, vn(2025, 3, 14, 10, 0), with(motcua.ActSupplementReceived))
	if s.State != motcua.StateProcessing || s.Step != 1 || s.AssigneeID != f.specialist.ID || ev.Timeliness != motcua.Early {
		t.Fatalf("after supplement: state %q step %d assignee %d verdict %q", s.State, s.Step, s.AssigneeID, ev.Timeliness)
	}
	same(t, "clock restart", s.ClockStartAt, vn(2025, 3, 14, 10, 0))
	same(t, "due after restart", s.DueAt, vn(2025, 3, 19, 10, 0))
	same(t, "supplement completed", s.Supplements[0].CompletedAt, vn(2025, 3, 14, 10, 0))
	// Appraisal again has 12 h: Fri 5.5 h, Mon 6.5 h → Mon 17 Mar 15:30.
	same(t, "appraisal step due after restart", s.StepDueAt, vn(2025, 3, 17, 15, 30))

	// A second request in the same stage is refused.
	f.fails(f.specialist, vn(2025, 3, 14, 11, 0), sup, motcua.ECONFLICT, "supplement_already_requested")

	// Appraisal done Mon 09:00 (on time); review has 2 h 24 min → 11:24.
	ev = f.do(f.specialist, vn(2025, 3, 17, 9, 0), with(motcua.ActForward))
	if ev.Timeliness != motcua.OnTime || s.Step != 2 {
		t.Fatalf("forward: %q step %d", ev.Timeliness, s.Step)
	}
	same(t, "review step due", s.StepDueAt, vn(2025, 3, 17, 11, 24))
	// Approval has 20 % = 4 h 48 min from 11:00: 0.5 h, 4 h, then 18 min on Tue → Tue 07:48.
	f.do(f.head, vn(2025, 3, 17, 11, 0), with(motcua.ActForward))
	same(t, "approval step due", s.StepDueAt, vn(2025, 3, 18, 7, 48))
	f.fails(f.head, vn(2025, 3, 17, 12, 0), with(motcua.ActApprove), motcua.EFORBIDDEN, "not_permitted")

	// Extension with apology, at least one working day before the due
	// time: Mon 14:00 + 8 h = Tue 14:00 ≤ Wed 10:00.
	ext := with(motcua.ActExtend)
	ext.NewDueAt = vn(2025, 3, 21, 17, 0)
	f.fails(f.leader, vn(2025, 3, 17, 14, 0), ext, motcua.EINVALID, "reason_required")
	ext.Reason = "Cần xác minh thêm; cơ quan xin lỗi ông/bà."
	early := ext
	early.NewDueAt = vn(2025, 3, 19, 9, 0)
	f.fails(f.leader, vn(2025, 3, 17, 14, 0), early, motcua.EINVALID, "new_due_not_later")
	weekend := ext
	weekend.NewDueAt = vn(2025, 3, 22, 10, 0)
	f.fails(f.leader, vn(2025, 3, 17, 14, 0), weekend, motcua.EINVALID, "new_due_not_working_day")
	f.do(f.leader, vn(2025, 3, 17, 14, 0), ext)
	same(t, "due after extension", s.DueAt, vn(2025, 3, 21, 17, 0))
	// The current step gets the working time the extension adds (Wed
	// 10:00 → Fri 17:00 = 21.5 h): approval, due Tue 07:48, is now due
	// Thu 20 Mar 14:48 (issue 13, defect 4).
	same(t, "approval step due after extension", s.StepDueAt, vn(2025, 3, 20, 14, 48))
	if len(s.Extensions) != 1 || !s.Extensions[0].OldDue.Equal(vn(2025, 3, 19, 10, 0)) {
		t.Fatalf("extensions %+v", s.Extensions)
	}
	ext.NewDueAt = vn(2025, 3, 24, 17, 0)
	f.fails(f.leader, vn(2025, 3, 17, 15, 0), ext, motcua.ECONFLICT, "extension_limit")

	// Approval Tue 10:00, after the step's former 07:48 but before its
	// extended deadline: not late. The issue step
	// has 10 % of the extended allowance (Fri 14 10:00 → Fri 21 17:00 =
	// 45.5 h), 4 h 33 min: Tue 10:00–11:30, 13:00–16:03.
	ev = f.do(f.leader, vn(2025, 3, 18, 10, 0), with(motcua.ActApprove))
	if ev.Timeliness == motcua.Late || s.State != motcua.StateApproved || s.Step != 4 {
		t.Fatalf("approve: %q %q step %d", ev.Timeliness, s.State, s.Step)
	}
	same(t, "issue step due", s.StepDueAt, vn(2025, 3, 18, 16, 3))

	// Result issued Tue 15:00: finished before the due day, early.
	res := with(motcua.ActIssueResult)
	res.ResultNumber = "12/QĐ-SNV"
	ev = f.do(f.specialist, vn(2025, 3, 18, 15, 0), res)
	if ev.Timeliness != motcua.Early || s.State != motcua.StateResultReady || s.AgencyID != commune || s.ResultNumber != "12/QĐ-SNV" {
		t.Fatalf("issue: %q %q holder %d", ev.Timeliness, s.State, s.AgencyID)
	}
	same(t, "finished", s.FinishedAt, vn(2025, 3, 18, 15, 0))

	// Returned at the commune counter that received it.
	f.fails(f.specialist, vn(2025, 3, 19, 8, 0), with(motcua.ActReturn), motcua.EFORBIDDEN, "not_permitted")
	f.do(f.reception, vn(2025, 3, 19, 8, 0), with(motcua.ActReturn))
	if s.State != motcua.StateReturned || !s.State.Terminal() {
		t.Fatalf("state %q", s.State)
	}
	if got := s.Result(vn(2025, 4, 1, 8, 0), motcua.VietnamTime); got != motcua.Early {
		t.Errorf("final verdict %q, want early", got)
	}
	f.fails(f.reception, vn(2025, 3, 19, 9, 0), with(motcua.ActReturn), motcua.ECONFLICT, "action_not_allowed_in_state")

	// The history gives the status back.
	replayed, err := motcua.Replay(f.events)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(replayed, *s) {
		t.Errorf("replay differs:\n got %+v\nwant %+v", replayed, *s)
	}
}

// reach moves a fresh fixture's dossier through received, transferred and
// assigned, received Mon 10 Mar 2025 09:00 (due Thu 13 Mar 09:00).
func reach(t *testing.T) *fixture {
	f := newFixture(t)
	f.do(f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActReceive})
	f.do(f.reception, vn(2025, 3, 10, 10, 0), motcua.Command{Action: motcua.ActTransfer})
	f.do(f.head, vn(2025, 3, 10, 11, 0), motcua.Command{Action: motcua.ActAssign, Assignee: f.specialist})
	return f
}

func TestAppraisalSupplementWithinThreeWorkingDays(t *testing.T) {
	sup := motcua.Command{Action: motcua.ActRequestSupplement, Reason: "Thiếu tờ khai."}
	// Thu 13 Mar 09:00 is exactly 3 working days after reception.
	f := reach(t)
	f.fails(f.specialist, vn(2025, 3, 13, 9, 1), sup, motcua.ECONFLICT, "supplement_too_late")
	f.do(f.specialist, vn(2025, 3, 13, 9, 0), sup)
}

func TestSupplementClosure(t *testing.T) {
	f := reach(t)
	f.do(f.specialist, vn(2025, 3, 11, 15, 0), motcua.Command{Action: motcua.ActRequestSupplement, Reason: "Thiếu tờ khai."})
	// Deadline Wed 26 Mar 17:00.
	closeCmd := motcua.Command{Action: motcua.ActClose}
	f.fails(motcua.SystemUser, vn(2025, 3, 26, 16, 59), closeCmd, motcua.ECONFLICT, "supplement_wait_not_over")
	f.fails(f.reception, vn(2025, 3, 26, 17, 1), motcua.Command{Action: motcua.ActSupplementReceived}, motcua.ECONFLICT, "supplement_wait_expired")
	f.fails(f.stranger, vn(2025, 3, 26, 17, 1), closeCmd, motcua.EFORBIDDEN, "not_permitted")
	f.do(motcua.SystemUser, vn(2025, 3, 26, 17, 1), closeCmd)
	if s := f.d.Status; s.State != motcua.StateClosed || !s.FinishedAt.Equal(vn(2025, 3, 26, 17, 1)) {
		t.Fatalf("state %q finished %v", s.State, s.FinishedAt)
	}
}

func TestSupplementOncePerDossierSetting(t *testing.T) {
	f := newFixture(t)
	f.dc.Rules.SupplementScope = motcua.SupplementOncePerDossier
	sup := motcua.Command{Action: motcua.ActRequestSupplement, Reason: "Thiếu tờ khai."}
	f.do(f.reception, vn(2025, 3, 10, 9, 0), sup) // at reception
	f.do(f.reception, vn(2025, 3, 12, 9, 0), motcua.Command{Action: motcua.ActReceive})
	if n := len(f.d.Status.Supplements); n != 1 || f.d.Status.Supplements[0].CompletedAt.IsZero() {
		t.Fatalf("reception-stage supplement not completed by receiving: %+v", f.d.Status.Supplements)
	}
	f.do(f.reception, vn(2025, 3, 12, 10, 0), motcua.Command{Action: motcua.ActTransfer})
	f.do(f.head, vn(2025, 3, 12, 11, 0), motcua.Command{Action: motcua.ActAssign, Assignee: f.specialist})
	// One request per dossier: the appraisal-stage one is refused.
	f.fails(f.specialist, vn(2025, 3, 12, 14, 0), sup, motcua.ECONFLICT, "supplement_already_requested")
	// With the default (per stage) it would be allowed.
	f.dc.Rules.SupplementScope = motcua.SupplementOncePerStage
	f.do(f.specialist, vn(2025, 3, 12, 14, 0), sup)
}

func TestExtensionAtLeastOneWorkingDayBefore(t *testing.T) {
	ext := motcua.Command{Action: motcua.ActExtend, Reason: "Xin lỗi vì chậm trễ.", NewDueAt: vn(2025, 3, 14, 17, 0)}
	// Due Thu 13 Mar 09:00; one working day before is Wed 12 Mar 09:00.
	f := reach(t)
	f.fails(f.leader, vn(2025, 3, 12, 9, 1), ext, motcua.ECONFLICT, "extension_too_late")
	f.fails(f.specialist, vn(2025, 3, 12, 9, 0), ext, motcua.EFORBIDDEN, "not_permitted")
	f.do(f.leader, vn(2025, 3, 12, 9, 0), ext)
}

func TestOnlineDecisionWithinEightWorkingHours(t *testing.T) {
	f := newFixture(t)
	f.d.Channel = motcua.ChannelOnline
	portal := &motcua.User{ID: 50, FullName: "DVCQG", Grants: []motcua.Grant{{AgencyID: 100, Role: motcua.RoleIntegration}}}
	f.fails(f.reception, vn(2025, 3, 14, 16, 0), motcua.Command{Action: motcua.ActSubmit}, motcua.EFORBIDDEN, "not_permitted")
	// Submitted Fri 16:00: 1 h on Friday, 7 h on Monday → Mon 17 Mar 16:00.
	f.do(portal, vn(2025, 3, 14, 16, 0), motcua.Command{Action: motcua.ActSubmit})
	same(t, "decision due", f.d.Status.ActionDueAt, vn(2025, 3, 17, 16, 0))
	if f.d.Status.Result(vn(2025, 3, 20, 0, 0), motcua.VietnamTime) != "" {
		t.Error("a submitted dossier has no processing verdict yet")
	}
	ev := f.do(f.reception, vn(2025, 3, 17, 16, 30), motcua.Command{Action: motcua.ActReceive})
	if ev.Timeliness != motcua.Late {
		t.Errorf("reception 30 min after the 8 working hours: %q, want late", ev.Timeliness)
	}
	same(t, "received (clock starts at reception, not submission)", f.d.Status.ClockStartAt, vn(2025, 3, 17, 16, 30))
}

func TestTransferAfterCutOff(t *testing.T) {
	// Received Mon 15:30, after 15:00: transfer at the start of the next
	// working day, within the first working hour → Tue 08:30.
	f := newFixture(t)
	f.do(f.reception, vn(2025, 3, 10, 15, 30), motcua.Command{Action: motcua.ActReceive})
	same(t, "transfer due", f.d.Status.ActionDueAt, vn(2025, 3, 11, 8, 30))
	ev := f.do(f.reception, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActTransfer})
	if ev.Timeliness != motcua.Late {
		t.Errorf("transfer Tue 09:00: %q, want late", ev.Timeliness)
	}
}

func TestDeadlinesAcrossTetAndSwappedSaturday(t *testing.T) {
	cases := []struct {
		name     string
		received time.Time
		days     float64
		want     time.Time
	}{
		// Tết 2025: days off Mon 27 – Fri 31 Jan (with the weekends around,
		// Sat 25 Jan – Sun 2 Feb). Thu 23 10:00: 5.5 h + Fri 8 h + Mon 3 Feb
		// 8 h + Tue 2.5 h → Tue 4 Feb 10:00.
		{"Tết 2025", vn(2025, 1, 23, 10, 0), 3, vn(2025, 2, 4, 10, 0)},
		// Sat 26 Apr 2025 is worked in exchange for Fri 2 May: Fri 25 Apr
		// 10:00 + 2 days: Fri 5.5 h + Sat 8 h + Mon 28 Apr 2.5 h → 10:00.
		{"swapped Saturday 2025", vn(2025, 4, 25, 10, 0), 2, vn(2025, 4, 28, 10, 0)},
		// Tết 2026: 14–22 Feb off. Thu 12 Feb 10:00 + 3 days: Thu 5.5 h,
		// Fri 13 8 h, Mon 23 8 h, Tue 24 2.5 h → Tue 24 Feb 10:00.
		{"Tết 2026", vn(2026, 2, 12, 10, 0), 3, vn(2026, 2, 24, 10, 0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			f.proc.TimeLimit = &motcua.TimeLimit{Value: c.days, Unit: motcua.UnitWorkingDays}
			f.do(f.reception, c.received, motcua.Command{Action: motcua.ActReceive})
			same(t, "due", f.d.Status.DueAt, c.want)
		})
	}
}

func TestRefusals(t *testing.T) {
	// At reception: a reason is required, the dossier ends there.
	f := newFixture(t)
	f.fails(f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActRefuse}, motcua.EINVALID, "reason_required")
	f.do(f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActRefuse, Reason: "Không thuộc thẩm quyền."})
	if f.d.Status.State != motcua.StateRejected {
		t.Fatalf("state %q", f.d.Status.State)
	}
	// After appraisal: by the leader at the approval step; the notice goes
	// back through the counter.
	f = reach(t)
	f.do(f.specialist, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActForward})
	f.do(f.head, vn(2025, 3, 11, 10, 0), motcua.Command{Action: motcua.ActForward})
	f.fails(f.specialist, vn(2025, 3, 11, 11, 0), motcua.Command{Action: motcua.ActRefuse, Reason: "x"}, motcua.EFORBIDDEN, "not_permitted")
	ev := f.do(f.leader, vn(2025, 3, 11, 11, 0), motcua.Command{Action: motcua.ActRefuse, Reason: "Không đủ điều kiện."})
	if f.d.Status.State != motcua.StateRefused || f.d.Status.AgencyID != commune || ev.Timeliness != motcua.Early {
		t.Fatalf("state %q holder %d verdict %q", f.d.Status.State, f.d.Status.AgencyID, ev.Timeliness)
	}
	f.do(f.reception, vn(2025, 3, 11, 14, 0), motcua.Command{Action: motcua.ActReturn})
}

func TestSendBackToAppraiser(t *testing.T) {
	f := reach(t)
	f.do(f.specialist, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActForward})
	f.fails(f.head, vn(2025, 3, 11, 10, 0), motcua.Command{Action: motcua.ActSendBack}, motcua.EINVALID, "reason_required")
	f.do(f.head, vn(2025, 3, 11, 10, 0), motcua.Command{Action: motcua.ActSendBack, Reason: "Kiểm tra lại số liệu."})
	if s := f.d.Status; s.Step != 1 || s.AssigneeID != f.specialist.ID {
		t.Fatalf("step %d assignee %d", s.Step, s.AssigneeID)
	}
}

func TestWithdrawAndStop(t *testing.T) {
	f := reach(t)
	f.fails(f.reception, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActWithdraw}, motcua.EINVALID, "reason_required")
	f.do(f.reception, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActWithdraw, Reason: "Đơn xin rút."})
	if f.d.Status.State != motcua.StateWithdrawn || !f.d.Status.State.Terminal() {
		t.Fatalf("state %q", f.d.Status.State)
	}
	f = reach(t)
	f.fails(f.head, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActStop, Reason: "x"}, motcua.EFORBIDDEN, "not_permitted")
	f.do(f.leader, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActStop, Reason: "Đã giải quyết ở nơi khác."})
	if f.d.Status.State != motcua.StateStopped {
		t.Fatalf("state %q", f.d.Status.State)
	}
}

func TestParallelInterAgencyStep(t *testing.T) {
	f := newFixture(t)
	f.proc.Process = motcua.Process{Steps: []motcua.Step{
		{Name: "Lấy ý kiến liên thông", Kind: motcua.StepConsult, Role: motcua.RoleSpecialist, AgencyID: department, Share: 0.5,
			Parts: []motcua.StepPart{{AgencyID: department, Share: 0.25}, {AgencyID: other, Share: 0.5}}},
		{Name: "Phê duyệt", Kind: motcua.StepApprove, Role: motcua.RoleLeader, Share: 0.3},
		{Name: "Ban hành", Kind: motcua.StepIssue, Role: motcua.RoleSpecialist, Share: 0.1},
	}}
	if err := f.proc.Process.Validate(); err != nil {
		t.Fatal(err)
	}
	otherSpecialist := &motcua.User{ID: 60, FullName: "Chuyên viên sở khác", Grants: []motcua.Grant{{AgencyID: other, Role: motcua.RoleSpecialist}}}
	f.do(f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: motcua.ActReceive})
	f.do(f.reception, vn(2025, 3, 10, 10, 0), motcua.Command{Action: motcua.ActTransfer})
	s := &f.d.Status
	if len(s.Parts) != 2 {
		t.Fatalf("parts %+v", s.Parts)
	}
	// Sub-deadlines: 25 % of 24 h = 6 h from Mon 10:00 (5.5 h on Monday) → Tue 08:00;
	// 50 % = 12 h → Tue 15:30.
	same(t, "lead part due", s.Parts[0].DueAt, vn(2025, 3, 11, 8, 0))
	same(t, "other part due", s.Parts[1].DueAt, vn(2025, 3, 11, 15, 30))
	ev := f.do(otherSpecialist, vn(2025, 3, 11, 9, 0), motcua.Command{Action: motcua.ActForward})
	if s.Step != 0 || ev.PartAgencyID != other || ev.Timeliness != motcua.OnTime {
		t.Fatalf("first part: step %d part %d verdict %q", s.Step, ev.PartAgencyID, ev.Timeliness)
	}
	f.fails(otherSpecialist, vn(2025, 3, 11, 9, 30), motcua.Command{Action: motcua.ActForward}, motcua.EFORBIDDEN, "not_permitted")
	ev = f.do(f.specialist, vn(2025, 3, 11, 10, 0), motcua.Command{Action: motcua.ActForward})
	if s.Step != 1 || ev.Timeliness != motcua.Late {
		t.Fatalf("last part: step %d verdict %q", s.Step, ev.Timeliness)
	}
}

// TestTransitionTableIsClosed checks that an action is refused in every
// state the table does not list for it, with a clear conflict.
func TestTransitionTableIsClosed(t *testing.T) {
	allowed := map[motcua.Action][]motcua.State{}
	for _, tr := range motcua.Transitions {
		allowed[tr.Action] = append(allowed[tr.Action], tr.From...)
	}
	for a, from := range allowed {
		for _, st := range append([]motcua.State{motcua.StateNone}, motcua.AllStates...) {
			if slices.Contains(from, st) {
				continue
			}
			f := newFixture(t)
			f.d.Status.State = st
			_, err := f.dc.Decide(f.d, f.proc, f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: a, Reason: "x"})
			if motcua.ErrorReason(err) != "action_not_allowed_in_state" {
				t.Errorf("%s from %q: got %v, want action_not_allowed_in_state", a, st, err)
			}
		}
	}
	f := newFixture(t)
	if _, err := f.dc.Decide(f.d, f.proc, f.reception, vn(2025, 3, 10, 9, 0), motcua.Command{Action: "approve_everything"}); motcua.ErrorCode(err) != motcua.EINVALID {
		t.Errorf("unknown action: %v", err)
	}
}

func TestApplyRefusesBrokenHistory(t *testing.T) {
	f := reach(t)
	if _, err := motcua.Replay(append(f.events[:1:1], f.events[2])); err == nil {
		t.Error("a history with a gap was replayed")
	}
	ev := f.events[1]
	ev.FromState = motcua.StateSubmitted
	if _, err := motcua.Replay([]motcua.Event{f.events[0], ev}); err == nil {
		t.Error("a history whose states do not chain was replayed")
	}
}
