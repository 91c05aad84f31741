package motcua

import (
	"math"
	"strconv"
)

// StepKind is what happens at a processing step; it decides which actions
// the transition table allows there.
type StepKind string

// Step kinds, in the order a process usually runs them.
const (
	StepAssign   StepKind = "assign"   // phân công: the head assigns a specialist
	StepAppraise StepKind = "appraise" // thẩm định: the specialist examines the dossier
	StepConsult  StepKind = "consult"  // lấy ý kiến / liên thông: other agencies act
	StepReview   StepKind = "review"   // xem xét: the head checks the draft
	StepApprove  StepKind = "approve"  // phê duyệt: the leader decides
	StepIssue    StepKind = "issue"    // ban hành: the result is signed and issued
)

// Label is the Vietnamese name of the step kind.
func (k StepKind) Label() string {
	switch k {
	case StepAssign:
		return "Phân công xử lý"
	case StepAppraise:
		return "Thẩm định"
	case StepConsult:
		return "Lấy ý kiến, phối hợp liên thông"
	case StepReview:
		return "Xem xét, trình ký"
	case StepApprove:
		return "Phê duyệt"
	case StepIssue:
		return "Ban hành, trả kết quả về Một cửa"
	}
	return string(k)
}

// DefaultRole is the role that normally acts at a step of this kind.
func (k StepKind) DefaultRole() Role {
	switch k {
	case StepAssign, StepReview:
		return RoleHead
	case StepApprove:
		return RoleLeader
	}
	return RoleSpecialist
}

// StepPart is one agency's share of a parallel inter-agency step, with its
// own sub-deadline (Art.20(2)(b)). AgencyID 0 means the dossier's competent
// agency (for procedures that each commune settles).
type StepPart struct {
	AgencyID int64   `json:"agency_id"`
	Share    float64 `json:"share"`
}

// Step is one step of a procedure's internal process.
type Step struct {
	Name string   `json:"name"`
	Kind StepKind `json:"kind"`
	Role Role     `json:"role"`
	// AgencyID is where the step happens; 0 means the dossier's competent
	// agency. For a parallel step it is the lead agency.
	AgencyID int64 `json:"agency_id,omitempty"`
	// Share is the step's fraction of the dossier's total working time; it
	// sets the step's own deadline.
	Share float64 `json:"share"`
	// Parts lists the agencies that act at the same time in a parallel
	// inter-agency step. Empty for an ordinary step.
	Parts []StepPart `json:"parts,omitempty"`
}

// Process is the ordered list of steps after reception and transfer, up to
// the issue of the result; reception and return at the one-stop counter are
// implicit.
type Process struct {
	Steps []Step `json:"steps"`
}

// DefaultProcess returns the usual steps for a procedure of the given level:
// a provincial department assigns, appraises, reviews, approves and issues;
// a commune committee has no departments, so the specialist appraises and the
// leader approves directly.
func DefaultProcess(level AgencyLevel) Process {
	if level == LevelCommune {
		return Process{Steps: []Step{
			{Name: "Thẩm định hồ sơ", Kind: StepAppraise, Role: RoleSpecialist, Share: 0.6},
			{Name: "Phê duyệt", Kind: StepApprove, Role: RoleLeader, Share: 0.3},
			{Name: "Ban hành kết quả", Kind: StepIssue, Role: RoleSpecialist, Share: 0.1},
		}}
	}
	return Process{Steps: []Step{
		{Name: "Phân công xử lý", Kind: StepAssign, Role: RoleHead, Share: 0.1},
		{Name: "Thẩm định hồ sơ", Kind: StepAppraise, Role: RoleSpecialist, Share: 0.5},
		{Name: "Xem xét, trình ký", Kind: StepReview, Role: RoleHead, Share: 0.1},
		{Name: "Phê duyệt", Kind: StepApprove, Role: RoleLeader, Share: 0.2},
		{Name: "Ban hành kết quả", Kind: StepIssue, Role: RoleSpecialist, Share: 0.1},
	}}
}

// Index returns the index of the first step of kind k, or -1.
func (p Process) Index(k StepKind) int {
	for i, s := range p.Steps {
		if s.Kind == k {
			return i
		}
	}
	return -1
}

// Validate checks the process: at least one approve step followed by one
// issue step at the end, roles valid, shares in [0,1] summing to at most 1,
// parallel parts only in consult steps.
func (p Process) Validate() error {
	bad := func(msg string) error { return Errorf(EINVALID, "process_invalid", "%s", msg) }
	n := len(p.Steps)
	if n == 0 {
		return bad("Quy trình phải có ít nhất một bước.")
	}
	var sum float64
	approve := -1
	for i, s := range p.Steps {
		label := "Bước " + strconv.Itoa(i+1)
		switch s.Kind {
		case StepAssign, StepAppraise, StepConsult, StepReview, StepApprove, StepIssue:
		default:
			return bad(label + ": loại bước không hợp lệ.")
		}
		if s.Role != RoleSpecialist && s.Role != RoleHead && s.Role != RoleLeader {
			return bad(label + ": vai trò xử lý phải là chuyên viên, trưởng phòng hoặc lãnh đạo.")
		}
		if s.Kind == StepApprove && s.Role != RoleLeader && s.Role != RoleHead {
			return bad(label + ": bước phê duyệt phải do lãnh đạo hoặc trưởng phòng thực hiện.")
		}
		// Only heads and leaders assign work (the transition table).
		if s.Kind == StepAssign && s.Role != RoleLeader && s.Role != RoleHead {
			return bad(label + ": bước phân công phải do trưởng phòng hoặc lãnh đạo thực hiện.")
		}
		if s.Share < 0 || s.Share > 1 || math.IsNaN(s.Share) {
			return bad(label + ": tỷ lệ thời gian phải từ 0 đến 1.")
		}
		sum += s.Share
		if len(s.Parts) > 0 && s.Kind != StepConsult {
			return bad(label + ": chỉ bước liên thông mới có nhiều cơ quan xử lý song song.")
		}
		seen := map[int64]bool{}
		for _, part := range s.Parts {
			if seen[part.AgencyID] {
				return bad(label + ": một cơ quan được kê hai lần trong bước liên thông.")
			}
			seen[part.AgencyID] = true
			if part.Share < 0 || part.Share > 1 {
				return bad(label + ": tỷ lệ thời gian của cơ quan phối hợp phải từ 0 đến 1.")
			}
		}
		if s.Kind == StepApprove {
			if approve >= 0 {
				return bad("Quy trình chỉ có một bước phê duyệt.")
			}
			approve = i
		}
	}
	if sum > 1.0001 {
		return bad("Tổng tỷ lệ thời gian các bước vượt quá thời hạn giải quyết.")
	}
	if approve < 0 {
		return bad("Quy trình phải có bước phê duyệt.")
	}
	if approve != n-2 || p.Steps[n-1].Kind != StepIssue {
		return bad("Quy trình phải kết thúc bằng bước phê duyệt rồi bước ban hành kết quả.")
	}
	return nil
}
