package motcua

import (
	"slices"
	"strings"
	"time"
)

// Command is what an actor asks to do to a dossier.
type Command struct {
	Action Action `json:"action"`
	// Reason is the reason, note or apology that goes on the notice; it is
	// required for supplement requests, refusals, send-backs, extensions,
	// withdrawals and stops.
	Reason string `json:"reason,omitempty"`
	// Assignee is the person to hand over to (assign; optional for forward).
	Assignee *User `json:"-"`
	// NewDueAt is the new appointment (extend).
	NewDueAt time.Time `json:"new_due_at,omitzero"`
	// ResultNumber is the number of the issued result document.
	ResultNumber string `json:"result_number,omitempty"`
	// ResultFileRef names the electronic result file (issue_result).
	ResultFileRef string `json:"result_file_ref,omitempty"`
	// ResultSigned says that the file ResultFileRef names was verified to
	// carry a valid signature when it was stored (issue_result). Only the
	// service sets it, from its file record, never from a client's input;
	// it is what makes the result count as electronic (indicator 4.1).
	ResultSigned bool `json:"-"`
	// Missing lists the components that must be supplemented.
	Missing []int64 `json:"missing,omitempty"`
	// Supplied lists the components that arrived with a supplement
	// (supplement_received, or receive after a supplement at reception);
	// empty means those the open request asked for.
	Supplied []int64 `json:"supplied,omitempty"`
}

// Decider applies the rules of NĐ 118/2025 to commands. It is pure: time is
// passed in and the calendar is the only collaborator.
type Decider struct {
	Calendar Calendar
	Rules    Rules
	// Successor returns the agency that stands for an agency named in a
	// procedure's process now (the successor of a merged one); nil keeps
	// every agency as named.
	Successor func(agencyID int64) int64
}

// current maps an agency named by a process to the one standing for it.
func (dc Decider) current(id int64) int64 {
	if dc.Successor == nil || id == 0 {
		return id
	}
	return dc.Successor(id)
}

