package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/blob"
	"github.com/motcua/motcua/calendar"
	"github.com/motcua/motcua/pdf"
	"github.com/motcua/motcua/service"
	"github.com/motcua/motcua/sqlstore"
	"github.com/motcua/motcua/webhook"
)

// Config is the whole configuration of motcua. Values come, in order of
// precedence, from the flags, the environment (MOTCUA_<NAME>, or
// MOTCUA_<NAME>_FILE holding the value in a file, for secrets), a JSON file
// (--config), and the defaults below. It is validated once at start.
type Config struct {
	Config  string `flag:"config" help:"JSON configuration file"`
	DataDir string `flag:"data" help:"data folder: database and documents of the embedded default"`
	DB      string `flag:"db" help:"database: a SQLite file (default <data>/motcua.db) or postgres://user:password@host:port/db"`
	Blobs   string `flag:"blobs" help:"document storage: file:///folder (default <data>/documents) or s3://bucket?endpoint=http://host:port (keys in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)"`

	// ReportDB is a streaming replica the reports read (reportdb.go).
	ReportDB     string        `flag:"report-db" help:"PostgreSQL streaming replica (hot standby) of --db that the reports read, postgres://…; empty: reports read --db"`
	ReportMaxLag time.Duration `flag:"report-max-lag" help:"how far behind --db the report replica may be before reports read --db instead"`

	Listen  string `flag:"listen" help:"address to serve HTTP on"`
	BaseURL string `flag:"base-url" help:"public URL of the service, printed on receipts and QR codes (default http://<listen>)"`

	LogLevel       string        `flag:"log-level" help:"debug, info, warn or error"`
	SecureCookies  bool          `flag:"secure-cookies" help:"mark cookies Secure (set when served over HTTPS)"`
	TrustedProxies []string      `flag:"trusted-proxies" help:"comma-separated addresses or prefixes (10.0.0.0/8) of reverse proxies whose X-Forwarded-For is believed"`
	SessionTTL     time.Duration `flag:"session-ttl" help:"how long a staff session lasts"`
	Require2FA     []string      `flag:"require-2fa-roles" help:"comma-separated roles whose holders must sign in with a second factor (TOTP), e.g. admin,agency_leader; without one they enrol at their next sign-in (default: none, a personal choice)"`
	SecretKey      string        `flag:"secret-key" help:"key sealing the secrets kept in the database (second-factor keys): 64 hex digits; use MOTCUA_SECRET_KEY_FILE, the same on every instance (default: <data>/secret.key, made on first start)"`

	CodePattern       string `flag:"code-pattern" help:"dossier code pattern: {agency}, date tokens such as {yyMMdd}, {seq:N}"`
	FormTitles        string `flag:"form-titles" help:"numbers and titles of the official forms that differ from the default numbering, as JSON, e.g. {\"extension\":{\"title\":\"Phiếu xin lỗi và hẹn lại ngày trả kết quả\"}}"`
	AgencyCodePattern string `flag:"agency-code-pattern" help:"regular expression that agency e-ID codes must match"`

	WorkPeriods             string        `flag:"work-periods" help:"working periods of a day, e.g. 07:30-11:30,13:00-17:00"`
	Weekend                 string        `flag:"weekend" help:"weekly rest days, e.g. sat,sun"`
	MoveDeadlines           bool          `flag:"move-deadlines-to-working-day" help:"move calendar-day deadlines that end on a day off to the next working day"`
	OnlineDecisionH         float64       `flag:"online-decision-hours" help:"working hours to accept or return an online dossier (NĐ 118 Art.17(2): 8)"`
	TransferCutOff          string        `flag:"transfer-cut-off" help:"time after which a paper dossier may be transferred the next working morning (Art.18(2): 15:00)"`
	TransferGrace           time.Duration `flag:"transfer-next-day-within" help:"working time allowed at the start of the next working day for such transfers"`
	AppraisalSupplementDays float64       `flag:"appraisal-supplement-days" help:"working days after reception within which an appraisal supplement may be requested (Art.19(5): 3)"`
	SupplementWaitDays      int           `flag:"supplement-wait-days" help:"days the applicant has to complete a dossier before it is closed (Art.19(5): 15)"`
	SupplementScope         string        `flag:"supplement-scope" help:"one supplement request per 'stage' (reception, appraisal) or per 'dossier'"`
	ExtensionMaxDays        float64       `flag:"extension-max-days" help:"working days a re-appointment may add to the due date at most (not set by NĐ 118; a plausibility bound)"`

	JobsInterval  time.Duration `flag:"jobs-interval" help:"how often scheduled jobs run (supplement time-outs, deadline warnings, outbox, session clean-up)"`
	OutboxURL     string        `flag:"outbox-url" help:"HTTP endpoint that outbox notices (deadline warnings) are POSTed to; empty keeps them in the outbox"`
	OutboxLease   time.Duration `flag:"outbox-lease" help:"how long an instance reserves the notices it is delivering; if it dies, another instance delivers them after this"`
	CacheTTL      time.Duration `flag:"cache-ttl" help:"how long a signed-in session or public lookup may be served from memory after another instance changed it; negative turns the caches off"`
	MetricsListen string        `flag:"metrics-listen" help:"address to serve Prometheus metrics on at /metrics (empty: off)"`

	GCPercent   int    `flag:"gc-percent" help:"garbage collector target (Go's GOGC): higher uses more memory and less CPU"`
	MemoryLimit string `flag:"memory-limit" help:"soft memory limit of the Go runtime, e.g. 512MiB or 2GiB; the collector works harder near it (default: serve and bench keep the whole process, SQLite and code included, within 3/4 of the cgroup's memory limit if there is one, else 232MiB, by lowering Go's limit by what lives outside Go; 1GiB for the other commands)"`

	MaxFileSize   string `flag:"max-file-size" help:"largest digitized file (PDF, JPEG or PNG) a dossier takes, e.g. 20MiB"`
	Keys          string `flag:"keys" help:"folder of signing key files (PEM, key then certificate chain): ca.pem (trusted CAs), users/<username>.pem, agencies/<code>.pem; empty: signing off (motcua demo: <data>/keys, made on first run)"`
	TSAURL        string `flag:"tsa-url" help:"RFC 3161 time-stamping authority to timestamp every signature with (PAdES B-T); empty: baseline B (motcua demo: its simulator on loopback)"`
	CRLURL        string `flag:"crl-url" help:"certificate revocation list of the trusted CA, consulted before signing and when verifying (empty: <keys>/crl.pem if present; motcua demo: its simulator)"`
	KeyPassphrase string `flag:"key-passphrase" help:"passphrase of the encrypted key files in --keys (PKCS#8; use MOTCUA_KEY_PASSPHRASE_FILE); every key file is opened at start-up"`
	PKCS11Module  string `flag:"pkcs11-module" help:"PKCS#11 library of a signing token or HSM (e.g. /usr/lib/softhsm/libsofthsm2.so); empty: key files only"`
	PKCS11Token   string `flag:"pkcs11-token" help:"label of the token"`
	PKCS11Key     string `flag:"pkcs11-key" help:"label of the private key on the token"`
	PKCS11PIN     string `flag:"pkcs11-pin" help:"the token's user PIN (use MOTCUA_PKCS11_PIN_FILE)"`
	PKCS11Cert    string `flag:"pkcs11-cert" help:"PEM file with the token key's certificate and its issuers"`
	PKCS11Signer  string `flag:"pkcs11-signer" help:"whose signature the token's key is: a username, or agency:<code> for an agency's seal"`

	WALLimit     string `flag:"wal-limit" help:"SQLite: size the write-ahead log is kept under, e.g. 16MiB (see docs/deployment.md, disk space)"`
	MinFreeSpace string `flag:"min-free-space" help:"SQLite: free disk space under which writes are refused with 503 so that the database can recover, e.g. 64MiB; 0 turns the check off"`
	PGConns      int    `flag:"pg-conns" help:"PostgreSQL: the most connections this instance opens, its writers' and readers' (0: the store's default, 4 per core and at least 8); every instance's count must fit the server's max_connections (see docs/deployment.md §22)"`
	// pgWriters is the store's number of PostgreSQL writers (0: its
	// default); bench sets it from its own --pg-writers.
	pgWriters int

	OutboxInterval time.Duration `flag:"outbox-interval" help:"how often the outbox (status messages to the national portal, notices) is delivered"`

	DVCQGURL      string        `flag:"dvcqg-url" help:"national public service portal (DVCQG) integration address; empty: not connected (no online dossiers in, no status out)"`
	DVCQGUser     string        `flag:"dvcqg-user" help:"username of the province's system on the national portal"`
	DVCQGPassword string        `flag:"dvcqg-password" help:"its password (use MOTCUA_DVCQG_PASSWORD_FILE)"`
	DVCQGDstCode  string        `flag:"dvcqg-dstcode" help:"the dstcode header the national portal gave the province"`
	DVCQGAgency   string        `flag:"dvcqg-agency" help:"the province's unit code on the national portal (madonvi)"`
	DVCQGSecret   string        `flag:"dvcqg-inbound-secret" help:"shared secret that signs the messages the portal forwards (use MOTCUA_DVCQG_INBOUND_SECRET_FILE)"`
	DVCQGFileBase string        `flag:"dvcqg-file-base" help:"the only URL prefix the files of forwarded dossiers are fetched from (default <dvcqg-url>/files/)"`
	DVCQGAccount  string        `flag:"dvcqg-account" help:"the integration account the portal's messages act as"`
	DVCQGTimeout  time.Duration `flag:"dvcqg-timeout" help:"time-out of one call to the national portal"`
	DVCQGAlertLag time.Duration `flag:"dvcqg-alert-after" help:"tell the administrators when the oldest status message has waited this long"`

	// portalSimURL is the address of the portal's simulator the demo runs
	// (not a setting: the demo sets it).
	portalSimURL        string
	PaymentURL          string        `flag:"payment-url" help:"endpoint of the national payment platform (DVCQG) that INIT, QUERY and GET_BILL are POSTed to; empty turns online payment off"`
	PaymentPartner      string        `flag:"payment-partner" help:"partner code (MaDoiTac) given by the payment platform"`
	PaymentSecretFile   string        `flag:"payment-secret-file" help:"file holding the payment platform's secret key (MaXacThuc); never give the key itself on the command line"`
	PaymentCallbackBase string        `flag:"payment-callback-base" help:"public URL the payment platform reaches motcua at, for its confirmations (<base>/api/v1/payments/callback) and the payer's return (<base>/thanh-toan/ket-qua); default the base URL"`
	PaymentPayee        string        `flag:"payment-payee" help:"accounts fees are paid into, as account,bank,treasury,budget-account (TKThuHuong, MaNHThuHuong, KhoBac, TaiKhoanThuNSNN)"`
	PaymentQueryAfter   time.Duration `flag:"payment-query-after" help:"how old a pending online payment must be before the reconciliation asks the platform about it"`
	PaymentExpireAfter  time.Duration `flag:"payment-expire-after" help:"how long an online payment may stay pending on the platform before it is counted failed"`

	PopDBURL         string        `flag:"popdb-url" help:"national population database (CSDLQG về dân cư) service address; empty: the counter's lookup is off and applicant data stays typed"`
	PopDBIntegration string        `flag:"popdb-integration" help:"motcua's integration code at the population database (MaTichHop)"`
	PopDBSecret      string        `flag:"popdb-secret" help:"shared secret that signs requests to and answers from the population database (use MOTCUA_POPDB_SECRET_FILE)"`
	PopDBTimeout     time.Duration `flag:"popdb-timeout" help:"how long the counter waits for the population database before it continues with typed data"`

	FeedbackDays    string        `flag:"feedback-days" help:"working days of a complaint's (PAKN) stages as classify,answer,publish,warn-before; NĐ 20/2008's own counts are not confirmed: the default 2,15,2,2 is what the QĐ 766 indicator 5.2 checks"`
	QueueWaitTarget time.Duration `flag:"queue-wait-target" help:"longest wait at the counter from ticket to call that the queue pages hold as met (QĐ 468/QĐ-TTg: 30 minutes)"`
	WorkloadLimit   int           `flag:"workload-limit" help:"open dossiers per officer from which an officer or a unit is marked overloaded"`
	WorkloadDueSoon time.Duration `flag:"workload-due-soon" help:"working time before a deadline from which the workload pages count a dossier as due soon"`

	SSOIssuer       string `flag:"sso-issuer" help:"issuer URL of the national single sign-on (DVCQG / VNeID, OpenID Connect); empty: the citizen's own pages are off"`
	SSOClientID     string `flag:"sso-client-id" help:"motcua's client ID at the national single sign-on"`
	SSOClientSecret string `flag:"sso-client-secret" help:"its client secret (use MOTCUA_SSO_CLIENT_SECRET_FILE)"`
	SSOACR          string `flag:"sso-acr" help:"assurance level asked of the sign-on: LoA1 or LoA2"`

	KhoURL         string `flag:"kho-url" help:"national store of results and personal e-data (Kho) service address; empty: reuse lists motcua's own results and results are not pushed"`
	KhoIntegration string `flag:"kho-integration" help:"motcua's integration code at the national store"`
	KhoSecret      string `flag:"kho-secret" help:"shared secret that signs requests to and answers from the national store (use MOTCUA_KHO_SECRET_FILE)"`
	SMTPAddr       string `flag:"smtp-addr" help:"SMTP server (host:port) for e-mail notices to citizens and warnings to staff; empty: e-mail off"`
	SMTPFrom       string `flag:"smtp-from" help:"sender address of notices, e.g. \"Một cửa tỉnh <motcua@tinh.gov.vn>\""`
	SMTPUser       string `flag:"smtp-user" help:"SMTP user name (AUTH PLAIN, over TLS); empty: no authentication"`
	SMTPPassword   string `flag:"smtp-password" help:"SMTP password (use MOTCUA_SMTP_PASSWORD_FILE)"`
	OCR            bool   `flag:"ocr" help:"read scans by OCR (Debian's tesseract with its Vietnamese model) when it is installed; --ocr=false turns it off"`
	SMTPRequireTLS bool   `flag:"smtp-require-tls" help:"refuse to send e-mail to a server that does not offer STARTTLS"`
	SMSURL         string `flag:"sms-url" help:"SMS gateway API base URL (POST <url>/v1/messages); empty: SMS notices off"`
	SMSKey         string `flag:"sms-key" help:"the SMS gateway's API key (use MOTCUA_SMS_KEY_FILE)"`
	SMSSender      string `flag:"sms-sender" help:"brand name the SMS are sent under"`

	WarnLead         time.Duration `flag:"warn-lead" help:"working time before a deadline when its holders are told it is due soon (default: one working day)"`
	WarnShortLead    time.Duration `flag:"warn-short-lead" help:"the same for short clocks: the counter's duties and deadlines spanning at most two leads"`
	EscalateHead     time.Duration `flag:"escalate-head-after" help:"working time past a deadline after which the head of the unit is told"`
	EscalateLeader   time.Duration `flag:"escalate-leader-after" help:"working time past a deadline after which the agency's leader is told (default: one working day)"`
	MergerUndoPeriod time.Duration `flag:"merger-undo-period" help:"how long after a merger of agencies (/quan-tri/sap-nhap) it may be undone"`
}

