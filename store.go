package motcua

import (
	"context"
	"time"
)

// Store gives transactional access to everything motcua keeps. The service
// layer owns transaction boundaries: each use case runs in one Read or
// Write.
type Store interface {
	// Read runs fn against a consistent read-only snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// Write runs fn in a read-write transaction. When Write returns nil
	// the changes are durable: they survive a crash of the process or of
	// the machine. When fn returns an error nothing it wrote is kept and
	// Write returns that error. fn may be retried, so it must not have
	// effects outside the transaction.
	Write(ctx context.Context, fn func(Tx) error) error
}

// Tx is one transaction. Methods that find one thing return an ENOTFOUND
// error when it does not exist, never (nil, nil).
type Tx interface {
	AgencyStore
	ProcedureStore
	UserStore
	DossierStore
	DossierFileStore
	AuditStore
	AuditChainStore
	TwoFactorStore
	CalendarStore
	ReportStore
	OutboxStore
	WarningStore
	PortalSyncStore
	PopulationLookupStore
	ApplicantDossierStore
	CatalogueImportStore
	PaymentStore
	RatingStore
	FeedbackStore
	ProcedureVersionStore
	QueueStore
	WorkloadStore
	CitizenSessionStore
	PersonalResultStore
	DossierWarningStore
	NoticeTemplateStore
	MergerStore
	ScanTextStore
	StandingStore
}

// AgencyStore keeps agencies and reception points.
type AgencyStore interface {
	Agency(ctx context.Context, id int64) (*Agency, error)
	AgencyByCode(ctx context.Context, code string) (*Agency, error)
	Agencies(ctx context.Context) ([]*Agency, error)
	// CreateAgency sets a.ID. ECONFLICT when the code exists.
	CreateAgency(ctx context.Context, a *Agency) error
	UpdateAgency(ctx context.Context, a *Agency) error
	ReceptionPoint(ctx context.Context, id int64) (*ReceptionPoint, error)
	ReceptionPoints(ctx context.Context, agencyID int64) ([]*ReceptionPoint, error)
	// CreateReceptionPoint sets p.ID. ECONFLICT when the code exists.
	CreateReceptionPoint(ctx context.Context, p *ReceptionPoint) error
}

// ProcedureFilter selects procedures. Query is matched against the folded
// (diacritic- and case-insensitive) name and code.
type ProcedureFilter struct {
	Query         string
	Level         AgencyLevel
	FieldCode     string
	PublishedOnly bool
	Limit         int
	Offset        int
}

// ProcedureStore keeps the catalogue. Every change is a new version; the
// versions dossiers were received under stay readable.
type ProcedureStore interface {
	Procedure(ctx context.Context, id int64) (*Procedure, error)
	ProcedureByCode(ctx context.Context, code string) (*Procedure, error)
	ProcedureVersion(ctx context.Context, id int64, version int) (*Procedure, error)
	// CurrentVersion returns the version number of a procedure's current
	// version, so that callers can use a cache of (immutable) versions.
	CurrentVersion(ctx context.Context, id int64) (int, error)
	FindProcedures(ctx context.Context, f ProcedureFilter) ([]*Procedure, error)
	// CreateProcedure sets p.ID and component IDs and stores version 1.
	CreateProcedure(ctx context.Context, p *Procedure) error
	// UpdateProcedure stores p as version p.Version+1 and sets p.Version.
	// ECONFLICT when p.Version is not the stored current version.
	UpdateProcedure(ctx context.Context, p *Procedure) error
}

// UserFilter selects users.
type UserFilter struct {
	AgencyID int64
	Role     Role
}

// UserStore keeps accounts and sessions.
type UserStore interface {
	User(ctx context.Context, id int64) (*User, error)
	UserByUsername(ctx context.Context, username string) (*User, error)
	Users(ctx context.Context, f UserFilter) ([]*User, error)
	// CreateUser sets u.ID. ECONFLICT when the username exists.
	CreateUser(ctx context.Context, u *User) error
	UpdateUser(ctx context.Context, u *User) error
	CreateSession(ctx context.Context, s *Session) error
	// Session returns the session with the token hash if it has not
	// expired at now.
	Session(ctx context.Context, tokenHash []byte, now time.Time) (*Session, error)
	DeleteSession(ctx context.Context, tokenHash []byte) error
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
	// UserSessions lists the user's sessions that have not expired at
	// now, newest first.
	UserSessions(ctx context.Context, userID int64, now time.Time) ([]*Session, error)
	// DeleteUserSessions ends every session of the user except the one
	// whose token hash is keep (nil: every one); it returns how many.
	DeleteUserSessions(ctx context.Context, userID int64, keep []byte) (int, error)
}

