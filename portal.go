package motcua

import (
	"context"
	"time"
)

// This file is the national public service portal (Cổng Dịch vụ công quốc
// gia, DVCQG) as motcua sees it, in motcua's own vocabulary. The portal's
// field names, service names and status codes live in its adapter
// (package dvcqg) and nowhere else, so that a province holding the official
// specification changes only that mapping.

// PortalDossier is the record of one dossier as the portal is told of it
// (created once, then updated at every change): whatever the channel, the
// province is scored on what the portal holds.
type PortalDossier struct {
	Code string // motcua's dossier code
	// NationalCode is the portal's code for a dossier it forwarded; for
	// dossiers received at a counter or by post it is Code.
	NationalCode  string
	ProcedureCode string
	ProcedureName string
	FieldCode     string
	FieldName     string
	AgencyCode    string // competent agency's e-ID code
	AgencyName    string
	Applicant     Applicant
	Summary       string
	Channel       Channel
	State         State
	// PaymentPending: fees are owed and unpaid (the portal's "financial
	// obligation" status while the dossier waits for them).
	PaymentPending bool
	// WithdrawalRequested: the citizen asked through the portal to
	// withdraw and the agency has not yet acted on it.
	WithdrawalRequested bool
	SubmittedAt         time.Time
	ReceivedAt          time.Time
	DueAt               time.Time
	RejectedAt          time.Time // refused at reception
	FinishedAt          time.Time // decided (approved, refused, stopped…)
	ReturnedAt          time.Time
	Fees                []DossierFee
	PaidOnline          bool
	// Digitized: at least one component has a digitized copy.
	Digitized     bool
	VNeIDVerified bool
	Files         []PortalFile
	Results       []PortalResult
	Supplements   []PortalSupplementRequest
}

// PortalFile is a document of a dossier as the portal lists it.
type PortalFile struct {
	ID            string // motcua's reference of the file
	Name          string
	ComponentName string
	ComponentSeq  int
	URL           string // where the portal may fetch it, if shared
	Digitized     bool
	Reused        bool
	FromStore     bool   // taken from the national store of results
	ReplacedBy    string // result code that stands in for the paper
}

// PortalResult is a result document of a dossier (GiayToKetQua).
type PortalResult struct {
	Name   string
	Number string // number and symbol (số, ký hiệu)
	Code   string // result document code in the store, when kept there
	URL    string
}

// PortalSupplementRequest is a request to complete a dossier, with the
// components it asks for.
type PortalSupplementRequest struct {
	At         time.Time
	Reason     string
	Components []string // names of the missing components
	AnsweredAt time.Time
}

// PortalProgress is one hand-over of a dossier (one row of its progress on
// the portal): who acted, for which agency, when, what was done, and the
// deadline the next holder works to.
type PortalProgress struct {
	Code         string
	NationalCode string
	Seq          int // the event's sequence number in the dossier's history
	Officer      string
	Title        string // the officer's role, in words
	Department   string // the agency the officer acted for
	At           time.Time
	Content      string // what was done, in Vietnamese
	State        State  // the dossier's state after the hand-over
	StartedAt    time.Time
	DueAt        time.Time
}

// Portal is the outbound side of the national portal. Both calls are
// idempotent on (Code) and (Code, Seq): the outbox may deliver a message
// twice after a crash. They return nil only when the portal accepted.
type Portal interface {
	// SyncDossier creates (update false) or updates the portal's record of
	// a dossier.
	SyncDossier(ctx context.Context, d *PortalDossier, update bool) error
	// SyncProgress adds one progress row.
	SyncProgress(ctx context.Context, p *PortalProgress) error
}

// PortalSubmission is an online dossier forwarded by the portal, parsed and
// verified by the adapter (the message's signature, size and fields): the
// flags it carries are the portal's word, signed, never a client's.
type PortalSubmission struct {
	MessageID     string // the portal's message identifier (replays are refused)
	NationalCode  string // the portal's dossier code: forwarding is idempotent on it
	ProcedureCode string
	AgencyCode    string // the competent agency's e-ID code
	Applicant     Applicant
	// AccountLevel is the level of the citizen's e-ID account (1 or 2)
	// the portal authenticated; 0 when not authenticated with VNeID.
	AccountLevel int
	SubmittedAt  time.Time
	Summary      string
	ReturnMethod string // "online", "post" or "counter"
	Components   []PortalComponent
	Payments     []PortalPayment // fees paid online on the portal
}

// PortalComponent is one component of a forwarded dossier.
type PortalComponent struct {
	Code       string // the portal's component code
	Name       string
	Seq        int // position in the procedure's list, when the portal gives it
	Files      []PortalUpload
	Digitized  bool
	Reused     bool   // an earlier result was reused
	FromStore  bool   // taken from the national store of results
	ReplacedBy string // result code that stands in for the paper
}

// PortalUpload is a file the citizen attached, its bytes already fetched
// and size-checked by the adapter.
type PortalUpload struct {
	Name string
	Data []byte
}

// PortalPayment is a fee paid on the portal's payment platform.
type PortalPayment struct {
	Name      string
	Amount    int64 // đồng
	PaidAt    time.Time
	Reference string // the payment platform's transaction reference
}

// PortalSupplement is a citizen's answer to a supplement request, sent
// online through the portal.
type PortalSupplement struct {
	MessageID    string
	NationalCode string
	At           time.Time
	Components   []PortalComponent
	Note         string
}

// PortalWithdrawal is a citizen's request, through the portal, to withdraw
// an online dossier.
type PortalWithdrawal struct {
	MessageID    string
	NationalCode string
	At           time.Time
	Reason       string
}

// NationalProcedure is a procedure as the national database of procedures
// publishes it (LayThuTuc), in motcua's vocabulary: Procedure holds the
// published facts (no ID, process or province settings). A time limit the
// national data gives only in words or as "N Khác" is not guessed:
// Procedure.TimeLimit stays nil and TimeLimitText keeps the words, to be
// confirmed by a person.
type NationalProcedure struct {
	Procedure     Procedure
	TimeLimitText string
	AgencyNames   []string // competent agencies as the national data names them
	Withdrawn     bool     // abolished (bãi bỏ) in the national database
	UpdatedAt     time.Time
}

// NationalProcedureRef is one line of the national list of procedures
// (LayDanhSachTTHC).
type NationalProcedureRef struct {
	Code      string
	Name      string
	Level     AgencyLevel
	FieldCode string
	UpdatedAt time.Time
	Withdrawn bool
}

// NationalAgency is an agency of the national list (LayDanhMucCoQuan).
type NationalAgency struct {
	Code       string
	Name       string
	ParentCode string
}

// NationalField is a field of procedures (lĩnh vực, LayDanhMucLinhVuc).
type NationalField struct {
	Code string
	Name string
}

// CatalogueSource is the national database of procedures.
type CatalogueSource interface {
	NationalProcedures(ctx context.Context) ([]NationalProcedureRef, error)
	// NationalProcedure returns one procedure; ENOTFOUND when the national
	// database does not know the code.
	NationalProcedure(ctx context.Context, code string) (*NationalProcedure, error)
	NationalAgencies(ctx context.Context) ([]NationalAgency, error)
	NationalFields(ctx context.Context) ([]NationalField, error)
}
