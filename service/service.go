// Package service holds motcua's use cases: receiving and processing
// dossiers, the catalogue, accounts and sessions. It owns transaction
// boundaries and authorization — every exported method checks who may do
// what for which agency — and never touches HTTP or SQL.
package service

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
)

// Config is the service's part of the configuration.
type Config struct {
	Rules       motcua.Rules
	CodePattern motcua.CodePattern
	// AgencyCodes checks agencies' e-ID codes.
	AgencyCodes *motcua.AgencyCodeChecker
	// SessionTTL is how long a session lasts without signing in again.
	SessionTTL time.Duration
	// Now is the clock; nil means time.Now. Tests inject a fixed clock.
	Now func() time.Time
	// Index is the QĐ 766 point table and the inputs held; the zero value
	// means motcua.DefaultIndexConfig.
	Index motcua.IndexConfig
	// CacheTTL bounds how long a public lookup or a signed-in session is
	// served from memory when another instance changed it (changes made
	// through this instance take effect at once). 0 means the default,
	// 10 s; a negative value turns the caches off.
	CacheTTL time.Duration
	// Blobs keeps the bytes of dossiers' digitized files; nil turns the
	// documents off (attaching or opening a file is then EFORBIDDEN with
	// reason documents_disabled).
	Blobs motcua.BlobStore
	// OutboxLease is how long a claimed outbox message is reserved for
	// the instance delivering it (0: DefaultOutboxLease).
	OutboxLease time.Duration
	// Bus tells the other instances on the same database what changed
	// here, so that they drop it from their caches at once (see
	// motcua.CacheBus); nil for a single instance.
	Bus motcua.CacheBus
	// MaxFileSize bounds an uploaded file, in bytes; 0 means
	// DefaultMaxFileSize.
	MaxFileSize int64
	// PortalSync queues every change of every dossier for the national
	// portal (motcua.TopicPortalSync) in the transaction of the change.
	// Off when the portal is not configured: nothing would deliver it.
	PortalSync bool
	// PortalAlertAfter is how old the oldest undelivered portal message
	// may grow before the administrators are told (0: 30 minutes).
	PortalAlertAfter time.Duration
	// Catalogue is the national database of procedures to import from;
	// nil turns the import off (the pages say so).
	Catalogue motcua.CatalogueSource
	// Population is the national population database; nil turns the
	// counter's lookup off (the counter says so and continues with typed
	// data).
	Population motcua.PopulationRegister
	// PopulationTimeout bounds one lookup in the population database, so
	// that a slow register never holds the counter (0:
	// DefaultPopulationTimeout).
	PopulationTimeout time.Duration
	// Payments is the national payment platform; nil turns online
	// payment off (pages say "Chưa kết nối nền tảng thanh toán").
	Payments motcua.PaymentGateway
	// PaymentQueryAfter and PaymentExpireAfter time the reconciliation of
	// pending payments (0: DefaultPaymentQueryAfter,
	// DefaultPaymentExpireAfter).
	PaymentQueryAfter  time.Duration
	PaymentExpireAfter time.Duration
	// LoginSlowdown is the first delay of a sign-in on an account that
	// failed more than five times in 15 minutes from anywhere; it doubles
	// with each failure, up to 16 times. 0 means 250 ms; negative turns
	// the delays off.
	LoginSlowdown time.Duration
	// RequireTwoFactor lists the roles whose holders must sign in with a
	// second factor (TOTP): without one they are sent to enrol at their
	// next sign-in. Empty: a second factor is each user's choice.
	RequireTwoFactor []motcua.Role
	// SecretKey (32 bytes) seals the secrets the database keeps for later
	// use, such as second-factor keys (secretbox.go); nil stores them in
	// clear. Every instance sharing a database must have the same key.
	SecretKey []byte
	// Signer signs and verifies PDFs (officers' and agencies'
	// certificates); nil turns signing off: scans are stored unsigned
	// (so never digitized) and results cannot be signed.
	Signer motcua.DocumentSigner
	// RenderResult writes the unsigned PDF of a result made from the
	// template (package pdf); nil turns SignResult off.
	RenderResult func(w io.Writer, r *motcua.ResultDocument) error
	// VerifyURL is the public verification page printed on results; ""
	// leaves it out.
	VerifyURL string
	// FeedbackDeadlines are the working days of a complaint's stages
	// (zero value: motcua.DefaultFeedbackDeadlines).
	FeedbackDeadlines motcua.FeedbackDeadlines
	// QueueWaitTarget is the longest a citizen should wait at the counter
	// from taking a ticket to being called (0: DefaultQueueWaitTarget,
	// the 30 minutes of QĐ 468/QĐ-TTg).
	QueueWaitTarget time.Duration
	// WorkloadLimit is the number of open dossiers at which an officer
	// is overloaded (0: DefaultWorkloadLimit); WorkloadDueSoon is the
	// working time before a deadline from which a dossier is "due soon"
	// (0: DefaultWorkloadDueSoon).
	WorkloadLimit   int
	WorkloadDueSoon time.Duration
	// SignOn is the national single sign-on for citizens (DVCQG /
	// VNeID); nil turns the citizen's own pages off.
	SignOn motcua.SignOn
	// CitizenSessionTTL is how long a citizen stays signed in (0:
	// DefaultCitizenSessionTTL).
	CitizenSessionTTL time.Duration
	// ResultStore is the national store of results (Kho); nil: the
	// counter's reuse suggestion lists motcua's own results only and
	// issued results stay in the province's store.
	ResultStore motcua.NationalResultStore
	// Warn times deadline warnings and escalations (WarnClocks); zero
	// values take motcua.WarnTimes' defaults.
	Warn motcua.WarnTimes
	// SMS and Mail send notices to citizens (and warnings to staff by
	// e-mail); nil turns that channel off: nothing is queued for it.
	SMS  motcua.SMSSender
	Mail motcua.MailSender
	// BaseURL is the public address of the site: the lookup link in
	// notices, the dossier link in warnings, and the link an electronic
	// result sent to the national portal carries (ResultLink; "" sends the
	// document code alone).
	BaseURL string
	// MergerUndoPeriod is how long after a merger of agencies it may be
	// undone (0: DefaultMergerUndoPeriod, 30 days).
	MergerUndoPeriod time.Duration
	// ImageToPDF makes a one-page PDF of a JPEG or PNG scan (pdf.FromImage)
	// so that it can be signed; nil stores image scans unsigned. It
	// refuses an oversized image with EINVALID.
	ImageToPDF func(img []byte) ([]byte, error)
	// Text reads the text of stored scans (OCR, package ocr), as an outbox
	// job after each component's upload (ScanTextDeliverer); nil: off.
	Text motcua.TextReader
	// Reports is a copy of the database (a streaming replica) that the
	// reports read from; nil: they read the store. ReportMaxLag is how far
	// behind it may be before they read the store instead (0:
	// DefaultReportMaxLag); see reportRead.
	Reports      motcua.ReportReader
	ReportMaxLag time.Duration
	// ScanReadBudget is the time one scan's reading may take before it is
	// stopped (0: DefaultScanReadBudget); its claim lasts a minute more.
	ScanReadBudget time.Duration
}