// Decide checks that actor may perform cmd on dossier d (of procedure p) at
// now, and returns the event that records it. It never changes d. Errors:
// EINVALID for missing or wrong input, ECONFLICT when the state or a rule of
// the decree forbids the action, EFORBIDDEN when the actor lacks the role.
func (dc Decider) Decide(d *Dossier, p *Procedure, actor *User, now time.Time, cmd Command) (Event, error) {
	s := &d.Status
	row, role, agencyID, err := dc.match(d, p, actor, cmd.Action)
	if err != nil {
		return Event{}, err
	}
	rules := dc.Rules.For(p)
	ev := Event{
		DossierID: d.ID, Seq: s.Seq + 1, Action: cmd.Action, At: now,
		ActorID: actor.ID, ActorName: actor.FullName, ActorRole: role, ActorAgencyID: agencyID,
		FromState: s.State, ToState: s.State, FromAgencyID: s.AgencyID, ToAgencyID: s.AgencyID,
		FromStep: s.Step, ToStep: s.Step, AssigneeID: s.AssigneeID,
		ClockStartAt: s.ClockStartAt, DueAt: s.DueAt, StepDueAt: s.StepDueAt, ActionDueAt: s.ActionDueAt,
		Reason: strings.TrimSpace(cmd.Reason),
	}
	if row.To != "" {
		ev.ToState = row.To
	}
	if s.State == StateNone {
		ev.FromStep, ev.ToStep = -1, -1
	}
	if needsReason(cmd.Action) && ev.Reason == "" {
		return Event{}, FieldError("reason", "reason_required", reasonPrompt(cmd.Action))
	}
	// The verdict on a pending online decision applies to every way out of
	// "submitted".
	if s.State == StateSubmitted && cmd.Action != ActWithdraw {
		dc.judge(&ev, s.ActionDueAt)
	}

	switch cmd.Action {
	case ActSubmit:
		ev.ToAgencyID, ev.ToStep = d.ReceptionAgencyID, -1
		ev.ActionDueAt = dc.Calendar.AddWorking(dc.Calendar.NextWorkingMoment(now), rules.OnlineDecision)

	case ActReceive:
		ev.ClockStartAt = now
		ev.DueAt = dc.due(p, now)
		ev.ToAgencyID, ev.ToStep, ev.StepDueAt = d.ReceptionAgencyID, -1, time.Time{}
		ev.ActionDueAt = dc.transferDue(now, rules)
		if s.State == StateAwaitingSupplement {
			sup, _ := s.OpenSupplement()
			dc.judge(&ev, sup.Deadline)
			if ev.Supplied, err = suppliedComponents(d, sup, cmd.Supplied); err != nil {
				return Event{}, err
			}
		}

	case ActRequestSupplement:
		if err := dc.checkSupplement(d, p, now, row.Stage, cmd.Missing, rules); err != nil {
			return Event{}, err
		}
		ev.Stage, ev.Missing = row.Stage, append([]int64(nil), cmd.Missing...)
		ev.ActionDueAt = dc.Calendar.Due(now, rules.SupplementWait)
		ev.ToAgencyID, ev.StepDueAt = d.ReceptionAgencyID, time.Time{}
		if row.Stage == StageAppraisal {
			dc.judge(&ev, s.StepDueAt)
		}

	case ActSupplementReceived:
		sup, _ := s.OpenSupplement()
		if now.After(sup.Deadline) {
			return Event{}, Errorf(ECONFLICT, "supplement_wait_expired",
				"Đã quá hạn bổ sung hồ sơ (%s); hồ sơ phải được đóng theo quy định.", FormatDateTime(sup.Deadline))
		}
		dc.judge(&ev, sup.Deadline)
		if ev.Supplied, err = suppliedComponents(d, sup, cmd.Supplied); err != nil {
			return Event{}, err
		}
		if row.To == StateSubmitted {
			// An online dossier completed before reception: the counter
			// decides again, within the online decision time.
			ev.ToAgencyID, ev.ToStep, ev.StepDueAt = d.ReceptionAgencyID, -1, time.Time{}
			ev.ActionDueAt = dc.Calendar.AddWorking(dc.Calendar.NextWorkingMoment(now), rules.OnlineDecision)
			break
		}
		ev.ClockStartAt = now
		ev.DueAt = dc.due(p, now)
		ev.ActionDueAt = time.Time{}
		dc.enterStep(&ev, d, p, s.Step, now)
		ev.AssigneeID = s.AssigneeID

	case ActRefuse:
		if row.To == StateRefused {
			dc.judge(&ev, s.DueAt)
		}
		ev.ToAgencyID, ev.ToStep, ev.StepDueAt, ev.ActionDueAt, ev.AssigneeID = d.ReceptionAgencyID, -1, time.Time{}, time.Time{}, 0

	case ActTransfer:
		dc.judge(&ev, s.ActionDueAt)
		ev.ActionDueAt = time.Time{}
		dc.enterStep(&ev, d, p, 0, now)

	case ActAssign:
		cur := p.Process.Steps[s.Step]
		next := s.Step
		if cur.Kind == StepAssign {
			next = s.Step + 1
		}
		if cmd.Assignee == nil {
			return Event{}, FieldError("assignee_id", "assignee_required", "Vui lòng chọn chuyên viên được phân công.")
		}
		if next >= len(p.Process.Steps) || !cmd.Assignee.Has(p.Process.Steps[next].Role, dc.stepAgency(d, p, next)) {
			return Event{}, FieldError("assignee_id", "assignee_not_eligible", "Người được phân công không có vai trò xử lý bước này tại cơ quan giải quyết.")
		}
		if next != s.Step {
			dc.judge(&ev, s.StepDueAt)
			dc.enterStep(&ev, d, p, next, now)
		}
		ev.AssigneeID = cmd.Assignee.ID

	case ActForward:
		cur := p.Process.Steps[s.Step]
		if cur.Kind == StepConsult && len(s.Parts) > 0 {
			open := 0
			for _, part := range s.Parts {
				if part.DoneAt.IsZero() {
					open++
					if part.AgencyID == agencyID {
						ev.PartAgencyID = part.AgencyID
						dc.judge(&ev, part.DueAt)
					}
				}
			}
			if open > 1 {
				break // other agencies have yet to answer: the step stays
			}
		} else {
			dc.judge(&ev, s.StepDueAt)
		}
		next := s.Step + 1
		if cur.Kind == StepAppraise && s.AppraiserID == 0 {
			ev.AppraiserID = actor.ID
		}
		dc.enterStep(&ev, d, p, next, now)
		backToAppraiser(&ev, s, p)
		if cmd.Assignee != nil {
			if !cmd.Assignee.Has(p.Process.Steps[next].Role, ev.ToAgencyID) {
				return Event{}, FieldError("assignee_id", "assignee_not_eligible", "Người nhận không có vai trò xử lý bước tiếp theo tại cơ quan này.")
			}
			ev.AssigneeID = cmd.Assignee.ID
		}

	case ActSendBack:
		target := p.Process.Index(StepAppraise)
		if target < 0 || target >= s.Step {
			return Event{}, Errorf(ECONFLICT, "no_appraisal_step", "Quy trình không có bước thẩm định trước bước này để trả lại.")
		}
		dc.enterStep(&ev, d, p, target, now)
		ev.AssigneeID = s.AppraiserID

	case ActApprove:
		dc.judge(&ev, s.StepDueAt)
		dc.enterStep(&ev, d, p, s.Step+1, now)
		backToAppraiser(&ev, s, p)

	case ActIssueResult:
		dc.judge(&ev, s.DueAt)
		ev.ResultNumber = strings.TrimSpace(cmd.ResultNumber)
		ev.ResultFileRef = strings.TrimSpace(cmd.ResultFileRef)
		ev.ResultSigned = cmd.ResultSigned
		ev.ToAgencyID, ev.ToStep, ev.StepDueAt, ev.AssigneeID = d.ReceptionAgencyID, -1, time.Time{}, 0

	case ActReturn:
		ev.ToStep, ev.AssigneeID = -1, 0

	case ActExtend:
		if err := dc.checkExtension(s, now, cmd.NewDueAt, rules); err != nil {
			return Event{}, err
		}
		ev.DueAt = cmd.NewDueAt
		// The current step (and each open inter-agency part) gets the
		// working time the extension adds, so that the people holding
		// the dossier are not judged late against the old appointment.
		dc.shiftStep(&ev, s, cmd.NewDueAt)

	case ActWithdraw, ActStop:
		ev.ToAgencyID, ev.ToStep, ev.StepDueAt, ev.ActionDueAt, ev.AssigneeID = d.ReceptionAgencyID, -1, time.Time{}, time.Time{}, 0

	case ActClose:
		sup, _ := s.OpenSupplement()
		if !now.After(sup.Deadline) {
			return Event{}, Errorf(ECONFLICT, "supplement_wait_not_over",
				"Chưa hết thời hạn bổ sung hồ sơ (đến %s); chưa thể đóng hồ sơ.", FormatDateTime(sup.Deadline))
		}
		dc.judge(&ev, sup.Deadline)
		ev.ToStep, ev.StepDueAt, ev.ActionDueAt, ev.AssigneeID = -1, time.Time{}, time.Time{}, 0
	}
	ev.normalize()
	// Who the dossier waits on afterwards is recorded with the change, as
	// its deadlines are, so that replaying the history needs no process.
	next, err := s.Apply(ev)
	if err != nil {
		return Event{}, err
	}
	after := *d
	after.Status = next
	ev.Duties = DutiesOf(&after, p)
	return ev, nil
}

