package motcua

import (
	"strconv"
	"time"
)

// ServiceLevel is how far a procedure can be done online (NĐ 42/2022 as
// amended by NĐ 118/2025).
type ServiceLevel string

// Service levels. The empty value means the level is not known (the sources
// do not say); it is shown as such and never guessed.
const (
	ServiceFull    ServiceLevel = "full"    // dịch vụ công trực tuyến toàn trình
	ServicePartial ServiceLevel = "partial" // dịch vụ công trực tuyến một phần
	ServiceInfo    ServiceLevel = "info"    // chỉ cung cấp thông tin
)

// Valid reports whether l is a known level or unknown ("").
func (l ServiceLevel) Valid() bool {
	switch l {
	case "", ServiceFull, ServicePartial, ServiceInfo:
		return true
	}
	return false
}

// Label is the Vietnamese name of the level.
func (l ServiceLevel) Label() string {
	switch l {
	case ServiceFull:
		return "Toàn trình"
	case ServicePartial:
		return "Một phần"
	case ServiceInfo:
		return "Cung cấp thông tin"
	}
	return "Chưa xác định"
}

// Component is one document of a procedure's dossier (thành phần hồ sơ).
type Component struct {
	ID        int64  `json:"id"`
	Seq       int    `json:"seq"`
	Name      string `json:"name"`
	Originals int    `json:"originals"`
	Copies    int    `json:"copies"`
	Mandatory bool   `json:"mandatory"`
	// FromNationalDB marks data held in a national or sector database
	// (population, civil status, land…): the applicant must not be asked for
	// it (NĐ 118 Art.17(1)(b), Art.5(1)(i)); staff pull it instead.
	FromNationalDB bool `json:"from_national_db"`
	// Reusable marks a document that may be an earlier digitized result,
	// reused instead of submitted again (Art.22(1)); DocTypeCode names the
	// document type to look up.
	Reusable    bool   `json:"reusable"`
	DocTypeCode string `json:"doc_type_code,omitempty"`
	// Household marks data about the applicant's household (its members
	// and head, thông tin hộ gia đình): the counter's lookup then also asks
	// the population database for the household and the dossier keeps it
	// with the residence (NĐ 104/2022 Art.14).
	Household bool `json:"household,omitempty"`
}

// NeedsHousehold reports whether a component of p is marked Household.
func (p *Procedure) NeedsHousehold() bool {
	for _, c := range p.Components {
		if c.Household {
			return true
		}
	}
	return false
}

// Fee is a charge (phí) or duty (lệ phí) of a procedure. Amount is in đồng and
// nil when the published figure is not a single amount (set by the
// provincial council, per page…); Description keeps the published text.
type Fee struct {
	Name        string `json:"name"`
	Amount      *int64 `json:"amount"`
	Description string `json:"description,omitempty"`
}

// ResultType is a kind of result the procedure issues; Code is the result
// type code of the national database when known.
type ResultType struct {
	Code string `json:"code,omitempty"`
	Name string `json:"name"`
}

// LegalDoc is a legal basis of a procedure with its validity.
type LegalDoc struct {
	Number        string     `json:"number"`
	Title         string     `json:"title,omitempty"`
	EffectiveFrom *time.Time `json:"effective_from,omitempty"`
	EffectiveTo   *time.Time `json:"effective_to,omitempty"`
}

// InForce reports whether the document is in force at t.
func (d LegalDoc) InForce(t time.Time) bool {
	if d.EffectiveFrom != nil && t.Before(*d.EffectiveFrom) {
		return false
	}
	if d.EffectiveTo != nil && !t.Before(*d.EffectiveTo) {
		return false
	}
	return true
}