// DossierFilter selects dossiers for inboxes and lists. Results come in the
// order of NextDueAt, then ID; After continues a page (keyset pagination).
// The conditions combine with AND.
type DossierFilter struct {
	// Duties, when not nil, selects the dossiers that wait on one of
	// these duties now (Status.Duties): an inbox. Empty selects nothing.
	Duties []Duty
	// HolderAgencyIDs selects the unfinished dossiers (no FinishedAt) held
	// now by one of these agencies: a finished dossier is held by nobody,
	// its holder is only who settled it last.
	HolderAgencyIDs []int64
	// InvolvedAgencyIDs selects dossiers received at, settled by or held
	// by one of these agencies.
	InvolvedAgencyIDs []int64
	AssigneeID        int64
	States            []State
	ProcedureID       int64
	Channel           Channel
	After             *DossierCursor
	Limit             int
	// Brief lets the store leave out what a list of dossiers never shows
	// (the inbox): their components, fees, content, return method and
	// lookup secret, the applicant's details other than ID number and
	// name, and the status's duties, supplements, extensions, appraiser
	// and result may be empty in the dossiers returned (its columns and
	// inter-agency parts are there). Decoding them was most of the cost of
	// reading an inbox page's fifty dossiers.
	Brief bool
}

// DossierCursor is the position after the last dossier of a page.
type DossierCursor struct {
	NextDueAt time.Time
	ID        int64
}

// PublicRecord is the part of a dossier the public lookup may show, with
// its verifier to check against, and its history reduced to what happened,
// when, where and whether on time.
type PublicRecord struct {
	ID                int64
	Code              string
	Verifier          string
	Secret            string // Dossier.LookupSecret
	ProcedureCode     string
	ProcedureName     string
	CompetentAgencyID int64
	Status            Status // State and the times; no step, assignee or history
	Events            []PublicEvent
}

// PublicEvent is one line of the public timeline.
type PublicEvent struct {
	At         time.Time
	Action     Action
	AgencyID   int64
	Timeliness Timeliness
}

// IdempotencyRecord remembers the dossier a request created, so that a
// client that retries with the same key gets the same dossier back.
type IdempotencyRecord struct {
	UserID      int64
	Key         string
	RequestHash []byte
	DossierID   int64
	CreatedAt   time.Time
}