// match finds the transition row for the action in the dossier's state and
// checks the actor's role at the row's place. It returns the row, the role
// the actor acts in, and the agency at which the actor holds it.
func (dc Decider) match(d *Dossier, p *Procedure, actor *User, a Action) (Transition, Role, int64, error) {
	s := &d.Status
	// An action has a few rows (at most 4 today): the lists start on the
	// stack, which every decision used to allocate three times.
	var knownBuf, inStateBuf, atStepBuf [4]Transition
	known, inState, atStep := knownBuf[:0], inStateBuf[:0], atStepBuf[:0]
	for _, t := range Transitions {
		if t.Action != a {
			continue
		}
		known = append(known, t)
		if slices.Contains(t.From, s.State) {
			inState = append(inState, t)
		}
	}
	if len(known) == 0 {
		return Transition{}, "", 0, Errorf(EINVALID, "unknown_action", "Thao tác \"%s\" không tồn tại.", a)
	}
	if len(inState) == 0 {
		return Transition{}, "", 0, Errorf(ECONFLICT, "action_not_allowed_in_state",
			"Không thể thực hiện \"%s\" khi hồ sơ đang ở trạng thái \"%s\".", a.Label(), s.State.Label())
	}
	step := currentStep(s, p)
	open, hasOpen := s.OpenSupplement()
	for _, t := range inState {
		if t.applies(d, step) {
			atStep = append(atStep, t)
		}
	}
	if len(atStep) == 0 {
		for _, t := range inState {
			if t.Channel != 0 && t.Channel != d.Channel {
				return Transition{}, "", 0, Errorf(ECONFLICT, "action_not_for_channel",
					"Thao tác \"%s\" chỉ áp dụng cho hồ sơ %s.", a.Label(), strings.ToLower(t.Channel.Label()))
			}
		}
		where := s.State.Label()
		if step != nil {
			where = "bước \"" + step.Name + "\""
		} else if hasOpen {
			where = "chờ bổ sung " + open.Stage.Label()
		}
		return Transition{}, "", 0, Errorf(ECONFLICT, "action_not_allowed_at_step",
			"Không thể thực hiện \"%s\" khi hồ sơ đang ở %s.", a.Label(), where)
	}
	var wanted []Role
	for _, t := range atStep {
		for _, r := range t.rolesAt(step) {
			wanted = append(wanted, r)
			if r == RoleSystem {
				if actor == SystemUser {
					return t, r, 0, nil
				}
				continue
			}
			for _, ag := range placesOf(d, t.Place) {
				if ag == -1 && actor.HasRole(r) {
					return t, r, 0, nil
				}
				if ag > 0 && actor.Has(r, ag) {
					if err := checkAssignee(s, step, actor, a); err != nil {
						return Transition{}, "", 0, err
					}
					return t, r, ag, nil
				}
			}
		}
	}
	var labels []string
	for _, r := range wanted {
		if r != RoleSystem && !slices.Contains(labels, r.Label()) {
			labels = append(labels, r.Label())
		}
	}
	return Transition{}, "", 0, Errorf(EFORBIDDEN, "not_permitted",
		"Bạn không có quyền thực hiện \"%s\" đối với hồ sơ này (cần vai trò: %s tại cơ quan đang giữ hồ sơ).",
		a.Label(), strings.Join(labels, " hoặc "))
}