// defaults returns the built-in configuration.
func defaults() Config {
	r := motcua.DefaultRules()
	return Config{
		DataDir:                 "data",
		Listen:                  "127.0.0.1:8080",
		LogLevel:                "info",
		SessionTTL:              12 * time.Hour,
		CodePattern:             motcua.DefaultCodePattern,
		AgencyCodePattern:       motcua.DefaultAgencyCodePattern,
		WorkPeriods:             "07:30-11:30,13:00-17:00",
		Weekend:                 "sat,sun",
		MoveDeadlines:           true,
		OCR:                     true,
		OnlineDecisionH:         r.OnlineDecision.Hours(),
		TransferCutOff:          r.TransferCutOff.String(),
		TransferGrace:           r.TransferNextDayWithin,
		AppraisalSupplementDays: r.AppraisalSupplementWithin.Value,
		SupplementWaitDays:      int(r.SupplementWait.Value),
		SupplementScope:         string(r.SupplementScope),
		ExtensionMaxDays:        r.ExtensionMax.Value,
		JobsInterval:            time.Minute,
		OutboxLease:             service.DefaultOutboxLease,
		CacheTTL:                10 * time.Second,
		ReportMaxLag:            service.DefaultReportMaxLag,
		// The live heap is small and most allocations are short-lived
		// request data: collecting less often saved a fifth of the CPU per
		// dossier in the intake benchmark. The memory limit bounds the cost.
		GCPercent:    400,
		MemoryLimit:  "", // serveMemoryBudget (memgovernor.go), or 1 GiB for the batch commands
		MaxFileSize:  "20MiB",
		WALLimit:     "16MiB",
		MinFreeSpace: "64MiB",

		OutboxInterval:     2 * time.Second,
		DVCQGAccount:       "dvcqg",
		DVCQGTimeout:       30 * time.Second,
		PopDBTimeout:       service.DefaultPopulationTimeout,
		WarnShortLead:      2 * time.Hour,
		EscalateHead:       4 * time.Hour,
		SMSSender:          "MOTCUA",
		DVCQGAlertLag:      30 * time.Minute,
		PaymentQueryAfter:  service.DefaultPaymentQueryAfter,
		PaymentExpireAfter: service.DefaultPaymentExpireAfter,
		FeedbackDays:       "2,15,2,2",
		QueueWaitTarget:    service.DefaultQueueWaitTarget,
		WorkloadLimit:      service.DefaultWorkloadLimit,
		WorkloadDueSoon:    service.DefaultWorkloadDueSoon,
		MergerUndoPeriod:   service.DefaultMergerUndoPeriod,
	}
}