// Service implements the use cases on a store. It is safe for concurrent
// use.
type Service struct {
	store  motcua.Store
	hasher motcua.PasswordHasher
	cfg    Config
	cal    atomic.Pointer[calendarHolder]

	agencies agencyCache
	versions sync.Map // procedureKey → *motcua.Procedure (versions never change)
	lookups  *failureLimiter
	logins   *signInGuard
	// codeTries bounds wrong second-factor codes per account, wherever
	// they come from: whoever types them knows the password already.
	codeTries *failureLimiter
	public    *cache[string, *motcua.PublicRecord] // dossier code → public record
	sessions  *cache[string, *motcua.User]         // token hash → signed-in user
	// procVersions maps a procedure to its current version number.
	procVersions *cache[int64, int]
	published    *cache[int, []*motcua.Procedure] // 0 → the published catalogue (reports)
	search       searchCache                      // the folded catalogue (search.go)
	board        boardCache                       // the public progress board (board.go)
	// unread maps a staff member to its count of unread notifications:
	// the bell is on every staff page, and the count changes only when a
	// warning is recorded or the member opens the notifications.
	unread *cache[int64, int]
	// nudge wakes the outbox's delivery on this instance when a change
	// queued a message, so that the portal hears of it at once rather
	// than at the next tick.
	nudge       chan struct{}
	portalAlert struct {
		sync.Mutex
		last time.Time
	} // when the administrators were last told the portal lags
	imports  importTracker  // the catalogue import running here (catalogue_import.go)
	names    namesSeen      // applicants' names shown in lists today (accesslog.go)
	fb       feedbackLimits // complaints sent and followed per address (feedback.go)
	mergeMu  mergeLock      // one merger of agencies at a time (merger.go)
	mergeRun mergeTracker   // the merger running in the background (merger_progress.go)
}