// checkAssignee keeps an assigned appraisal with its specialist, and the
// result with the specialist who appraised (backToAppraiser).
func checkAssignee(s *Status, step *Step, actor *User, a Action) error {
	if step == nil || s.AssigneeID == 0 || s.AssigneeID == actor.ID {
		return nil
	}
	if step.Kind == StepAppraise && (a == ActForward || a == ActRequestSupplement) {
		return Errorf(EFORBIDDEN, "not_assignee", "Hồ sơ đã được phân công cho chuyên viên khác thẩm định.")
	}
	if step.Kind == StepIssue && a == ActIssueResult {
		return Errorf(EFORBIDDEN, "not_assignee", "Kết quả của hồ sơ do chuyên viên đã thẩm định hồ sơ ban hành.")
	}
	return nil
}

// currentStep returns the process step the dossier is at, or nil outside
// the process.
func currentStep(s *Status, p *Procedure) *Step {
	if s.Step >= 0 && s.Step < len(p.Process.Steps) {
		return &p.Process.Steps[s.Step]
	}
	return nil
}

// applies reports whether row t applies to dossier d at step (nil outside
// the process): its channel, its state, its step's kind and the stage of
// its open supplement request.
func (t Transition) applies(d *Dossier, step *Step) bool {
	s := &d.Status
	if !slices.Contains(t.From, s.State) {
		return false
	}
	if t.Channel != 0 && d.Channel != t.Channel {
		return false
	}
	if len(t.Steps) > 0 && (step == nil || !slices.Contains(t.Steps, step.Kind)) {
		return false
	}
	if open, ok := s.OpenSupplement(); ok && t.Stage != "" && open.Stage != t.Stage {
		return false
	}
	return true
}

