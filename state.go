package motcua

// State is where a dossier is in its lifecycle. It is never stored on its
// own authority: it is derived from the dossier's event history.
type State string

// Dossier states (architecture.md §2).
const (
	StateNone               State = ""                      // before the first event
	StateSubmitted          State = "submitted"             // online, awaiting reception
	StateReceived           State = "received"              // received, awaiting transfer
	StateProcessing         State = "processing"            // at a process step
	StateAwaitingSupplement State = "awaiting_supplement"   // waiting for the applicant
	StateApproved           State = "approved"              // decided, result being issued
	StateRefused            State = "refused"               // refused after appraisal, notice to return
	StateResultReady        State = "result_ready"          // result at the one-stop counter
	StateReturned           State = "returned"              // result handed to the applicant
	StateWithdrawn          State = "withdrawn"             // withdrawn at the applicant's request
	StateStopped            State = "stopped"               // processing stopped
	StateClosed             State = "closed"                // supplement not completed in time
	StateRejected           State = "rejected_at_reception" // refused at reception
)

// AllStates lists every state a dossier can be in, in lifecycle order.
var AllStates = []State{StateSubmitted, StateReceived, StateProcessing, StateAwaitingSupplement,
	StateApproved, StateRefused, StateResultReady, StateReturned, StateWithdrawn, StateStopped,
	StateClosed, StateRejected}

// Valid reports whether s is a state a dossier can be in.
func (s State) Valid() bool {
	for _, x := range AllStates {
		if x == s {
			return true
		}
	}
	return false
}

// Label is the Vietnamese name of the state, as citizens and staff read it.
func (s State) Label() string {
	switch s {
	case StateSubmitted:
		return "Chờ tiếp nhận"
	case StateReceived:
		return "Đã tiếp nhận, chờ chuyển xử lý"
	case StateProcessing:
		return "Đang xử lý"
	case StateAwaitingSupplement:
		return "Chờ bổ sung hồ sơ"
	case StateApproved:
		return "Đã phê duyệt, đang ban hành kết quả"
	case StateRefused:
		return "Từ chối giải quyết"
	case StateResultReady:
		return "Đã có kết quả, chờ trả"
	case StateReturned:
		return "Đã trả kết quả"
	case StateWithdrawn:
		return "Đã rút hồ sơ"
	case StateStopped:
		return "Dừng xử lý"
	case StateClosed:
		return "Đã đóng hồ sơ (không bổ sung)"
	case StateRejected:
		return "Từ chối tiếp nhận"
	}
	return "Chưa tạo"
}

// Terminal reports whether no further action is possible.
func (s State) Terminal() bool {
	switch s {
	case StateReturned, StateWithdrawn, StateStopped, StateClosed, StateRejected:
		return true
	}
	return false
}

// Finished reports whether processing has ended (a result or a final
// decision exists), whether or not the result has been handed over.
func (s State) Finished() bool {
	switch s {
	case StateRefused, StateResultReady, StateReturned, StateWithdrawn, StateStopped, StateClosed, StateRejected:
		return true
	}
	return false
}

// Stage is the stage of processing at which a supplement is requested.
type Stage string

// Stages of a supplement request: at reception (Art.17) or after appraisal
// (Art.19(5)).
const (
	StageReception Stage = "reception"
	StageAppraisal Stage = "appraisal"
)

// Label is the Vietnamese name of the stage.
func (s Stage) Label() string {
	switch s {
	case StageReception:
		return "khi tiếp nhận"
	case StageAppraisal:
		return "sau thẩm định"
	}
	return string(s)
}