// DossierStore keeps dossiers and their histories.
type DossierStore interface {
	// ImportHistory stores a dossier whose Status is the result of events,
	// with those events and its files, each file's record right after the
	// event it followed (HistoryFile), as the service stores them (bulk
	// loads). An issue_result event with no ResultFileRef names the newest
	// signed result file stored before it, as the service's issue_result
	// does: its ResultFileRef, and the status's, become that file's id. An
	// event claiming a signed result (ResultSigned) with no such file is
	// refused, nothing stored. Sets d.ID, the events' DossierID and the
	// files' ID and DossierID.
	ImportHistory(ctx context.Context, d *Dossier, events []Event, files []HistoryFile) error
	// ImportHistories stores several histories in this order, each as
	// ImportHistory would (the same rows, the same checks), in fewer
	// round trips: a bulk load's batch. Every history is checked before
	// anything is written; an error leaves the transaction to be rolled
	// back (Write keeps nothing of it), never a part of the batch.
	ImportHistories(ctx context.Context, hs []HistoryImport) error
	// DossierRecord returns the dossier with code and, as Events,
	// DossierFiles, PortalSync, DossierPayments and DossierWarningsOf
	// return them, those of its events, files, national portal state (nil
	// when none), payments and warnings that parts choose (RecordAll: what
	// the dossier's page shows), read at once; the parts not chosen are
	// nil. ENOTFOUND (dossier_not_found) when no dossier has the code.
	DossierRecord(ctx context.Context, code string, parts RecordParts) (*DossierRecord, error)
	// CodeSeqs returns every code sequence's last number.
	CodeSeqs(ctx context.Context) (map[string]int, error)
	// SetCodeSeq raises a code sequence's last number to n (never lowers).
	SetCodeSeq(ctx context.Context, key string, n int) error
	// NextCodeSeq returns the next number of the sequence key (1, 2, …).
	// Numbers are never skipped: a rolled-back transaction gives its
	// number back.
	NextCodeSeq(ctx context.Context, key string) (int, error)
	// CreateDossier stores d's facts with its first event e (whose
	// DossierID it sets) and the status after it; sets d.ID and e.ID.
	// ECONFLICT when the code exists.
	CreateDossier(ctx context.Context, d *Dossier, e *Event) error
	// CreateNumberedDossier is CreateDossier for a dossier that takes the
	// next number of the sequence key: d.Code is render(number) once the
	// transaction commits (when Write returns nil). The store chooses when
	// to draw. PostgreSQL, where the sequence row stays locked until
	// commit, draws the numbers of all the transactions it commits
	// together at the very end, in the order of their keys, so that
	// concurrent intakes wait the least and never deadlock on sequence
	// rows; until then d.Code is a provisional value, so fn must not use
	// it.
	CreateNumberedDossier(ctx context.Context, d *Dossier, e *Event, key string, render func(seq int) string) error
	Dossier(ctx context.Context, id int64) (*Dossier, error)
	DossierByCode(ctx context.Context, code string) (*Dossier, error)
	// AppendEvent appends e to dossier e.DossierID and stores status as its
	// derived state; sets e.ID. ECONFLICT when an event with e.Seq exists
	// (someone else changed the dossier first).
	AppendEvent(ctx context.Context, e *Event, status *Status) error
	// SetDossierComponents replaces the components of dossier id (what
	// the applicant has handed in), e.g. when a supplement arrives.
	SetDossierComponents(ctx context.Context, id int64, cs []DossierComponent) error
	// Events returns a dossier's history, oldest first.
	Events(ctx context.Context, dossierID int64) ([]Event, error)
	FindDossiers(ctx context.Context, f DossierFilter) ([]*Dossier, error)
	// PublicDossier returns what the public lookup shows of the dossier
	// with code, read from plain columns (no personal data is read).
	PublicDossier(ctx context.Context, code string) (*PublicRecord, error)
	// DossiersAwaitingClosure returns dossiers waiting for a supplement
	// whose deadline is before now, up to limit.
	DossiersAwaitingClosure(ctx context.Context, now time.Time, limit int) ([]*Dossier, error)
	Idempotency(ctx context.Context, userID int64, key string) (*IdempotencyRecord, error)
	SaveIdempotency(ctx context.Context, r *IdempotencyRecord) error
	// DossierTimings returns the timings of the dossiers validly received
	// before to that had not finished before from (unfinished ones
	// included), for progress figures.
	DossierTimings(ctx context.Context, from, to time.Time) ([]DossierTiming, error)
	// DossierBook returns the dossiers of a tracking book (see BookFilter).
	DossierBook(ctx context.Context, f BookFilter) ([]*Dossier, error)
}

// AuditEntry records an access to personal data or a security event.
type AuditEntry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	UserID    int64     `json:"user_id"`
	Action    string    `json:"action"`
	DossierID int64     `json:"dossier_id,omitempty"`
	Detail    string    `json:"detail,omitempty"`
	IP        string    `json:"ip,omitempty"`
}

// Audit actions.
const (
	AuditViewPersonalData = "view_personal_data"
	AuditLogin            = "login"
	AuditLoginFailed      = "login_failed"
	AuditLogout           = "logout"
	AuditPasswordChanged  = "password_changed" // by the account's owner or reset by an administrator
	AuditSessionsEnded    = "sessions_ended"   // an account's sessions ended: its owner's choice, a reset, a lock, new roles
	AuditViewRefused      = "view_refused"     // a dossier, its files or a tracking book asked for and refused
	AuditViewNames        = "view_names"       // applicants' names shown in a list (an inbox), once a day per dossier and viewer
)

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	UserID    int64
	DossierID int64
	Action    string
	// BeforeID continues a listing below that entry (0: from the newest).
	BeforeID int64
	Limit    int
}

// AuditStore keeps the audit log (append-only).
type AuditStore interface {
	Audit(ctx context.Context, e *AuditEntry) error
	AuditEntries(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
}

// CalendarYear is an administrator's version of a year's official days off,
// in the calendar package's JSON format, with who changed it.
type CalendarYear struct {
	Year      int       `json:"year"`
	Data      []byte    `json:"data"`
	UpdatedBy int64     `json:"updated_by"`
	UpdatedAt time.Time `json:"updated_at"`
}

// CalendarStore keeps administrators' versions of calendar years.
type CalendarStore interface {
	CalendarYears(ctx context.Context) ([]*CalendarYear, error)
	SaveCalendarYear(ctx context.Context, y *CalendarYear) error
}