// rolesAt returns the roles of row t at step: its own, or the step's when
// the row names none.
func (t Transition) rolesAt(step *Step) []Role {
	if t.Roles == nil && step != nil {
		return []Role{step.Role}
	}
	return t.Roles
}

// placesOf returns the agencies where a role is needed (-1 means anywhere).
func placesOf(d *Dossier, pl Place) []int64 {
	s := &d.Status
	switch pl {
	case AtReception:
		return []int64{d.ReceptionAgencyID}
	case AtCompetent:
		return []int64{d.CompetentAgencyID}
	case Anywhere:
		return []int64{-1}
	}
	if len(s.Parts) > 0 {
		var ids []int64
		for _, part := range s.Parts {
			if part.DoneAt.IsZero() {
				ids = append(ids, part.AgencyID)
			}
		}
		return ids
	}
	return []int64{s.AgencyID}
}

func (dc Decider) stepAgency(d *Dossier, p *Procedure, i int) int64 {
	if a := p.Process.Steps[i].AgencyID; a != 0 {
		return dc.current(a)
	}
	return d.CompetentAgencyID
}

// enterStep moves the event's dossier to step i at now, with the step's own
// deadline: its share of the working time between clock start and due,
// never later than the due time itself.
func (dc Decider) enterStep(ev *Event, d *Dossier, p *Procedure, i int, now time.Time) {
	st := p.Process.Steps[i]
	ev.ToStep = i
	ev.ToAgencyID = dc.stepAgency(d, p, i)
	ev.AssigneeID = 0
	ev.StepDueAt = dc.share(ev.ClockStartAt, ev.DueAt, st.Share, now)
	ev.Parts = nil
	for _, part := range st.Parts {
		agency := dc.current(part.AgencyID)
		if agency == 0 {
			agency = d.CompetentAgencyID
		}
		ev.Parts = append(ev.Parts, PartStatus{AgencyID: agency, DueAt: dc.share(ev.ClockStartAt, ev.DueAt, part.Share, now)})
	}
}

// backToAppraiser gives the result step (issuing, done by a specialist)
// to the specialist who appraised the dossier, rather than to every
// specialist of the agency: the one who knows the file drafts the result.
func backToAppraiser(ev *Event, s *Status, p *Procedure) {
	appraiser := s.AppraiserID
	if ev.AppraiserID != 0 {
		appraiser = ev.AppraiserID
	}
	if appraiser == 0 || ev.ToStep < 0 || ev.ToStep >= len(p.Process.Steps) {
		return
	}
	if st := p.Process.Steps[ev.ToStep]; st.Kind == StepIssue && st.Role == RoleSpecialist {
		ev.AssigneeID = appraiser
	}
}

