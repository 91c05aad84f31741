package api

import (
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/service"
)

// Times leave the API in Vietnam time (RFC 3339 with +07:00), the way the
// people behind the clients read them.
func vn(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(motcua.VietnamTime)
}

type agencyRef struct {
	ID   int64  `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

func refOf(agencies map[int64]*motcua.Agency, id int64) *agencyRef {
	if a, ok := agencies[id]; ok {
		return &agencyRef{ID: a.ID, Code: a.Code, Name: a.Name}
	}
	if id == 0 {
		return nil
	}
	return &agencyRef{ID: id}
}

type statusJSON struct {
	State        motcua.State        `json:"state"`
	StateLabel   string              `json:"state_label"`
	Step         int                 `json:"step"`
	StepName     string              `json:"step_name,omitempty"`
	Holder       *agencyRef          `json:"holder,omitempty"`
	AssigneeID   int64               `json:"assignee_id,omitempty"`
	SubmittedAt  time.Time           `json:"submitted_at,omitzero"`
	ReceivedAt   time.Time           `json:"received_at,omitzero"`
	ClockStartAt time.Time           `json:"clock_start_at,omitzero"`
	DueAt        time.Time           `json:"due_at,omitzero"`
	StepDueAt    time.Time           `json:"step_due_at,omitzero"`
	ActionDueAt  time.Time           `json:"action_due_at,omitzero"`
	FinishedAt   time.Time           `json:"finished_at,omitzero"`
	ReturnedAt   time.Time           `json:"returned_at,omitzero"`
	Timeliness   motcua.Timeliness   `json:"timeliness,omitempty"`
	Supplements  []motcua.Supplement `json:"supplements"`
	Extensions   []motcua.Extension  `json:"extensions"`
	ResultNumber string              `json:"result_number,omitempty"`
	// ResultFileRef is the id of the dossier's electronic result file.
	ResultFileRef string `json:"result_file_ref,omitempty"`
	// ResultSigned: that file was verified signed when stored, so the
	// result is electronic (indicator 4.1).
	ResultSigned bool                `json:"result_signed,omitempty"`
	Parts        []motcua.PartStatus `json:"parts,omitempty"`
	EventCount   int                 `json:"event_count"`
}

type eventJSON struct {
	Seq             int               `json:"seq"`
	Action          motcua.Action     `json:"action"`
	Label           string            `json:"label"`
	At              time.Time         `json:"at"`
	Actor           string            `json:"actor"`
	ActorRole       motcua.Role       `json:"actor_role"`
	From            *agencyRef        `json:"from,omitempty"`
	To              *agencyRef        `json:"to,omitempty"`
	FromState       motcua.State      `json:"from_state"`
	ToState         motcua.State      `json:"to_state"`
	DueAt           time.Time         `json:"due_at,omitzero"`
	HandoverDueAt   time.Time         `json:"handover_due_at,omitzero"`
	Timeliness      motcua.Timeliness `json:"timeliness,omitempty"`
	TimelinessLabel string            `json:"timeliness_label,omitempty"`
	Stage           motcua.Stage      `json:"stage,omitempty"`
	Reason          string            `json:"reason,omitempty"`
	ResultNumber    string            `json:"result_number,omitempty"`
}

type dossierJSON struct {
	Code             string                    `json:"code"`
	ProcedureID      int64                     `json:"procedure_id"`
	ProcedureVersion int                       `json:"procedure_version"`
	ProcedureCode    string                    `json:"procedure_code"`
	ProcedureName    string                    `json:"procedure_name"`
	Channel          motcua.Channel            `json:"channel"`
	ChannelLabel     string                    `json:"channel_label"`
	Assisted         bool                      `json:"assisted"`
	ReceptionPointID int64                     `json:"reception_point_id"`
	ReceptionAgency  *agencyRef                `json:"reception_agency"`
	CompetentAgency  *agencyRef                `json:"competent_agency"`
	Applicant        motcua.Applicant          `json:"applicant"`
	Content          string                    `json:"content,omitempty"`
	ReturnMethod     string                    `json:"return_method"`
	Components       []motcua.DossierComponent `json:"components"`
	Fees             []motcua.DossierFee       `json:"fees"`
	CreatedAt        time.Time                 `json:"created_at"`
	Status           statusJSON                `json:"status"`
	Timeline         []eventJSON               `json:"timeline,omitempty"`
	AllowedActions   []motcua.Action           `json:"allowed_actions,omitempty"`
}

func statusOf(s *motcua.Status, p *motcua.Procedure, agencies map[int64]*motcua.Agency, t motcua.Timeliness) statusJSON {
	out := statusJSON{State: s.State, StateLabel: s.State.Label(), Step: s.Step, Holder: refOf(agencies, s.AgencyID),
		AssigneeID: s.AssigneeID, SubmittedAt: vn(s.SubmittedAt), ReceivedAt: vn(s.ReceivedAt), ClockStartAt: vn(s.ClockStartAt),
		DueAt: vn(s.DueAt), StepDueAt: vn(s.StepDueAt), ActionDueAt: vn(s.ActionDueAt), FinishedAt: vn(s.FinishedAt),
		ReturnedAt: vn(s.ReturnedAt), Timeliness: t, Supplements: s.Supplements, Extensions: s.Extensions,
		ResultNumber: s.ResultNumber, ResultFileRef: s.ResultFileRef, ResultSigned: s.ResultSigned, EventCount: s.Seq}
	out.Supplements = make([]motcua.Supplement, len(s.Supplements))
	for i, x := range s.Supplements {
		x.RequestedAt, x.Deadline, x.CompletedAt = vn(x.RequestedAt), vn(x.Deadline), vn(x.CompletedAt)
		out.Supplements[i] = x
	}
	out.Extensions = make([]motcua.Extension, len(s.Extensions))
	for i, x := range s.Extensions {
		x.At, x.OldDue, x.NewDue = vn(x.At), vn(x.OldDue), vn(x.NewDue)
		out.Extensions[i] = x
	}
	out.Parts = make([]motcua.PartStatus, len(s.Parts))
	for i, x := range s.Parts {
		x.DueAt, x.DoneAt = vn(x.DueAt), vn(x.DoneAt)
		out.Parts[i] = x
	}
	if len(out.Parts) == 0 {
		out.Parts = nil
	}
	if p != nil && s.Step >= 0 && s.Step < len(p.Process.Steps) {
		out.StepName = p.Process.Steps[s.Step].Name
	}
	return out
}

func dossierOf(d *motcua.Dossier, p *motcua.Procedure, agencies map[int64]*motcua.Agency, t motcua.Timeliness) dossierJSON {
	out := dossierJSON{Code: d.Code, ProcedureID: d.ProcedureID, ProcedureVersion: d.ProcedureVersion,
		ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName, Channel: d.Channel, ChannelLabel: d.Channel.Label(),
		Assisted: d.Assisted, ReceptionPointID: d.ReceptionPointID, ReceptionAgency: refOf(agencies, d.ReceptionAgencyID),
		CompetentAgency: refOf(agencies, d.CompetentAgencyID), Applicant: d.Applicant, Content: d.Content,
		ReturnMethod: d.ReturnMethod, Components: d.Components, Fees: d.Fees, CreatedAt: vn(d.CreatedAt),
		Status: statusOf(&d.Status, p, agencies, t)}
	if out.Components == nil {
		out.Components = []motcua.DossierComponent{}
	}
	if out.Fees == nil {
		out.Fees = []motcua.DossierFee{}
	}
	return out
}

func viewOf(v *service.DossierView) dossierJSON {
	out := dossierOf(v.Dossier, v.Procedure, v.Agencies, v.Result)
	for _, e := range v.Events {
		out.Timeline = append(out.Timeline, eventJSON{Seq: e.Seq, Action: e.Action, Label: e.Action.Label(), At: vn(e.At),
			Actor: e.ActorName, ActorRole: e.ActorRole, From: refOf(v.Agencies, e.FromAgencyID), To: refOf(v.Agencies, e.ToAgencyID),
			FromState: e.FromState, ToState: e.ToState, DueAt: vn(e.DueAt), HandoverDueAt: vn(e.HandoverDueAt),
			Timeliness: e.Timeliness, TimelinessLabel: labelIf(e.Timeliness), Stage: e.Stage, Reason: e.Reason,
			ResultNumber: e.ResultNumber})
	}
	out.AllowedActions = v.Allowed
	if out.AllowedActions == nil {
		out.AllowedActions = []motcua.Action{}
	}
	return out
}

func labelIf(t motcua.Timeliness) string {
	if t == "" {
		return ""
	}
	return t.Label()
}

type procedureSummary struct {
	ID            int64               `json:"id"`
	Code          string              `json:"code"`
	Name          string              `json:"name"`
	FieldName     string              `json:"field_name,omitempty"`
	Level         motcua.AgencyLevel  `json:"level"`
	ServiceLevel  motcua.ServiceLevel `json:"service_level"`
	TimeLimit     *motcua.TimeLimit   `json:"time_limit"`
	TimeLimitText string              `json:"time_limit_text"`
	Published     bool                `json:"published"`
	Version       int                 `json:"version"`
	// Receivable is false when a counter may not receive a dossier for
	// the procedure now; NotReceivable says why and who must act.
	Receivable    bool               `json:"receivable"`
	NotReceivable *notReceivableJSON `json:"not_receivable,omitempty"`
}

// notReceivableJSON is service.ReceiveBlock on the wire.
type notReceivableJSON struct {
	Reason      string `json:"reason"`
	Message     string `json:"message"`
	Responsible string `json:"responsible"`
}

func summaryOf(p *motcua.Procedure) procedureSummary {
	s := procedureSummary{ID: p.ID, Code: p.Code, Name: p.Name, FieldName: p.FieldName, Level: p.Level,
		ServiceLevel: p.ServiceLevel, TimeLimit: p.TimeLimit, Published: p.Published, Version: p.Version}
	switch {
	case p.TimeLimit != nil:
		s.TimeLimitText = p.TimeLimit.String()
	case p.NoTimeLimit:
		s.TimeLimitText = "Không quy định"
	case p.TimeLimitText != "":
		s.TimeLimitText = "Cần xác nhận — dữ liệu quốc gia ghi: \"" + p.TimeLimitText + "\""
	default:
		s.TimeLimitText = "Chưa có dữ liệu"
	}
	return s
}

type userJSON struct {
	ID       int64          `json:"id"`
	Username string         `json:"username"`
	FullName string         `json:"full_name"`
	Title    string         `json:"title,omitempty"`
	Grants   []motcua.Grant `json:"grants"`
}

func userOf(u *motcua.User) userJSON {
	g := u.Grants
	if g == nil {
		g = []motcua.Grant{}
	}
	return userJSON{ID: u.ID, Username: u.Username, FullName: u.FullName, Title: u.Title, Grants: g}
}