type calendarHolder struct{ c motcua.Calendar }

type procedureKey struct {
	id      int64
	version int
}

// New returns a service. The calendar may be replaced later (SetCalendar)
// when an administrator changes a year's days off.
func New(store motcua.Store, cal motcua.Calendar, hasher motcua.PasswordHasher, cfg Config) *Service {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.AgencyCodes == nil {
		cfg.AgencyCodes, _ = motcua.NewAgencyCodeChecker("")
	}
	if len(cfg.Index.Indicators) == 0 {
		cfg.Index = motcua.DefaultIndexConfig()
	}
	if cfg.MaxFileSize <= 0 {
		cfg.MaxFileSize = DefaultMaxFileSize
	}
	if cfg.OutboxLease <= 0 {
		cfg.OutboxLease = DefaultOutboxLease
	}
	if cfg.PortalAlertAfter <= 0 {
		cfg.PortalAlertAfter = 30 * time.Minute
	}
	if cfg.PaymentQueryAfter <= 0 {
		cfg.PaymentQueryAfter = DefaultPaymentQueryAfter
	}
	if cfg.PaymentExpireAfter <= 0 {
		cfg.PaymentExpireAfter = DefaultPaymentExpireAfter
	}
	if cfg.PopulationTimeout <= 0 {
		cfg.PopulationTimeout = DefaultPopulationTimeout
	}
	if cfg.FeedbackDeadlines == (motcua.FeedbackDeadlines{}) {
		cfg.FeedbackDeadlines = motcua.DefaultFeedbackDeadlines()
	}
	if cfg.QueueWaitTarget <= 0 {
		cfg.QueueWaitTarget = DefaultQueueWaitTarget
	}
	if cfg.WorkloadLimit <= 0 {
		cfg.WorkloadLimit = DefaultWorkloadLimit
	}
	if cfg.WorkloadDueSoon <= 0 {
		cfg.WorkloadDueSoon = DefaultWorkloadDueSoon
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = 10 * time.Second
	}
	s := &Service{store: store, hasher: hasher, cfg: cfg,
		lookups: newFailureLimiter(20, 15*time.Minute), logins: newSignInGuard(cfg.LoginSlowdown),
		codeTries:    newFailureLimiter(10, 15*time.Minute),
		public:       newCache[string, *motcua.PublicRecord](cfg.CacheTTL, 200_000),
		sessions:     newCache[string, *motcua.User](cfg.CacheTTL, 100_000),
		procVersions: newCache[int64, int](cfg.CacheTTL, 100_000),
		published:    newCache[int, []*motcua.Procedure](cfg.CacheTTL, 1),
		unread:       newCache[int64, int](cfg.CacheTTL, 100_000), nudge: make(chan struct{}, 1)}
	s.SetCalendar(cal)
	return s
}

// SetCalendar replaces the working-time calendar for later computations;
// deadlines already computed are kept (they are recorded in the events).
func (s *Service) SetCalendar(c motcua.Calendar) { s.cal.Store(&calendarHolder{c: c}) }

// Calendar returns the calendar in use.
func (s *Service) Calendar() motcua.Calendar { return s.cal.Load().c }

// Rules returns the lifecycle rules in force.
func (s *Service) Rules() motcua.Rules { return s.cfg.Rules }

// now is the service clock, truncated to the millisecond that the store
// keeps, so that what is returned equals what is read back.
func (s *Service) now() time.Time { return s.cfg.Now().UTC().Truncate(time.Millisecond) }

func (s *Service) decider() motcua.Decider {
	return motcua.Decider{Calendar: s.Calendar(), Rules: s.cfg.Rules, Successor: s.successorOf}
}

// actor returns the signed-in user or an EUNAUTHORIZED error.
func actor(ctxUser *motcua.User) (*motcua.User, error) {
	if ctxUser == nil || ctxUser.Disabled {
		return nil, motcua.Errorf(motcua.EUNAUTHORIZED, "not_signed_in", "Vui lòng đăng nhập để tiếp tục.")
	}
	return ctxUser, nil
}
