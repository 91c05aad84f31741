package motcua

// Action is a change a person or the system makes to a dossier.
type Action string

// Actions.
const (
	ActSubmit             Action = "submit"              // an online dossier arrives from the national portal
	ActReceive            Action = "receive"             // valid reception: the clock starts
	ActRequestSupplement  Action = "request_supplement"  // ask the applicant to complete the dossier
	ActSupplementReceived Action = "supplement_received" // the completed dossier is back: the clock restarts
	ActRefuse             Action = "refuse"              // refuse, at reception or after appraisal
	ActTransfer           Action = "transfer"            // hand over from the counter to the competent agency
	ActAssign             Action = "assign"              // the head assigns a specialist
	ActForward            Action = "forward"             // finish a step and hand over to the next
	ActSendBack           Action = "send_back"           // return the dossier to the appraisal step
	ActApprove            Action = "approve"             // the leader approves
	ActIssueResult        Action = "issue_result"        // the result is issued and sent to the counter
	ActReturn             Action = "return"              // the result is handed to the applicant
	ActExtend             Action = "extend"              // apology and new appointment (once)
	ActWithdraw           Action = "withdraw"            // the applicant withdraws
	ActStop               Action = "stop"                // processing is stopped
	ActClose              Action = "close"               // the supplement did not come in time
)

// Label is the Vietnamese name of the action, as shown on buttons and in the
// timeline.
func (a Action) Label() string {
	switch a {
	case ActSubmit:
		return "Nộp hồ sơ trực tuyến"
	case ActReceive:
		return "Tiếp nhận hồ sơ"
	case ActRequestSupplement:
		return "Yêu cầu bổ sung hồ sơ"
	case ActSupplementReceived:
		return "Nhận hồ sơ bổ sung"
	case ActRefuse:
		return "Từ chối"
	case ActTransfer:
		return "Chuyển xử lý"
	case ActAssign:
		return "Phân công xử lý"
	case ActForward:
		return "Chuyển bước tiếp theo"
	case ActSendBack:
		return "Trả lại để thẩm định lại"
	case ActApprove:
		return "Phê duyệt"
	case ActIssueResult:
		return "Ban hành kết quả"
	case ActReturn:
		return "Trả kết quả"
	case ActExtend:
		return "Xin lỗi và gia hạn"
	case ActWithdraw:
		return "Rút hồ sơ"
	case ActStop:
		return "Dừng xử lý"
	case ActClose:
		return "Đóng hồ sơ"
	case ActMerge:
		return "Chuyển cơ quan do sáp nhập"
	case ActMergeUndo:
		return "Hoàn tác sáp nhập"
	}
	return string(a)
}

// Place is the agency at which the actor of a transition must hold the role.
type Place string

// Places.
const (
	AtReception Place = "reception" // the agency of the reception point
	AtStep      Place = "step"      // the agency of the current step (or of an open part of a parallel step)
	AtCompetent Place = "competent" // the competent agency
	Anywhere    Place = "anywhere"  // the role at any agency (integration accounts)
)

// Transition is one row of the lifecycle table: action taken from one of the
// states, at a step of one of the kinds (for the processing states), by one of
// the roles held at the place, leading to a state ("" keeps the state).
// Roles nil means the role the current process step names. Stage, when set,
// restricts the row to dossiers whose open supplement request (or, for a new
// request, the stage it would open) is of that stage.
//
// Channel, when set, restricts the row to dossiers that came in by that
// channel. The rows of the integration role carry ChannelOnline: the
// national portal owns only the online dossiers it forwarded, and acts
// only on its citizens' own requests about them (submission, withdrawal),
// never on a paper dossier received at a counter or by post.
//
// Side marks a row that is not the work a dossier waits for: an exit open in
// many states (extension, withdrawal, stop), a correction (reassigning an
// appraisal), or a superior stepping in beside the step's own role (a head
// asking for a supplement, a refusal instead of the approval). Its roles may
// take it, but inboxes list a dossier only for the roles of its other rows
// (see DutiesOf).
type Transition struct {
	Action  Action
	From    []State
	Steps   []StepKind
	Stage   Stage
	Roles   []Role
	Place   Place
	Channel Channel
	To      State
	Side    bool
}

