package motcua

import (
	"strings"
	"time"
)

// Channel is how a dossier was submitted (KenhThucHien in the national
// portal's data: 1 direct, 2 online, 3 public post).
type Channel int

// Channels.
const (
	ChannelCounter Channel = 1
	ChannelOnline  Channel = 2
	ChannelPost    Channel = 3
)

// Valid reports whether c is a known channel.
func (c Channel) Valid() bool { return c >= ChannelCounter && c <= ChannelPost }

// Label is the Vietnamese name of the channel.
func (c Channel) Label() string {
	switch c {
	case ChannelCounter:
		return "Trực tiếp"
	case ChannelOnline:
		return "Trực tuyến"
	case ChannelPost:
		return "Dịch vụ bưu chính công ích"
	}
	return "Không rõ"
}

// ApplicantKind distinguishes people from organisations.
type ApplicantKind string

// Applicant kinds.
const (
	ApplicantCitizen      ApplicantKind = "citizen"
	ApplicantOrganization ApplicantKind = "organization"
)

// DataSource records where a value came from (prefill is recorded as such).
type DataSource string

// Data sources of applicant data.
const (
	SourceTyped        DataSource = "typed"         // typed by the officer or the applicant
	SourceIDCardQR     DataSource = "id_card_qr"    // read from the QR code of the chip-based ID card
	SourcePopulationDB DataSource = "population_db" // returned by the national population database
)

// Applicant is the person or organisation a dossier is for. OnBehalfOf names
// the person who submitted for them, when that is someone else.
type Applicant struct {
	Kind        ApplicantKind `json:"kind"`
	IDKind      IDKind        `json:"id_kind"`
	IDNumber    string        `json:"id_number"`
	FullName    string        `json:"full_name"`
	DateOfBirth string        `json:"date_of_birth,omitempty"` // YYYY-MM-DD
	Gender      string        `json:"gender,omitempty"`
	Phone       string        `json:"phone,omitempty"`
	Email       string        `json:"email,omitempty"`
	Address     string        `json:"address,omitempty"`
	OnBehalfOf  string        `json:"on_behalf_of,omitempty"`
	// Notify is how the applicant chose to be told of the dossier's
	// progress (CheckNotice, DefaultNotice); "" when no choice was made.
	Notify NoticeChoice `json:"notify,omitempty"`
	Source DataSource   `json:"source,omitempty"`
	// VNeIDVerified records that the applicant's e-ID account was
	// authenticated with VNeID (NĐ 118 Art.17(1)(a)).
	VNeIDVerified bool `json:"vneid_verified,omitempty"`
	// EIDHelped is the officer's note that they helped the applicant
	// create a level-1 e-ID account at reception (NĐ 118 Art.17(1)(a)).
	EIDHelped bool `json:"eid_helped,omitempty"`
	// Register is what the population database answered at reception,
	// set only by the service from its own lookup (never believed from a
	// client): the residence valid then and which fields it verified.
	Register *RegisterRecord `json:"register,omitempty"`
}

// WithoutPersonalData returns the applicant with only what lists show of
// them (kind, ID kind, name, where the data came from): no ID number, date
// of birth, gender, contacts, address or principal. Reading those is a view
// of personal data, which is logged.
func (a Applicant) WithoutPersonalData() Applicant {
	return Applicant{Kind: a.Kind, IDKind: a.IDKind, FullName: a.FullName, Source: a.Source, VNeIDVerified: a.VNeIDVerified}
}

// DossierComponent is one document of a dossier, checked against the
// procedure's list at reception. Name and Mandatory repeat the procedure
// version's component for readers; stores do not keep them (see
// Dossier.FillComponents).
type DossierComponent struct {
	ComponentID int64  `json:"component_id"`
	Name        string `json:"name"`
	Mandatory   bool   `json:"mandatory"`
	// Provided: the applicant submitted it (paper or file).
	Provided bool `json:"provided"`
	// FromNationalDB: the data was taken from a national database instead
	// of being asked for.
	FromNationalDB bool `json:"from_national_db"`
	// Reused: an earlier digitized result was reused.
	Reused bool `json:"reused"`
	// Digitized: the paper was scanned into a signed electronic copy.
	Digitized bool `json:"digitized"`
	// TakenFromStore: taken from the citizen's electronic data store (Kho
	// quản lý dữ liệu điện tử, Art.22(4)).
	TakenFromStore bool   `json:"taken_from_store,omitempty"`
	FileRef        string `json:"file_ref,omitempty"`
	// ReusedResult and ReusedFrom record which earlier result was reused
	// (its document number) and where it came from (ReuseSourceMotcua and
	// the dossier's code); set by the service after checking them.
	ReusedResult string `json:"reused_result,omitempty"`
	ReusedFrom   string `json:"reused_from,omitempty"`
}

