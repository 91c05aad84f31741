package motcua

import "time"

// SupplementScope says how many supplement requests a dossier may receive.
type SupplementScope string

// Supplement scopes. The law says a request is made once
// (NĐ 118 Art.11(2)(c)); whether one at reception plus one at appraisal is
// allowed is not confirmed, so it is a setting.
const (
	SupplementOncePerStage   SupplementScope = "stage"
	SupplementOncePerDossier SupplementScope = "dossier"
)

// Rules are the time rules of NĐ 118/2025 that the lifecycle enforces. The
// defaults are the decree's values; sectoral law may override several of
// them per procedure (RuleOverrides).
type Rules struct {
	// OnlineDecision is the working time within which an online dossier
	// must be accepted or returned (8 working hours, Art.17(2)).
	OnlineDecision time.Duration
	// TransferCutOff is the time after which a paper dossier received at a
	// counter may be transferred at the start of the next working day
	// instead of the same day (15:00, Art.18(2)).
	TransferCutOff ClockTime
	// TransferNextDayWithin is how much working time "the start of the next
	// working day" allows (not defined in law; 1 working hour by default).
	TransferNextDayWithin time.Duration
	// AppraisalSupplementWithin bounds a supplement request after appraisal
	// (3 working days after reception, Art.19(5)).
	AppraisalSupplementWithin TimeLimit
	// SupplementWait is how long the applicant has to complete the dossier
	// before it is closed (15 days, Art.19(5)).
	SupplementWait TimeLimit
	// SupplementScope limits supplement requests per stage or per dossier.
	SupplementScope SupplementScope
	// ExtensionLead is the least time between an extension request and the
	// due time (1 day before the deadline, Art.19(6)).
	ExtensionLead TimeLimit
	// MaxExtensions is how often the return date may be re-appointed (once).
	MaxExtensions int
	// ExtensionMax is the longest a re-appointment may add, counted from
	// the due time it replaces. The decree sets none (Art.19(6) limits the
	// number of extensions and when they are asked, not their length), but
	// an unbounded one would let a late dossier hide from reports 06a and
	// 766 with a due date in 9999; the default, 30 working days, is a
	// setting and a per-procedure override, not a rule of law.
	ExtensionMax TimeLimit
}

// DefaultRules returns the values of NĐ 118/2025.
func DefaultRules() Rules {
	return Rules{
		OnlineDecision:            8 * time.Hour,
		TransferCutOff:            15 * 60,
		TransferNextDayWithin:     time.Hour,
		AppraisalSupplementWithin: TimeLimit{Value: 3, Unit: UnitWorkingDays},
		SupplementWait:            TimeLimit{Value: 15, Unit: UnitCalendarDays},
		SupplementScope:           SupplementOncePerStage,
		ExtensionLead:             TimeLimit{Value: 1, Unit: UnitWorkingDays},
		MaxExtensions:             1,
		ExtensionMax:              TimeLimit{Value: 30, Unit: UnitWorkingDays},
	}
}

// Validate checks the rules.
func (r Rules) Validate() error {
	switch {
	case r.OnlineDecision <= 0:
		return Errorf(EINVALID, "rules_online_decision", "Thời hạn xử lý hồ sơ trực tuyến phải lớn hơn 0.")
	case r.TransferCutOff <= 0 || r.TransferCutOff >= 24*60:
		return Errorf(EINVALID, "rules_transfer_cut_off", "Giờ chốt chuyển hồ sơ giấy không hợp lệ.")
	case r.TransferNextDayWithin <= 0:
		return Errorf(EINVALID, "rules_transfer_next_day", "Thời gian chuyển hồ sơ đầu ngày làm việc tiếp theo phải lớn hơn 0.")
	case r.SupplementScope != SupplementOncePerStage && r.SupplementScope != SupplementOncePerDossier:
		return Errorf(EINVALID, "rules_supplement_scope", "Phạm vi yêu cầu bổ sung phải là \"stage\" hoặc \"dossier\".")
	case r.MaxExtensions < 0:
		return Errorf(EINVALID, "rules_max_extensions", "Số lần gia hạn không được âm.")
	}
	for _, l := range []TimeLimit{r.AppraisalSupplementWithin, r.SupplementWait, r.ExtensionLead, r.ExtensionMax} {
		if err := l.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// RuleOverrides are the per-procedure exceptions that sectoral law allows
// (Art.17(2), Art.19(5)). A nil field keeps the general rule.
type RuleOverrides struct {
	OnlineDecisionHours       *float64   `json:"online_decision_hours,omitempty"`
	AppraisalSupplementWithin *TimeLimit `json:"appraisal_supplement_within,omitempty"`
	SupplementWait            *TimeLimit `json:"supplement_wait,omitempty"`
	// ExtensionMax bounds this procedure's re-appointments (see
	// Rules.ExtensionMax), for procedures whose delays run longer.
	ExtensionMax *TimeLimit `json:"extension_max,omitempty"`
}

// Validate checks the overrides.
func (o RuleOverrides) Validate() error {
	if o.OnlineDecisionHours != nil && *o.OnlineDecisionHours <= 0 {
		return Errorf(EINVALID, "override_online_decision", "Thời hạn xử lý hồ sơ trực tuyến phải lớn hơn 0.")
	}
	for _, l := range []*TimeLimit{o.AppraisalSupplementWithin, o.SupplementWait, o.ExtensionMax} {
		if l != nil {
			if err := l.Validate(); err != nil {
				return err
			}
		}
	}
	return nil
}

// For returns the rules that apply to procedure p.
func (r Rules) For(p *Procedure) Rules {
	o := p.Overrides
	if o.OnlineDecisionHours != nil {
		r.OnlineDecision = time.Duration(*o.OnlineDecisionHours * float64(time.Hour))
	}
	if o.AppraisalSupplementWithin != nil {
		r.AppraisalSupplementWithin = *o.AppraisalSupplementWithin
	}
	if o.SupplementWait != nil {
		r.SupplementWait = *o.SupplementWait
	}
	if o.ExtensionMax != nil {
		r.ExtensionMax = *o.ExtensionMax
	}
	return r
}