// loadConfig builds the configuration from the defaults, the file, the
// environment and the flags of fs (already defined by bindFlags) parsed
// from args.
func loadConfig(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	cfg := defaults()
	flags := bindFlags(fs)
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	// The file named by flag or environment comes first, then everything
	// else overrides it.
	file := flags["config"].Value.String()
	if !set["config"] {
		file = envValue(getenv, "config")
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return cfg, fmt.Errorf("read configuration file: %w", err)
		}
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cfg); err != nil {
			return cfg, fmt.Errorf("configuration file %s: %w", file, err)
		}
		cfg.Config = file
	}
	v := reflect.ValueOf(&cfg).Elem()
	for i := 0; i < v.NumField(); i++ {
		name := v.Type().Field(i).Tag.Get("flag")
		raw, from := "", ""
		if name == "" {
			continue
		} else if set[name] {
			raw, from = flags[name].Value.String(), "--"+name
		} else if e := envValue(getenv, name); e != "" {
			raw, from = e, envName(name)
		} else {
			continue
		}
		if err := setField(v.Field(i), raw); err != nil {
			return cfg, fmt.Errorf("%s: %w", from, err)
		}
	}
	return cfg, cfg.validate()
}

// envName is the environment variable of a flag: MOTCUA_ and the flag in
// upper case with '-' as '_'.
func envName(flagName string) string {
	return "MOTCUA_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func envValue(getenv func(string) string, flagName string) string {
	n := envName(flagName)
	if v := getenv(n); v != "" {
		return v
	}
	if f := getenv(n + "_FILE"); f != "" {
		b, err := os.ReadFile(f)
		if err == nil {
			return strings.TrimSpace(string(b))
		}
	}
	return ""
}