// Satisfied reports whether the component needs nothing more from the
// applicant.
func (c DossierComponent) Satisfied() bool {
	return c.Provided || c.FromNationalDB || c.Reused || c.TakenFromStore
}

// DossierFee is a fee line of a dossier, in đồng. Paid and PaidOnline are
// a view of the dossier's payment records (MarkFeesPaid), filled when the
// service reads a dossier: no client sets them, and whatever a store or a
// request holds in them is overwritten.
type DossierFee struct {
	Name       string `json:"name"`
	Amount     int64  `json:"amount"`
	Paid       bool   `json:"paid"`
	PaidOnline bool   `json:"paid_online"`
}

// Dossier is an application for a procedure (hồ sơ TTHC). Its facts are set
// when it is created; its Status is derived from its events.
type Dossier struct {
	ID               int64  `json:"id"`
	Code             string `json:"code"`
	ProcedureID      int64  `json:"procedure_id"`
	ProcedureVersion int    `json:"procedure_version"`
	ProcedureCode    string `json:"procedure_code"`
	ProcedureName    string `json:"procedure_name"`

	Applicant Applicant `json:"applicant"`
	Channel   Channel   `json:"channel"`
	// Assisted marks an online submission made by an officer for a
	// citizen who cannot use the portal.
	Assisted          bool   `json:"assisted"`
	ReceptionPointID  int64  `json:"reception_point_id"`
	ReceptionAgencyID int64  `json:"reception_agency_id"`
	CompetentAgencyID int64  `json:"competent_agency_id"`
	Content           string `json:"content,omitempty"`
	// ReturnMethod is where and how the result will be returned: "counter",
	// "post" or "online" (printed on the receipt, Art.22(3)).
	ReturnMethod string             `json:"return_method"`
	Components   []DossierComponent `json:"components"`
	Fees         []DossierFee       `json:"fees"`
	// Verifier is what a citizen gives with the code to look the dossier
	// up: the last four digits of the applicant's phone, or of the ID
	// number when there is no phone. It is never shown.
	Verifier string `json:"-"`
	// LookupSecret is the long random secret of the link in the receipt's
	// QR code (LookupSecretLen characters): whoever holds the receipt
	// opens the public view without typing, and guessing it is hopeless,
	// unlike the four digits of Verifier. Empty for dossiers made before
	// it existed. It is never shown but on the receipt.
	LookupSecret string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`

	Status Status `json:"status"`
}

// FillComponents sets the names and mandatory flags of the dossier's
// components from p, the procedure version it was received under.
func (d *Dossier) FillComponents(p *Procedure) {
	for i := range d.Components {
		for _, pc := range p.Components {
			if pc.ID == d.Components[i].ComponentID {
				d.Components[i].Name, d.Components[i].Mandatory = pc.Name, pc.Mandatory
			}
		}
	}
}

// LookupSecretLen is the length of a dossier's lookup secret: 22
// characters of base64url, 128 random bits.
const LookupSecretLen = 22

// VerifierFor returns the lookup verifier of an applicant.
func VerifierFor(a Applicant) string {
	digits := func(s string) string {
		var b strings.Builder
		for _, r := range s {
			if r >= '0' && r <= '9' {
				b.WriteRune(r)
			}
		}
		return b.String()
	}
	src := digits(a.Phone)
	if len(src) < 4 {
		src = digits(a.IDNumber)
	}
	if len(src) < 4 {
		return src
	}
	return src[len(src)-4:]
}