// Procedure is an administrative procedure (TTHC) as the province runs it: the
// published facts from the national catalogue plus the province's process.
type Procedure struct {
	ID int64 `json:"id"`
	// Code is the national code (e.g. "1.001193"); empty when it cannot be
	// confirmed from a source.
	Code      string      `json:"code"`
	Name      string      `json:"name"`
	FieldCode string      `json:"field_code,omitempty"`
	FieldName string      `json:"field_name,omitempty"`
	Level     AgencyLevel `json:"level"`
	// AgencyID is the competent agency for procedures that one agency
	// settles (a provincial department); 0 for procedures settled by each
	// commune, where the commune is chosen at reception.
	AgencyID     int64        `json:"agency_id,omitempty"`
	ServiceLevel ServiceLevel `json:"service_level"`
	// TimeLimit is nil when the limit is not known yet: such a procedure
	// cannot receive dossiers until an administrator sets it. NoTimeLimit
	// marks procedures whose law sets no limit ("Không quy định").
	TimeLimit   *TimeLimit `json:"time_limit"`
	NoTimeLimit bool       `json:"no_time_limit,omitempty"`
	// TimeLimitText keeps the time limit as the national database words
	// it when it is not a plain amount ("1 Khác", prose): with TimeLimit
	// nil the limit is "to confirm" and the procedure cannot receive until
	// a person sets it; with TimeLimit set it records what was confirmed.
	TimeLimitText string        `json:"time_limit_text,omitempty"`
	Components    []Component   `json:"components"`
	Fees          []Fee         `json:"fees"`
	Results       []ResultType  `json:"results"`
	LegalBasis    []LegalDoc    `json:"legal_basis"`
	Process       Process       `json:"process"`
	Overrides     RuleOverrides `json:"overrides,omitzero"`
	// Attributes the QĐ 766 index needs; nil when not known (the sources
	// of the catalogue do not give them), never guessed.
	PaperResult        *bool `json:"paper_result,omitempty"`         // the result is (also) a paper document
	FullOnlineEligible *bool `json:"full_online_eligible,omitempty"` // eligible for full online service (toàn trình)
	ForCitizens        *bool `json:"for_citizens,omitempty"`         // citizens or foreigners are among its subjects
	// CertifiesCopies: the procedure certifies copies from originals
	// (chứng thực bản sao từ bản chính), whose result may be an electronic
	// certified copy (NĐ 45/2020); indicator 4.2b counts its dossiers.
	CertifiesCopies *bool `json:"certifies_copies,omitempty"`
	Published       bool  `json:"published"`
	Version         int   `json:"version"`
	// Sources records where each published fact came from.
	Sources   []string  `json:"sources,omitempty"`
	Notes     string    `json:"notes,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ExpiredAt reports whether a legal basis of p has expired (or is not yet in
// force) at t, returning the first such document.
func (p *Procedure) ExpiredAt(t time.Time) (LegalDoc, bool) {
	for _, d := range p.LegalBasis {
		if !d.InForce(t) {
			return d, true
		}
	}
	return LegalDoc{}, false
}

// CanReceive returns nil when p may receive a new dossier at t, or an error
// that says why not: unpublished, legal basis not in force, no time limit,
// or a time limit the national data gives only in words (to confirm).
func (p *Procedure) CanReceive(t time.Time) error {
	if !p.Published {
		return Errorf(ECONFLICT, "procedure_unpublished", "Thủ tục \"%s\" chưa được công bố hoặc đã bị bãi bỏ, không thể tiếp nhận hồ sơ.", p.Name)
	}
	if d, expired := p.ExpiredAt(t); expired {
		return Errorf(ECONFLICT, "procedure_legal_basis_expired", "Căn cứ pháp lý %s của thủ tục \"%s\" không còn hiệu lực; không thể tiếp nhận hồ sơ mới.", d.Number, p.Name)
	}
	if p.TimeLimit == nil && !p.NoTimeLimit && p.TimeLimitText != "" {
		return Errorf(ECONFLICT, "procedure_time_limit_to_confirm", "Thời hạn giải quyết của thủ tục \"%s\" chưa được xác nhận (dữ liệu quốc gia ghi: \"%s\"); quản trị viên cần đặt thời hạn trước khi tiếp nhận hồ sơ.", p.Name, p.TimeLimitText)
	}
	if p.TimeLimit == nil && !p.NoTimeLimit {
		return Errorf(ECONFLICT, "procedure_time_limit_missing", "Thủ tục \"%s\" chưa có thời hạn giải quyết; quản trị viên cần cập nhật trước khi tiếp nhận hồ sơ.", p.Name)
	}
	return nil
}

// Validate checks the procedure's own fields and returns an EINVALID error
// with per-field Vietnamese messages.
func (p *Procedure) Validate() error {
	fields := map[string]string{}
	if p.Name == "" {
		fields["name"] = "Chưa nhập tên thủ tục."
	}
	if p.Level != LevelProvince && p.Level != LevelCommune && p.Level != LevelVertical && p.Level != LevelMinistry {
		fields["level"] = "Cấp thực hiện không hợp lệ."
	}
	if !p.ServiceLevel.Valid() {
		fields["service_level"] = "Mức độ dịch vụ công trực tuyến không hợp lệ."
	}
	if p.TimeLimit != nil {
		if err := p.TimeLimit.Validate(); err != nil {
			fields["time_limit"] = ErrorMessage(err)
		}
	}
	for i, c := range p.Components {
		if c.Name == "" {
			fields["components"] = "Thành phần hồ sơ thứ " + strconv.Itoa(i+1) + " chưa có tên."
		}
		if c.FromNationalDB && c.Mandatory {
			fields["components"] = "Thành phần \"" + c.Name + "\" đã có trong cơ sở dữ liệu quốc gia nên không thể là giấy tờ bắt buộc nộp."
		}
	}
	for _, f := range p.Fees {
		if f.Amount != nil && *f.Amount < 0 {
			fields["fees"] = "Mức phí, lệ phí không được âm."
		}
	}
	if err := p.Process.Validate(); err != nil {
		fields["process"] = ErrorMessage(err)
	}
	if err := p.Overrides.Validate(); err != nil {
		fields["overrides"] = ErrorMessage(err)
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Reason: "procedure_invalid", Message: "Thông tin thủ tục chưa hợp lệ.", Fields: fields}
	}
	return nil
}

// FeeTotal returns the sum of the fees with a known amount.
func (p *Procedure) FeeTotal() int64 {
	var n int64
	for _, f := range p.Fees {
		if f.Amount != nil {
			n += *f.Amount
		}
	}
	return n
}