// bindFlags defines one string flag per field (parsed into the field's
// type later, so that an unset flag does not override lower layers).
func bindFlags(fs *flag.FlagSet) map[string]*flag.Flag {
	d := reflect.ValueOf(defaults())
	out := map[string]*flag.Flag{}
	for i := 0; i < d.NumField(); i++ {
		f := d.Type().Field(i)
		name := f.Tag.Get("flag")
		if name == "" {
			continue // set by the program, not a setting
		}
		def := fmt.Sprint(d.Field(i).Interface())
		if f.Type.Kind() == reflect.Slice {
			def = strings.Join(d.Field(i).Interface().([]string), ",")
		}
		help := f.Tag.Get("help") + " [" + envName(name) + "]"
		if f.Type.Kind() == reflect.Bool {
			fs.Var(&boolFlag{v: def}, name, help)
		} else {
			fs.String(name, def, help)
		}
		out[name] = fs.Lookup(name)
	}
	return out
}

// boolFlag lets "--secure-cookies" stand alone.
type boolFlag struct{ v string }

func (b *boolFlag) String() string     { return b.v }
func (b *boolFlag) Set(s string) error { b.v = s; return nil }
func (b *boolFlag) IsBoolFlag() bool   { return true }

func setField(f reflect.Value, raw string) error {
	switch f.Kind() {
	case reflect.String:
		f.SetString(raw)
	case reflect.Bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		f.SetBool(b)
	case reflect.Int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", raw)
		}
		f.SetInt(int64(n))
	case reflect.Int64: // time.Duration
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("want a duration such as 90s or 12h, got %q", raw)
		}
		f.SetInt(int64(d))
	case reflect.Float64:
		x, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return fmt.Errorf("want a number, got %q", raw)
		}
		f.SetFloat(x)
	case reflect.Slice:
		var parts []string
		for _, p := range strings.Split(raw, ",") {
			if p = strings.TrimSpace(p); p != "" {
				parts = append(parts, p)
			}
		}
		f.Set(reflect.ValueOf(parts))
	default:
		return fmt.Errorf("unsupported setting type %s", f.Kind())
	}
	return nil
}

