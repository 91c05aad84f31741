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
	// a dossier. Creating a record the portal holds already is an error
	// with code ECONFLICT (the caller then updates it).
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

// TopicPortalSync is the outbox topic of the portal's record of a dossier:
// one message per event of the dossier, keyed by the dossier so that the
// portal sees its changes in order. Its payload is PortalSyncJob.
const TopicPortalSync = "dvcqg.sync"

// PortalSyncJob is the payload of a TopicPortalSync message: the record
// and the progress row are built from the dossier and its (append-only)
// history when the message is delivered.
type PortalSyncJob struct {
	DossierID int64 `json:"dossier_id"`
	Seq       int   `json:"seq"`
}

// PortalSyncState is what the portal holds of one dossier, as far as motcua
// knows: the portal's code, whether the portal forwarded it, the last event
// queued for it and the last one the portal accepted, when it first and
// last accepted, and the last refusal.
type PortalSyncState struct {
	DossierID     int64     `json:"dossier_id"`
	NationalCode  string    `json:"national_code"`
	Forwarded     bool      `json:"forwarded"`
	QueuedSeq     int       `json:"queued_seq"`
	SyncedSeq     int       `json:"synced_seq"`
	FirstSyncedAt time.Time `json:"first_synced_at,omitzero"`
	SyncedAt      time.Time `json:"synced_at,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
	LastErrorAt   time.Time `json:"last_error_at,omitzero"`
}

// InStep reports whether the portal holds every change queued for the
// dossier.
func (s *PortalSyncState) InStep() bool { return s.SyncedSeq >= s.QueuedSeq }

// PortalMessage is the record of a message received from the portal.
type PortalMessage struct {
	MessageID    string    `json:"message_id"`
	Kind         string    `json:"kind"` // "submission", "supplement", "withdrawal"
	NationalCode string    `json:"national_code"`
	ReceivedAt   time.Time `json:"received_at"`
	DossierID    int64     `json:"dossier_id,omitempty"`
	Outcome      string    `json:"outcome"`
}

// PortalSyncAgg counts, for one competent agency, the dossiers received in
// a span and those of them the portal holds (accepted at least once).
type PortalSyncAgg struct {
	AgencyID int64
	Received int64
	Synced   int64
}

// PortalSyncStore keeps what the portal holds of each dossier and the
// messages received from it.
type PortalSyncStore interface {
	// QueuePortalSync records that event seq of the dossier is queued for
	// the portal, creating its row with nationalCode and forwarded the
	// first time (later calls keep them). ECONFLICT when another dossier
	// has that national code.
	QueuePortalSync(ctx context.Context, dossierID int64, nationalCode string, forwarded bool, seq int) error
	// PortalSync returns a dossier's row; ENOTFOUND when none.
	PortalSync(ctx context.Context, dossierID int64) (*PortalSyncState, error)
	// PortalSyncByNationalCode returns the row of the dossier the portal
	// knows by code; ENOTFOUND when none.
	PortalSyncByNationalCode(ctx context.Context, code string) (*PortalSyncState, error)
	// PortalSynced records that the portal accepted event seq at at (the
	// synced sequence never goes back) and clears the last error.
	PortalSynced(ctx context.Context, dossierID int64, seq int, at time.Time) error
	// PortalSyncFailed records a refused or failed delivery.
	PortalSyncFailed(ctx context.Context, dossierID int64, errText string, at time.Time) error
	// PortalMessage returns the message received with id; ENOTFOUND when
	// none.
	PortalMessage(ctx context.Context, id string) (*PortalMessage, error)
	// RecordPortalMessage stores m; ECONFLICT when its id was seen before.
	RecordPortalMessage(ctx context.Context, m *PortalMessage) error
	// PortalMessages lists the messages received, newest first.
	PortalMessages(ctx context.Context, limit int) ([]*PortalMessage, error)
	// DossiersWithoutPortalSync lists, by id after afterID, dossiers that
	// have no row yet (for the first synchronisation of a province).
	DossiersWithoutPortalSync(ctx context.Context, afterID int64, limit int) ([]int64, error)
	// PortalSyncedIn counts per competent agency the dossiers received in
	// [from, to) and those the portal holds.
	PortalSyncedIn(ctx context.Context, from, to time.Time) ([]PortalSyncAgg, error)
	// PortalSyncHeld reports whether the portal has accepted any record.
	PortalSyncHeld(ctx context.Context) (bool, error)
}
