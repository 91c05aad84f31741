package motcua

import (
	"fmt"
	"time"
)

// Supplement is one supplement request with the pause it caused.
type Supplement struct {
	Stage       Stage     `json:"stage"`
	RequestedAt time.Time `json:"requested_at"`
	// Deadline is when the dossier will be closed if the supplement has not
	// come (15 days by default).
	Deadline    time.Time `json:"deadline"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
	Reason      string    `json:"reason"`
	Missing     []int64   `json:"missing,omitempty"`
}

// Extension is the (single) re-appointment of the return date, with the
// apology that must accompany it.
type Extension struct {
	At     time.Time `json:"at"`
	OldDue time.Time `json:"old_due"`
	NewDue time.Time `json:"new_due"`
	Reason string    `json:"reason"`
}

// PartStatus is one agency's part of a parallel inter-agency step.
type PartStatus struct {
	AgencyID int64     `json:"agency_id"`
	DueAt    time.Time `json:"due_at,omitzero"`
	DoneAt   time.Time `json:"done_at,omitzero"`
}

// Status is the state of a dossier derived from its events. Times are zero
// when not (yet) set.
type Status struct {
	State State `json:"state"`
	// Step is the index of the current process step, -1 outside processing
	// (also while the dossier waits at the counter).
	Step int `json:"step"`
	// AgencyID is the agency that holds the dossier now.
	AgencyID int64 `json:"agency_id"`
	// AssigneeID is the person who must act now (0: anyone with the role).
	AssigneeID int64 `json:"assignee_id,omitempty"`
	// AppraiserID is the specialist assigned to appraise the dossier.
	AppraiserID int64        `json:"appraiser_id,omitempty"`
	Parts       []PartStatus `json:"parts,omitempty"`

	SubmittedAt time.Time `json:"submitted_at,omitzero"`
	ReceivedAt  time.Time `json:"received_at,omitzero"`
	// ClockStartAt is when the processing time started to run: valid
	// reception, or the arrival of the supplement after appraisal.
	ClockStartAt time.Time `json:"clock_start_at,omitzero"`
	// DueAt is the appointment for the result (hẹn trả).
	DueAt         time.Time `json:"due_at,omitzero"`
	StepStartedAt time.Time `json:"step_started_at,omitzero"`
	StepDueAt     time.Time `json:"step_due_at,omitzero"`
	// ActionDueAt is the deadline of the pending counter-side duty: the
	// decision on an online dossier, the transfer of a received dossier, or
	// the closing of a dossier whose supplement has not come.
	ActionDueAt time.Time `json:"action_due_at,omitzero"`
	FinishedAt  time.Time `json:"finished_at,omitzero"`
	ReturnedAt  time.Time `json:"returned_at,omitzero"`

	Supplements  []Supplement `json:"supplements,omitempty"`
	Extensions   []Extension  `json:"extensions,omitempty"`
	ResultNumber string       `json:"result_number,omitempty"`
	// ResultFileRef names the electronic result file.
	ResultFileRef string `json:"result_file_ref,omitempty"`
	// ResultSigned reports that the result was issued with an electronic
	// file verified valid signed when stored (Command.ResultSigned): the
	// electronic results indicator 4.1 (and 4.2b) counts.
	ResultSigned bool `json:"result_signed,omitempty"`
	// Duties are whom the dossier waits on now (DutiesOf), as recorded by
	// the last event; nil for histories written before they were recorded.
	Duties []Duty `json:"duties,omitempty"`
	// Seq is the number of events applied.
	Seq int `json:"seq"`
	// Report holds what the reports read; it is derived (ReportFactsOf)
	// and kept in columns, not in the history.
	Report ReportFacts `json:"-"`
}

// OpenSupplement returns the supplement request still waiting, if any.
func (s *Status) OpenSupplement() (*Supplement, bool) {
	if s.State != StateAwaitingSupplement || len(s.Supplements) == 0 {
		return nil, false
	}
	return &s.Supplements[len(s.Supplements)-1], true
}

// SupplementsIn counts the supplement requests of a stage ("" counts all).
func (s *Status) SupplementsIn(stage Stage) int {
	n := 0
	for _, x := range s.Supplements {
		if stage == "" || x.Stage == stage {
			n++
		}
	}
	return n
}

// Result returns the verdict on the dossier: for finished ones, how the
// finish compares with the appointment; for pending ones, whether they are
// overdue at now. A dossier waiting for a supplement is within time: its
// clock is paused.
func (s *Status) Result(now time.Time, loc *time.Location) Timeliness {
	switch {
	case s.State == StateNone || s.State == StateSubmitted:
		return ""
	case s.State.Finished():
		return Judge(s.FinishedAt, s.DueAt, loc)
	case s.State == StateAwaitingSupplement:
		return WithinTime
	}
	return Pending(now, s.DueAt)
}

// Event is one entry of a dossier's append-only history. It records who did
// what and when, and every value the change produced (deadlines included),
// so that replaying the history gives the status back without consulting
// the calendar again.
type Event struct {
	ID        int64     `json:"id"`
	DossierID int64     `json:"dossier_id"`
	Seq       int       `json:"seq"`
	Action    Action    `json:"action"`
	At        time.Time `json:"at"`

	ActorID       int64  `json:"actor_id"`
	ActorName     string `json:"actor_name"`
	ActorRole     Role   `json:"actor_role"`
	ActorAgencyID int64  `json:"actor_agency_id"`

	FromState    State `json:"from_state"`
	ToState      State `json:"to_state"`
	FromAgencyID int64 `json:"from_agency_id"`
	ToAgencyID   int64 `json:"to_agency_id"`
	FromStep     int   `json:"from_step"`
	ToStep       int   `json:"to_step"`
	AssigneeID   int64 `json:"assignee_id,omitempty"`

	// Deadlines in force after the event.
	ClockStartAt time.Time `json:"clock_start_at,omitzero"`
	DueAt        time.Time `json:"due_at,omitzero"`
	StepDueAt    time.Time `json:"step_due_at,omitzero"`
	ActionDueAt  time.Time `json:"action_due_at,omitzero"`

	// HandoverDueAt is the deadline the work finished by this event was
	// measured against, and Timeliness the verdict.
	HandoverDueAt time.Time  `json:"handover_due_at,omitzero"`
	Timeliness    Timeliness `json:"timeliness,omitempty"`

	Stage   Stage   `json:"stage,omitempty"`
	Reason  string  `json:"reason,omitempty"`
	Missing []int64 `json:"missing,omitempty"`
	// AppraiserID is the specialist who finished the appraisal step of a
	// process with no assignment step (set on that forward).
	AppraiserID int64 `json:"appraiser_id,omitempty"`
	// Supplied are the components that arrived with a supplement.
	Supplied      []int64 `json:"supplied,omitempty"`
	ResultNumber  string  `json:"result_number,omitempty"`
	ResultFileRef string  `json:"result_file_ref,omitempty"`
	// ResultSigned: the result file was signed (Command.ResultSigned).
	ResultSigned bool         `json:"result_signed,omitempty"`
	Parts        []PartStatus `json:"parts,omitempty"`
	PartAgencyID int64        `json:"part_agency_id,omitempty"`
	// Duties are whom the dossier waits on after the event (DutiesOf).
	Duties []Duty `json:"duties,omitempty"`
	// MergerID names the merger of agencies that wrote the event
	// (ActMerge, ActMergeUndo).
	MergerID int64 `json:"merger_id,omitempty"`
}

// normalize stores every instant in UTC, whatever zone computed it, so that
// stored histories compare equal however they were produced.
func (e *Event) normalize() {
	for _, t := range []*time.Time{&e.At, &e.ClockStartAt, &e.DueAt, &e.StepDueAt, &e.ActionDueAt, &e.HandoverDueAt} {
		*t = t.UTC()
	}
	for i := range e.Parts {
		e.Parts[i].DueAt, e.Parts[i].DoneAt = e.Parts[i].DueAt.UTC(), e.Parts[i].DoneAt.UTC()
	}
}

// Apply returns the status after event e. It checks only that e continues
// the history (sequence and state); the rules were checked by Decide.
func (s Status) Apply(e Event) (Status, error) {
	if e.Seq != s.Seq+1 {
		return s, fmt.Errorf("apply event: seq %d after %d", e.Seq, s.Seq)
	}
	if e.FromState != s.State {
		return s, fmt.Errorf("apply event %d (%s): from state %q but status is %q", e.Seq, e.Action, e.FromState, s.State)
	}
	prev := s
	s.Seq = e.Seq
	s.Report = ReportFacts{} // stale once the status moves on; see ReportFactsOf
	s.State = e.ToState
	s.Step = e.ToStep
	s.AgencyID = e.ToAgencyID
	s.AssigneeID = e.AssigneeID
	s.ClockStartAt = e.ClockStartAt
	s.DueAt = e.DueAt
	s.StepDueAt = e.StepDueAt
	s.ActionDueAt = e.ActionDueAt
	if e.ToStep != prev.Step || e.ToState != prev.State {
		s.StepStartedAt = e.At
	}
	// Copy slices so that statuses never share backing arrays.
	s.Supplements = append([]Supplement(nil), prev.Supplements...)
	s.Extensions = append([]Extension(nil), prev.Extensions...)
	s.Duties = append([]Duty(nil), e.Duties...)
	if e.Parts != nil {
		s.Parts = append([]PartStatus(nil), e.Parts...)
	} else if e.ToStep != prev.Step {
		s.Parts = nil
	} else {
		s.Parts = append([]PartStatus(nil), prev.Parts...)
	}

	switch e.Action {
	case ActSubmit:
		s.SubmittedAt = e.At
	case ActReceive:
		s.ReceivedAt = e.At
		if prev.State == StateAwaitingSupplement && len(s.Supplements) > 0 {
			s.Supplements[len(s.Supplements)-1].CompletedAt = e.At
		}
	case ActRequestSupplement:
		s.Supplements = append(s.Supplements, Supplement{Stage: e.Stage, RequestedAt: e.At,
			Deadline: e.ActionDueAt, Reason: e.Reason, Missing: e.Missing})
	case ActSupplementReceived:
		if len(s.Supplements) > 0 {
			s.Supplements[len(s.Supplements)-1].CompletedAt = e.At
		}
	case ActAssign:
		s.AppraiserID = e.AssigneeID
	case ActForward:
		if e.AppraiserID != 0 {
			s.AppraiserID = e.AppraiserID
		}
		if e.PartAgencyID != 0 {
			for i := range s.Parts {
				if s.Parts[i].AgencyID == e.PartAgencyID {
					s.Parts[i].DoneAt = e.At
				}
			}
		}
	case ActExtend:
		s.Extensions = append(s.Extensions, Extension{At: e.At, OldDue: prev.DueAt, NewDue: e.DueAt, Reason: e.Reason})
	case ActIssueResult:
		s.FinishedAt = e.At
		s.ResultNumber, s.ResultFileRef, s.ResultSigned = e.ResultNumber, e.ResultFileRef, e.ResultSigned
	case ActReturn:
		s.ReturnedAt = e.At
	case ActRefuse, ActWithdraw, ActStop, ActClose:
		s.FinishedAt = e.At
	}
	return s, nil
}

// Replay derives a status from a complete history, oldest event first.
func Replay(events []Event) (Status, error) {
	s := Status{Step: -1}
	for _, e := range events {
		var err error
		if s, err = s.Apply(e); err != nil {
			return s, err
		}
	}
	return s, nil
}

// FarFuture stands for "no deadline" where an instant must sort last.
var FarFuture = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)

// NextDueAt is the deadline that matters to whoever holds the dossier now:
// the counter's pending duty, else the current step's deadline, else the
// appointment; FarFuture when there is none (finished dossiers included).
func (s *Status) NextDueAt() time.Time {
	switch {
	case s.State.Terminal() || s.State == StateNone:
		return FarFuture
	case !s.ActionDueAt.IsZero():
		return s.ActionDueAt
	case !s.StepDueAt.IsZero():
		return s.StepDueAt
	case !s.DueAt.IsZero() && !s.State.Finished():
		return s.DueAt
	}
	return FarFuture
}