// validate checks every setting and fills the derived ones.
func (c *Config) validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("--data must not be empty"))
	}
	if c.MergerUndoPeriod <= 0 {
		errs = append(errs, errors.New("--merger-undo-period must be positive, e.g. 720h (30 days)"))
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "motcua.db")
	}
	if strings.Contains(c.DB, "://") && !sqlstore.IsPostgresURL(c.DB) {
		errs = append(errs, fmt.Errorf("--db must be a SQLite file path or a postgres:// address, not %q", c.DB))
	} else if sqlstore.IsPostgresURL(c.DB) {
		// The host is in the address, or in its host parameter: the
		// folder of the server's Unix socket on the same machine
		// (postgres://motcua@/motcua?host=/var/run/postgresql).
		if u, err := url.Parse(c.DB); err != nil || u.Host == "" && u.Query().Get("host") == "" || strings.Trim(u.Path, "/") == "" {
			errs = append(errs, errors.New("--db: a PostgreSQL address needs a host and a database: postgres://user:password@host:5432/motcua, or on the same machine postgres://user@/motcua?host=/var/run/postgresql (the folder of its Unix socket)"))
		}
	}
	if c.Blobs == "" {
		abs, err := filepath.Abs(filepath.Join(c.DataDir, "documents"))
		if err != nil {
			errs = append(errs, fmt.Errorf("--data: %w", err))
		}
		c.Blobs = "file://" + abs
	}
	if err := blob.CheckURL(c.Blobs); err != nil {
		errs = append(errs, fmt.Errorf("--blobs: %w", err))
	}
	if c.OutboxURL != "" {
		if _, err := webhook.New(c.OutboxURL, nil); err != nil {
			errs = append(errs, fmt.Errorf("--outbox-url: %w", err))
		}
	}
	if c.QueueWaitTarget <= 0 || c.WorkloadLimit <= 0 || c.WorkloadDueSoon <= 0 {
		errs = append(errs, errors.New("--queue-wait-target, --workload-limit and --workload-due-soon must be positive"))
	}
	errs = append(errs, c.checkPortal()...)
	errs = append(errs, c.checkPopDB()...)
	if _, err := c.feedbackDeadlines(); err != nil {
		errs = append(errs, fmt.Errorf("--feedback-days: %w", err))
	}
	errs = append(errs, c.checkCitizen()...)
	errs = append(errs, c.checkNotices()...)
	if c.OutboxInterval < 100*time.Millisecond {
		errs = append(errs, errors.New("--outbox-interval must be at least 100ms"))
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Listen
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.PaymentCallbackBase == "" {
		c.PaymentCallbackBase = c.BaseURL
	}
	c.PaymentCallbackBase = strings.TrimRight(c.PaymentCallbackBase, "/")
	if _, err := c.paymentConfig(); err != nil {
		errs = append(errs, err)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("--log-level must be debug, info, warn or error, not %q", c.LogLevel))
	}
	for _, r := range c.Require2FA {
		if !motcua.Role(r).Valid() {
			errs = append(errs, fmt.Errorf("--require-2fa-roles: unknown role %q", r))
		}
	}
	if c.SessionTTL < time.Minute {
		errs = append(errs, errors.New("--session-ttl must be at least 1m"))
	}
	if c.GCPercent < 25 || c.GCPercent > 10000 {
		errs = append(errs, errors.New("--gc-percent must be between 25 and 10000"))
	}
	if _, err := parseBytes(c.MaxFileSize); err != nil {
		errs = append(errs, fmt.Errorf("--max-file-size: %w", err))
	}
	if _, err := parseBytes(c.WALLimit); err != nil {
		errs = append(errs, fmt.Errorf("--wal-limit: %w", err))
	}
	if _, err := parseBytes(c.MinFreeSpace); err != nil && c.MinFreeSpace != "0" {
		errs = append(errs, fmt.Errorf("--min-free-space: %w", err))
	}
	if c.PGConns < 0 || c.PGConns > 1000 || c.PGConns > 0 && c.PGConns < 4 {
		errs = append(errs, errors.New("--pg-conns must be 0 (the default) or between 4 and 1000"))
	}
	if _, err := parseBytes(c.MemoryLimit); err != nil && c.MemoryLimit != "" {
		errs = append(errs, fmt.Errorf("--memory-limit: %w", err))
	}
	if c.JobsInterval < time.Second {
		errs = append(errs, errors.New("--jobs-interval must be at least 1s"))
	}
	if c.OutboxLease < time.Second {
		errs = append(errs, errors.New("--outbox-lease must be at least 1s (longer than a delivery takes; default 2m)"))
	}
	if _, err := c.forms(); err != nil {
		errs = append(errs, err)
	}
	if _, err := motcua.ParseCodePattern(c.CodePattern); err != nil {
		errs = append(errs, fmt.Errorf("--code-pattern: %s", motcua.ErrorMessage(err)))
	}
	if _, err := motcua.NewAgencyCodeChecker(c.AgencyCodePattern); err != nil {
		errs = append(errs, fmt.Errorf("--agency-code-pattern: %s", motcua.ErrorMessage(err)))
	}
	if _, err := c.calendarConfig(); err != nil {
		errs = append(errs, err)
	}
	if r, err := c.rules(); err != nil {
		errs = append(errs, err)
	} else if err := r.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("rules: %s", motcua.ErrorMessage(err)))
	}
	if c.PKCS11Module != "" && (c.Keys == "" || c.PKCS11Token == "" || c.PKCS11Key == "" || c.PKCS11Cert == "" || c.PKCS11Signer == "") {
		errs = append(errs, errors.New("--pkcs11-module: needs --keys (the trusted CAs and other key files), --pkcs11-token, --pkcs11-key, --pkcs11-cert and --pkcs11-signer"))
	}
	if c.TSAURL != "" {
		if u, err := url.Parse(c.TSAURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, errors.New("--tsa-url: an http:// or https:// address of a time-stamping authority"))
		}
	}
	return errors.Join(errs...)
}