// shiftStep moves the current step's deadline and those of its open parts
// by the working time between the old and the new appointment, never past
// the new appointment. A step due at the old appointment is due at the new.
func (dc Decider) shiftStep(ev *Event, s *Status, newDue time.Time) {
	add := dc.Calendar.WorkingBetween(s.DueAt, newDue)
	shift := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		if t.Equal(s.DueAt) {
			return newDue
		}
		if t = dc.Calendar.AddWorking(t, add); t.After(newDue) {
			return newDue
		}
		return t
	}
	ev.StepDueAt = shift(s.StepDueAt)
	if len(s.Parts) > 0 {
		ev.Parts = append([]PartStatus(nil), s.Parts...)
		for i := range ev.Parts {
			if ev.Parts[i].DoneAt.IsZero() {
				ev.Parts[i].DueAt = shift(ev.Parts[i].DueAt)
			}
		}
	}
}

func (dc Decider) share(clockStart, due time.Time, share float64, start time.Time) time.Time {
	if due.IsZero() {
		return time.Time{}
	}
	total := dc.Calendar.WorkingBetween(clockStart, due)
	budget := time.Duration(share * float64(total)).Round(time.Minute)
	t := dc.Calendar.AddWorking(dc.Calendar.NextWorkingMoment(start), budget)
	if t.After(due) {
		return due
	}
	return t
}

// due is the appointment for a dossier whose clock starts at start.
func (dc Decider) due(p *Procedure, start time.Time) time.Time {
	if p.TimeLimit == nil {
		return time.Time{}
	}
	return dc.Calendar.Due(start, *p.TimeLimit)
}

// transferDue is the deadline for handing a received dossier to the
// competent agency: the same working day, or the start of the next working
// day when received at or after the cut-off (Art.18(2)).
func (dc Decider) transferDue(at time.Time, r Rules) time.Time {
	local := at.In(dc.Calendar.Location())
	tod := ClockTime(local.Hour()*60 + local.Minute())
	if dc.Calendar.IsWorkingDay(at) && tod < r.TransferCutOff {
		return dc.Calendar.EndOfWorkingDay(at)
	}
	return dc.Calendar.AddWorking(dc.Calendar.StartOfNextWorkingDay(at), r.TransferNextDayWithin)
}

func (dc Decider) judge(ev *Event, due time.Time) {
	ev.HandoverDueAt = due
	ev.Timeliness = Judge(ev.At, due, dc.Calendar.Location())
}

// checkSupplement enforces the one-request rule, the 3-working-day limit
// after appraisal, and never asking for data the state already holds.
func (dc Decider) checkSupplement(d *Dossier, p *Procedure, now time.Time, stage Stage, missing []int64, r Rules) error {
	s := &d.Status
	scope := stage
	if r.SupplementScope == SupplementOncePerDossier {
		scope = ""
	}
	if s.SupplementsIn(scope) > 0 {
		prev := s.Supplements[len(s.Supplements)-1]
		for _, x := range s.Supplements {
			if scope == "" || x.Stage == scope {
				prev = x
			}
		}
		return Errorf(ECONFLICT, "supplement_already_requested",
			"Hồ sơ đã được yêu cầu bổ sung %s vào %s. Theo Nghị định 118/2025/NĐ-CP chỉ được yêu cầu bổ sung một lần, với hướng dẫn đầy đủ, chính xác.",
			prev.Stage.Label(), FormatDateTime(prev.RequestedAt))
	}
	if stage == StageAppraisal {
		limit := dc.Calendar.Due(s.ReceivedAt, r.AppraisalSupplementWithin)
		if now.After(limit) {
			return Errorf(ECONFLICT, "supplement_too_late",
				"Đã quá %s kể từ khi tiếp nhận (hạn %s); không được yêu cầu bổ sung hồ sơ nữa (Nghị định 118/2025/NĐ-CP, Điều 19 khoản 5).",
				r.AppraisalSupplementWithin.String(), FormatDateTime(limit))
		}
	}
	for _, id := range missing {
		i := slices.IndexFunc(p.Components, func(c Component) bool { return c.ID == id })
		if i < 0 {
			return FieldError("missing", "component_unknown", "Thành phần hồ sơ cần bổ sung không thuộc thủ tục này.")
		}
		if c := p.Components[i]; c.FromNationalDB {
			return FieldError("missing", "component_in_national_db",
				"Thành phần \""+c.Name+"\" đã có trong cơ sở dữ liệu quốc gia; không được yêu cầu người dân nộp lại (Nghị định 118/2025/NĐ-CP, Điều 5 khoản 1 điểm i).")
		}
	}
	return nil
}