// Transitions is the single table every change of a dossier goes through.
// Decide finds the row; nothing else changes a dossier's state.
var Transitions = []Transition{
	{Action: ActSubmit, From: []State{StateNone}, Roles: []Role{RoleIntegration}, Place: Anywhere, Channel: ChannelOnline, To: StateSubmitted},
	{Action: ActReceive, From: []State{StateNone, StateSubmitted}, Roles: []Role{RoleReception}, Place: AtReception, To: StateReceived},
	{Action: ActReceive, From: []State{StateAwaitingSupplement}, Stage: StageReception, Roles: []Role{RoleReception}, Place: AtReception, To: StateReceived},
	{Action: ActRequestSupplement, From: []State{StateNone, StateSubmitted}, Stage: StageReception, Roles: []Role{RoleReception}, Place: AtReception, To: StateAwaitingSupplement},
	{Action: ActRequestSupplement, From: []State{StateProcessing}, Steps: []StepKind{StepAppraise}, Stage: StageAppraisal, Roles: []Role{RoleSpecialist, RoleHead}, Place: AtStep, To: StateAwaitingSupplement, Side: true},
	{Action: ActSupplementReceived, From: []State{StateAwaitingSupplement}, Stage: StageAppraisal, Roles: []Role{RoleReception}, Place: AtReception, To: StateProcessing},
	// The citizen's supplement to an online dossier arrives through the
	// national portal: at appraisal the work resumes with the clock from
	// zero; at reception the dossier waits again for the counter's
	// decision within the online deadline.
	{Action: ActSupplementReceived, From: []State{StateAwaitingSupplement}, Stage: StageAppraisal, Roles: []Role{RoleIntegration}, Place: Anywhere, Channel: ChannelOnline, To: StateProcessing, Side: true},
	{Action: ActSupplementReceived, From: []State{StateAwaitingSupplement}, Stage: StageReception, Roles: []Role{RoleIntegration}, Place: Anywhere, Channel: ChannelOnline, To: StateSubmitted, Side: true},
	{Action: ActRefuse, From: []State{StateNone, StateSubmitted}, Roles: []Role{RoleReception}, Place: AtReception, To: StateRejected},
	{Action: ActRefuse, From: []State{StateAwaitingSupplement}, Stage: StageReception, Roles: []Role{RoleReception}, Place: AtReception, To: StateRejected},
	{Action: ActRefuse, From: []State{StateProcessing}, Steps: []StepKind{StepApprove}, Roles: []Role{RoleLeader, RoleHead}, Place: AtStep, To: StateRefused, Side: true},
	{Action: ActTransfer, From: []State{StateReceived}, Roles: []Role{RoleReception}, Place: AtReception, To: StateProcessing},
	// The assignment step waits for its own role (a head or a leader, see
	// Process.Validate); either may also assign there, and reassign during
	// the appraisal.
	{Action: ActAssign, From: []State{StateProcessing}, Steps: []StepKind{StepAssign}, Roles: nil, Place: AtStep, To: StateProcessing},
	{Action: ActAssign, From: []State{StateProcessing}, Steps: []StepKind{StepAssign, StepAppraise}, Roles: []Role{RoleHead, RoleLeader}, Place: AtStep, To: StateProcessing, Side: true},
	{Action: ActForward, From: []State{StateProcessing}, Steps: []StepKind{StepAppraise, StepConsult, StepReview}, Roles: nil, Place: AtStep, To: StateProcessing},
	{Action: ActSendBack, From: []State{StateProcessing}, Steps: []StepKind{StepReview, StepApprove}, Roles: nil, Place: AtStep, To: StateProcessing},
	{Action: ActApprove, From: []State{StateProcessing}, Steps: []StepKind{StepApprove}, Roles: nil, Place: AtStep, To: StateApproved},
	{Action: ActIssueResult, From: []State{StateApproved}, Steps: []StepKind{StepIssue}, Roles: nil, Place: AtStep, To: StateResultReady},
	{Action: ActReturn, From: []State{StateResultReady, StateRefused}, Roles: []Role{RoleReception}, Place: AtReception, To: StateReturned},
	{Action: ActExtend, From: []State{StateReceived, StateProcessing, StateApproved}, Roles: []Role{RoleLeader, RoleHead}, Place: AtCompetent, To: "", Side: true},
	{Action: ActWithdraw, From: []State{StateSubmitted, StateReceived, StateProcessing, StateAwaitingSupplement}, Roles: []Role{RoleReception}, Place: AtReception, To: StateWithdrawn, Side: true},
	{Action: ActWithdraw, From: []State{StateSubmitted, StateReceived, StateProcessing, StateAwaitingSupplement}, Roles: []Role{RoleIntegration}, Place: Anywhere, Channel: ChannelOnline, To: StateWithdrawn, Side: true},
	{Action: ActStop, From: []State{StateReceived, StateProcessing, StateAwaitingSupplement}, Roles: []Role{RoleLeader}, Place: AtCompetent, To: StateStopped, Side: true},
	{Action: ActClose, From: []State{StateAwaitingSupplement}, Roles: []Role{RoleSystem, RoleReception}, Place: AtReception, To: StateClosed},
}