// forms returns the numbers and titles of the official forms: the default
// numbering with the changes of --form-titles.
func (c *Config) forms() (pdf.Forms, error) {
	f := pdf.DefaultForms()
	if strings.TrimSpace(c.FormTitles) == "" {
		return f, nil
	}
	var o pdf.Forms
	dec := json.NewDecoder(strings.NewReader(c.FormTitles))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		return f, fmt.Errorf("--form-titles: %w (want a JSON object such as {\"receipt\":{\"number\":\"Mẫu số 01\"}})", err)
	}
	f = f.Merge(o)
	if err := f.Validate(); err != nil {
		return f, fmt.Errorf("--form-titles: %s", motcua.ErrorMessage(err))
	}
	return f, nil
}

// rules turns the settings into the lifecycle rules.
func (c *Config) rules() (motcua.Rules, error) {
	r := motcua.DefaultRules()
	r.OnlineDecision = time.Duration(c.OnlineDecisionH * float64(time.Hour))
	cut, err := motcua.ParseClockTime(c.TransferCutOff)
	if err != nil {
		return r, fmt.Errorf("--transfer-cut-off: %w", err)
	}
	r.TransferCutOff = cut
	r.TransferNextDayWithin = c.TransferGrace
	r.AppraisalSupplementWithin = motcua.TimeLimit{Value: c.AppraisalSupplementDays, Unit: motcua.UnitWorkingDays}
	r.SupplementWait = motcua.TimeLimit{Value: float64(c.SupplementWaitDays), Unit: motcua.UnitCalendarDays}
	r.SupplementScope = motcua.SupplementScope(c.SupplementScope)
	r.ExtensionMax = motcua.TimeLimit{Value: c.ExtensionMaxDays, Unit: motcua.UnitWorkingDays}
	return r, nil
}

