package motcua

import (
	"context"
	"strings"
	"time"
)

// PopulationQuery asks the national population database (CSDLQG về dân
// cư) about one citizen. IDNumber is the 12-digit personal ID number
// (normalized and checked with ValidateIDNumber before it is sent);
// FullName and DateOfBirth, when given, are checked by the register
// against its record. Purpose and the officer/agency codes are sent so that
// the register's own log says who asked and why.
type PopulationQuery struct {
	RequestID   string // unique per request (MaYeuCau), at most 40 characters
	IDNumber    string
	FullName    string
	DateOfBirth string // YYYY-MM-DD or YYYY; empty: not checked
	OfficerCode string // the officer's user name (MaCanBo)
	AgencyCode  string // the agency's e-ID code (MaDonVi)
	Purpose     string
}

// RegisterAddress is an address as the register holds it: the text and
// the administrative codes of the province and the commune.
type RegisterAddress struct {
	ProvinceCode string `json:"province_code,omitempty"`
	CommuneCode  string `json:"commune_code,omitempty"`
	Detail       string `json:"detail,omitempty"` // house number, street, hamlet
	Text         string `json:"text,omitempty"`   // the whole address, for people
}

// Empty reports whether the address holds nothing.
func (a RegisterAddress) Empty() bool { return a.Text == "" && a.Detail == "" && a.CommuneCode == "" }

// Relative is a person the register links to a citizen (father, mother,
// spouse, legal representative, head of household).
type Relative struct {
	IDNumber string `json:"id_number,omitempty"`
	FullName string `json:"full_name"`
	// Relation is the relation to the head of household (quan hệ với chủ
	// hộ), only for household members and the head.
	Relation string `json:"relation,omitempty"`
}

// Citizen is what the population database answers about one person, in
// motcua's vocabulary (package popdb maps the national fields).
type Citizen struct {
	IDNumber          string          `json:"id_number"`
	OldIDNumber       string          `json:"old_id_number,omitempty"`
	TaxCode           string          `json:"tax_code,omitempty"`
	FullName          string          `json:"full_name"`
	Gender            string          `json:"gender,omitempty"` // "Nam" or "Nữ"
	DateOfBirth       string          `json:"date_of_birth"`    // YYYY-MM-DD, or YYYY when only the year is known
	Email             string          `json:"email,omitempty"`
	Ethnicity         string          `json:"ethnicity,omitempty"`
	Religion          string          `json:"religion,omitempty"`
	Nationality       string          `json:"nationality,omitempty"`
	MaritalStatus     string          `json:"marital_status,omitempty"`
	BloodType         string          `json:"blood_type,omitempty"`
	BirthRegistration RegisterAddress `json:"birth_registration"`
	HomeTown          RegisterAddress `json:"home_town"`
	Permanent         RegisterAddress `json:"permanent_residence"`
	Current           RegisterAddress `json:"current_residence"`
	Father            *Relative       `json:"father,omitempty"`
	Mother            *Relative       `json:"mother,omitempty"`
	Spouse            *Relative       `json:"spouse,omitempty"`
	Representative    *Relative       `json:"representative,omitempty"`
	HouseholdHead     *Relative       `json:"household_head,omitempty"`
	HouseholdBook     string          `json:"household_book,omitempty"`
	Deceased          bool            `json:"deceased,omitempty"`
	// EIDLevel is the level of the citizen's VNeID account: 0 none, 1 or
	// 2 (NĐ 69/2024). Not among the 23 confirmed fields: motcua's reading,
	// see docs/popdb.md.
	EIDLevel int `json:"eid_level"`
}

// Household is a household as the register holds it: its book number,
// address and members (the head among them, Relation "Chủ hộ").
type Household struct {
	Book    string          `json:"book"`
	Address RegisterAddress `json:"address"`
	Members []Relative      `json:"members"`
}

// PopulationRegister is the national population database. Both methods
// return an ENOTFOUND error when the register holds no such citizen, an
// EINVALID error when the register refuses the query, and any other error
// (wrapped as ErrRegisterUnavailable) when it cannot be reached, is too
// slow, or answers something that fails the adapter's checks (an answer
// for another person, unsigned, malformed, oversize). Implementations
// check that the answer is for the ID number asked.
type PopulationRegister interface {
	LookUpCitizen(ctx context.Context, q PopulationQuery) (*Citizen, error)
	Household(ctx context.Context, q PopulationQuery) (*Household, error)
}

// RegisterRecord is what a dossier keeps of the population database's
// answer at reception (NĐ 104/2022 Art.14: the residence valid at the
// time of the procedure): which lookup, when, the residence, which
// applicant fields were verified, and where the typed data contradicted the
// register.
type RegisterRecord struct {
	LookupID   int64           `json:"lookup_id"`
	LookedUpAt time.Time       `json:"looked_up_at"`
	Permanent  RegisterAddress `json:"permanent_residence"`
	Current    RegisterAddress `json:"current_residence"`
	// Verified names the applicant fields (full_name, date_of_birth,
	// gender, address) whose value is the register's.
	Verified []string `json:"verified,omitempty"`
	// Conflicts are the typed values the officer kept although the
	// register holds another one.
	Conflicts []FieldConflict `json:"conflicts,omitempty"`
	EIDLevel  int             `json:"eid_level"`
	// Household is the applicant's household as the register held it,
	// for procedures that need it (Component.Household).
	Household *Household `json:"household,omitempty"`
}

// FieldConflict is a typed applicant value that differs from the
// register's.
type FieldConflict struct {
	Field    string `json:"field"`
	Typed    string `json:"typed"`
	Register string `json:"register"`
}

// Applicant fields a register answer can verify, as RegisterRecord.Verified
// and FieldConflict.Field name them (the reception form's field names
// without the "applicant." prefix).
const (
	FieldFullName    = "full_name"
	FieldDateOfBirth = "date_of_birth"
	FieldGender      = "gender"
	FieldAddress     = "address"
)

// CompareWithRegister compares what an applicant's form holds with the
// register's answer c: a field equal to the register's (ignoring case and
// spacing; an address also ignoring marks and punctuation) is verified, a
// field that differs is a conflict, an empty field is neither. Names are
// compared with their marks: "Nguyen" is not "Nguyễn" on a civil-status
// paper.
func CompareWithRegister(a Applicant, c *Citizen) (verified []string, conflicts []FieldConflict) {
	same := func(x, y string) bool {
		return strings.EqualFold(strings.Join(strings.Fields(x), " "), strings.Join(strings.Fields(y), " "))
	}
	check := func(field, typed, reg string, eq func(string, string) bool) {
		switch {
		case typed == "" || reg == "":
		case eq(typed, reg):
			verified = append(verified, field)
		default:
			conflicts = append(conflicts, FieldConflict{Field: field, Typed: typed, Register: reg})
		}
	}
	check(FieldFullName, a.FullName, c.FullName, same)
	check(FieldDateOfBirth, a.DateOfBirth, c.DateOfBirth, same)
	check(FieldGender, a.Gender, c.Gender, same)
	check(FieldAddress, a.Address, c.Permanent.Text, func(x, y string) bool { return Fold(x) == Fold(y) })
	return verified, conflicts
}