// checkExtension enforces the single re-appointment made at least one
// working day before the due time (Art.19(6)), to a working day no further
// than the rules' ExtensionMax after the due time it replaces.
func (dc Decider) checkExtension(s *Status, now, newDue time.Time, r Rules) error {
	if len(s.Extensions) >= r.MaxExtensions {
		return Errorf(ECONFLICT, "extension_limit",
			"Hồ sơ đã được hẹn lại ngày trả kết quả; theo Nghị định 118/2025/NĐ-CP việc hẹn lại chỉ thực hiện không quá một lần.")
	}
	if s.DueAt.IsZero() {
		return Errorf(ECONFLICT, "no_deadline", "Thủ tục không quy định thời hạn giải quyết nên không cần gia hạn.")
	}
	if latest := dc.Calendar.Due(now, r.ExtensionLead); latest.After(s.DueAt) {
		return Errorf(ECONFLICT, "extension_too_late",
			"Phải đề nghị gia hạn chậm nhất %s trước thời hạn trả kết quả (%s); nay đã quá thời điểm đó.",
			r.ExtensionLead.String(), FormatDateTime(s.DueAt))
	}
	if newDue.IsZero() {
		return FieldError("new_due_at", "new_due_required", "Vui lòng nhập ngày hẹn trả kết quả mới.")
	}
	if !newDue.After(s.DueAt) {
		return FieldError("new_due_at", "new_due_not_later", "Ngày hẹn mới phải sau ngày hẹn hiện tại ("+FormatDateTime(s.DueAt)+").")
	}
	if latest := dc.Calendar.Due(s.DueAt, r.ExtensionMax); newDue.After(latest) {
		return FieldError("new_due_at", "new_due_too_far",
			"Ngày hẹn mới không được quá "+r.ExtensionMax.String()+" sau ngày hẹn hiện tại (chậm nhất "+FormatDateTime(latest)+").")
	}
	if !dc.Calendar.IsWorkingDay(newDue) {
		return FieldError("new_due_at", "new_due_not_working_day", "Ngày hẹn mới phải là ngày làm việc.")
	}
	return nil
}

func needsReason(a Action) bool {
	switch a {
	case ActRequestSupplement, ActRefuse, ActSendBack, ActExtend, ActWithdraw, ActStop:
		return true
	}
	return false
}

func reasonPrompt(a Action) string {
	switch a {
	case ActRequestSupplement:
		return "Vui lòng ghi rõ nội dung cần bổ sung, hoàn thiện và hướng dẫn đầy đủ một lần."
	case ActRefuse:
		return "Vui lòng ghi rõ lý do từ chối."
	case ActSendBack:
		return "Vui lòng ghi rõ lý do trả lại."
	case ActExtend:
		return "Vui lòng ghi rõ lý do chậm trễ và lời xin lỗi gửi người nộp hồ sơ."
	case ActWithdraw:
		return "Vui lòng ghi rõ yêu cầu rút hồ sơ của người nộp."
	case ActStop:
		return "Vui lòng ghi rõ lý do dừng xử lý."
	}
	return "Vui lòng ghi rõ lý do."
}