// calendarConfig turns the settings into the calendar's configuration.
func (c *Config) calendarConfig() (calendar.Config, error) {
	cc := calendar.DefaultConfig()
	cc.Periods = nil
	for _, p := range strings.Split(c.WorkPeriods, ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(p), "-")
		start, err1 := motcua.ParseClockTime(a)
		end, err2 := motcua.ParseClockTime(b)
		if !ok || err1 != nil || err2 != nil {
			return cc, fmt.Errorf("--work-periods: %q is not HH:MM-HH:MM", p)
		}
		cc.Periods = append(cc.Periods, calendar.Period{Start: start, End: end})
	}
	days := map[string]time.Weekday{"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
		"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday}
	cc.Weekend = nil
	for _, d := range strings.Split(c.Weekend, ",") {
		wd, ok := days[strings.ToLower(strings.TrimSpace(d))]
		if !ok {
			return cc, fmt.Errorf("--weekend: %q is not one of sun, mon, tue, wed, thu, fri, sat", d)
		}
		cc.Weekend = append(cc.Weekend, wd)
	}
	cc.MoveCalendarDeadlinesToWorkingDay = c.MoveDeadlines
	if err := cc.Validate(); err != nil {
		return cc, fmt.Errorf("calendar: %s", motcua.ErrorMessage(err))
	}
	return cc, nil
}

// parseBytes reads a size such as 512MiB, 2GiB or 1073741824.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40}, {"B", 1}, {"", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
			if err != nil || n <= 0 {
				break
			}
			return n * u.mult, nil
		}
	}
	return 0, fmt.Errorf("want a size such as 512MiB or 2GiB, got %q", s)
}
