package motcua

import (
	"regexp"
)

// AgencyLevel is the administrative level of an agency under the two-level
// local government (province and commune; there is no district level).
type AgencyLevel string

// Agency levels.
const (
	LevelProvince AgencyLevel = "province" // provincial People's Committee and its departments
	LevelCommune  AgencyLevel = "commune"  // commune, ward or special zone People's Committee
	LevelVertical AgencyLevel = "vertical" // central agency located in the province (police, tax, social insurance…)
	LevelMinistry AgencyLevel = "ministry"
)

// Valid reports whether l is a known level.
func (l AgencyLevel) Valid() bool {
	switch l {
	case LevelProvince, LevelCommune, LevelVertical, LevelMinistry:
		return true
	}
	return false
}

// Label is the Vietnamese name of the level.
func (l AgencyLevel) Label() string {
	switch l {
	case LevelProvince:
		return "Cấp tỉnh"
	case LevelCommune:
		return "Cấp xã"
	case LevelVertical:
		return "Cơ quan ngành dọc"
	case LevelMinistry:
		return "Cấp bộ"
	}
	return string(l)
}

// AgencyKind says what an agency is, which decides what it may do (only
// service centres run one-stop counters by default).
type AgencyKind string

// Agency kinds.
const (
	KindProvinceCommittee AgencyKind = "province_committee" // UBND tỉnh
	KindServiceCentre     AgencyKind = "service_centre"     // Trung tâm Phục vụ hành chính công
	KindDepartment        AgencyKind = "department"         // Sở, ban, ngành
	KindCommuneCommittee  AgencyKind = "commune_committee"  // UBND xã, phường, đặc khu
	KindVerticalAgency    AgencyKind = "vertical_agency"    // cơ quan ngành dọc
)

// Valid reports whether k is a known kind.
func (k AgencyKind) Valid() bool {
	switch k {
	case KindProvinceCommittee, KindServiceCentre, KindDepartment, KindCommuneCommittee, KindVerticalAgency:
		return true
	}
	return false
}

// Agency is a public body: a competent agency, a one-stop service centre or
// both. Code is its electronic identification code (mã định danh điện tử,
// QĐ 20/2020/QĐ-TTg as amended by QĐ 09/2025/QĐ-TTg); its structure is not
// confirmed, so it is checked only against a configurable pattern.
type Agency struct {
	ID       int64       `json:"id"`
	Code     string      `json:"code"`
	Name     string      `json:"name"`
	Level    AgencyLevel `json:"level"`
	Kind     AgencyKind  `json:"kind"`
	ParentID int64       `json:"parent_id,omitempty"`
	Address  string      `json:"address,omitempty"`
	Phone    string      `json:"phone,omitempty"`
	// OneStop is true for agencies that receive and return dossiers
	// (provincial and commune service centres, and any agency that runs a
	// counter of its own).
	OneStop bool `json:"one_stop"`
}

// ReceptionPoint is a counter or office where dossiers are received: the
// centre itself, a branch, or an extra point set up by a commune.
type ReceptionPoint struct {
	ID       int64  `json:"id"`
	AgencyID int64  `json:"agency_id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Address  string `json:"address,omitempty"`
}

// DefaultAgencyCodePattern accepts both styles in use: the QCVN 102 style
// `000.00.00.H30` and the QĐ 20/2020 style `H01.151` or `H01.151.01`.
const DefaultAgencyCodePattern = `^([0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}|[A-Z][0-9]{2}(\.[0-9]{1,3}){0,3})$`

// AgencyCodeChecker validates agency e-ID codes against a pattern.
type AgencyCodeChecker struct{ re *regexp.Regexp }

// NewAgencyCodeChecker compiles pattern; an empty pattern means the default.
func NewAgencyCodeChecker(pattern string) (*AgencyCodeChecker, error) {
	if pattern == "" {
		pattern = DefaultAgencyCodePattern
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, Errorf(EINVALID, "agency_code_pattern", "Mẫu mã định danh cơ quan không hợp lệ: %v", err)
	}
	return &AgencyCodeChecker{re: re}, nil
}

// Check returns an EINVALID error when code does not match the pattern.
func (c *AgencyCodeChecker) Check(code string) error {
	if !c.re.MatchString(code) {
		return FieldError("code", "agency_code_malformed", "Mã định danh cơ quan \""+code+"\" không đúng cấu trúc quy định.")
	}
	return nil
}

// Validate checks an agency's fields (not its code pattern, which is
// configuration) and returns an EINVALID error with per-field messages.
func (a *Agency) Validate() error {
	fields := map[string]string{}
	if a.Code == "" {
		fields["code"] = "Chưa nhập mã định danh cơ quan."
	}
	if a.Name == "" {
		fields["name"] = "Chưa nhập tên cơ quan."
	}
	if !a.Level.Valid() {
		fields["level"] = "Cấp hành chính không hợp lệ."
	}
	if !a.Kind.Valid() {
		fields["kind"] = "Loại cơ quan không hợp lệ."
	}
	if a.ParentID != 0 && a.ParentID == a.ID {
		fields["parent_id"] = "Cơ quan không thể là cấp trên của chính nó."
	}
	if len(fields) > 0 {
		return &Error{Code: EINVALID, Reason: "agency_invalid", Message: "Thông tin cơ quan chưa hợp lệ.", Fields: fields}
	}
	return nil
}
