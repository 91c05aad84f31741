package dvcqg

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// maxAnswer caps what the client reads of one answer; a larger answer is
// an error (the catalogue of one procedure is a few tens of kilobytes).
const maxAnswer = 8 << 20

// Config configures a Client. Secrets are given as values: reading them
// from files (the *_FILE variants) is the caller's job.
type Config struct {
	BaseURL    string // e.g. https://portal.example/api; /auth and /integration are appended
	Username   string
	Password   string
	DstCode    string       // sent as the dstcode header
	AgencyCode string       // madonvi: the province's unit code on the portal
	HTTP       *http.Client // nil: a client with Timeout
	Timeout    time.Duration
}

// Client is the outbound side of the portal: it implements motcua.Portal
// and motcua.CatalogueSource. It is safe for concurrent use; it logs in
// lazily and once more when the portal says the session expired.
type Client struct {
	cfg     Config
	http    *http.Client
	mu      sync.Mutex
	session string
}

var (
	_ motcua.Portal          = (*Client)(nil)
	_ motcua.CatalogueSource = (*Client)(nil)
)

// NewClient returns a client for cfg. A zero Timeout means 30 s.
func NewClient(cfg Config) *Client {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	hc := cfg.HTTP
	if hc == nil {
		t := cfg.Timeout
		if t <= 0 {
			t = 30 * time.Second
		}
		hc = &http.Client{Timeout: t}
	}
	return &Client{cfg: cfg, http: hc}
}

// PortalError is a failure the portal answered (error_code ≠ 0) or the
// exchange broke (transport, HTTP status, malformed or oversize answer).
// Permanent reports that sending the same message again cannot succeed (the
// portal refused the record as invalid, or the service or the credentials
// are wrong): a caller's outbox may give up and show it to a person instead
// of retrying. Every other failure is transient.
type PortalError struct {
	Service   string
	Code      int // the portal's error_code; -1 when the exchange broke
	Message   string
	Permanent bool
}

// Error implements error.
func (e *PortalError) Error() string {
	return fmt.Sprintf("dvcqg %s: error_code=%d: %s", e.Service, e.Code, e.Message)
}

// PermanentFailure tells the outbox (motcua.PermanentFailure) that sending
// the same message again cannot succeed.
func (e *PortalError) PermanentFailure() bool { return e.Permanent }

// IsPermanent reports whether err is a PortalError that retrying cannot
// cure.
func IsPermanent(err error) bool {
	var pe *PortalError
	return errors.As(err, &pe) && pe.Permanent
}

func broken(service, format string, args ...any) *PortalError {
	return &PortalError{Service: service, Code: -1, Message: fmt.Sprintf(format, args...)}
}

// post sends body to url and hands a JSON answer of at most maxAnswer
// bytes to out.
func (c *Client) post(ctx context.Context, service, url string, body any, out func([]byte) error) error {
	b, err := json.Marshal(body)
	if err != nil {
		return fmt.Errorf("dvcqg %s: encode: %w", service, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return broken(service, "request: %v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(HeaderDstCode, c.cfg.DstCode)
	resp, err := c.http.Do(req)
	if err != nil {
		return broken(service, "transport: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return broken(service, "read answer: %v", err)
	}
	if len(data) > maxAnswer {
		return broken(service, "answer larger than %d bytes", maxAnswer)
	}
	if resp.StatusCode != http.StatusOK {
		return broken(service, "HTTP %d", resp.StatusCode)
	}
	if err := out(data); err != nil {
		return broken(service, "malformed answer: %v", err)
	}
	return nil
}

// ParseAnswer reads an answer of the integration endpoint. An answer
// without error_code is malformed: a proxy's page or a changed protocol
// must not pass for success.
func ParseAnswer(data []byte) (*Answer, error) {
	var a struct {
		ErrorCode *int            `json:"error_code"`
		Message   string          `json:"message"`
		Data      json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	if a.ErrorCode == nil {
		return nil, errors.New("answer without error_code")
	}
	return &Answer{ErrorCode: *a.ErrorCode, Message: a.Message, Data: a.Data}, nil
}

// ParseAuthAnswer reads an answer of the auth endpoint; error_code is
// required.
func ParseAuthAnswer(data []byte) (*AuthAnswer, error) {
	var a struct {
		ErrorCode *int   `json:"error_code"`
		Message   string `json:"message"`
		Session   string `json:"session"`
	}
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, err
	}
	if a.ErrorCode == nil {
		return nil, errors.New("answer without error_code")
	}
	return &AuthAnswer{ErrorCode: *a.ErrorCode, Message: a.Message, Session: a.Session}, nil
}

// login opens a new session.
func (c *Client) login(ctx context.Context) (string, error) {
	var a *AuthAnswer
	err := c.post(ctx, "auth", c.cfg.BaseURL+"/auth", AuthRequest{Username: c.cfg.Username, Password: c.cfg.Password},
		func(b []byte) (err error) { a, err = ParseAuthAnswer(b); return err })
	if err != nil {
		return "", err
	}
	if a.ErrorCode != CodeOK {
		return "", &PortalError{Service: "auth", Code: a.ErrorCode, Message: a.Message, Permanent: a.ErrorCode == CodeAuthFailed}
	}
	if a.Session == "" {
		return "", broken("auth", "answer without a session")
	}
	c.mu.Lock()
	c.session = a.Session
	c.mu.Unlock()
	return a.Session, nil
}

// call sends one integration request and returns the answer's data. It logs
// in when there is no session, and once more when the portal answers that
// the session expired.
func (c *Client) call(ctx context.Context, service, isUpdating string, data any) (json.RawMessage, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return nil, fmt.Errorf("dvcqg %s: encode: %w", service, err)
	}
	for attempt := 0; ; attempt++ {
		c.mu.Lock()
		session := c.session
		c.mu.Unlock()
		if session == "" {
			if session, err = c.login(ctx); err != nil {
				return nil, err
			}
		}
		var a *Answer
		req := Request{Session: session, MaDonVi: c.cfg.AgencyCode, Service: service, IsUpdating: isUpdating, Data: raw}
		err := c.post(ctx, service, c.cfg.BaseURL+"/integration", req, func(b []byte) (err error) { a, err = ParseAnswer(b); return err })
		if err != nil {
			return nil, err
		}
		if a.ErrorCode == CodeSessionExpired && attempt == 0 {
			c.mu.Lock()
			if c.session == session {
				c.session = ""
			}
			c.mu.Unlock()
			continue
		}
		if a.ErrorCode != CodeOK {
			return nil, &PortalError{Service: service, Code: a.ErrorCode, Message: a.Message, Permanent: permanentCodes[a.ErrorCode]}
		}
		return a.Data, nil
	}
}

// SyncDossier sends the dossier's DongBoHoSoMC record, as a create
// (isUpdating False) or an update (True). It is idempotent: a create the
// portal already holds (a redelivery after a crash) is sent again as an
// update, and an update of a record the portal does not hold (its create
// was lost) as a create; either way the portal ends with this record.
func (c *Client) SyncDossier(ctx context.Context, d *motcua.PortalDossier, update bool) error {
	rec := []HoSo{RecordOf(d)}
	if rec[0].TrangThaiHoSo == 0 {
		return &PortalError{Service: ServiceSyncDossier, Code: -1, Message: fmt.Sprintf("state %q has no national status", d.State), Permanent: true}
	}
	_, err := c.call(ctx, ServiceSyncDossier, updating(update), rec)
	var pe *PortalError
	if errors.As(err, &pe) && ((!update && pe.Code == CodeRecordExists) || (update && pe.Code == CodeRecordUnknown)) {
		_, err = c.call(ctx, ServiceSyncDossier, updating(!update), rec)
	}
	return err
}

func updating(b bool) string {
	if b {
		return isUpdatingTrue
	}
	return isUpdatingFalse
}

// SyncProgress sends one CapNhatTienDoHoSoMC row. The portal keeps a row it
// already holds once (a redelivery is answered with success).
func (c *Client) SyncProgress(ctx context.Context, p *motcua.PortalProgress) error {
	row := []TienDo{RowOf(p)}
	if row[0].TrangThai == 0 {
		return &PortalError{Service: ServiceSyncProgress, Code: -1, Message: fmt.Sprintf("state %q has no national status", p.State), Permanent: true}
	}
	_, err := c.call(ctx, ServiceSyncProgress, "", row)
	return err
}

// DossierOnPortal is what TraCuuHoSo answers: the record the portal holds
// of a dossier and its progress rows in the order it keeps them.
type DossierOnPortal struct {
	HoSo   HoSo     `json:"HoSo"`
	TienDo []TienDo `json:"TienDo"`
}

// LookupDossier asks the portal what it holds of a dossier (TraCuuHoSo),
// by MaHoSo (the national code of a forwarded dossier, motcua's code
// otherwise); ENOTFOUND when the portal holds nothing.
func (c *Client) LookupDossier(ctx context.Context, code string) (*DossierOnPortal, error) {
	var d DossierOnPortal
	err := c.query(ctx, ServiceLookupDossier, TraCuu{MaHoSo: code}, &d)
	var pe *PortalError
	if errors.As(err, &pe) && pe.Code == CodeRecordUnknown {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "portal_dossier_not_found", "Cổng Dịch vụ công quốc gia chưa có hồ sơ %s.", code)
	} else if err != nil {
		return nil, err
	}
	return &d, nil
}

// NationalProcedures returns the national list (LayDanhSachTTHC). Lines
// without a procedure code are left out: LayThuTuc cannot fetch them, and a
// procedure is matched by its code.
func (c *Client) NationalProcedures(ctx context.Context) ([]motcua.NationalProcedureRef, error) {
	var list []ThuTucTomTat
	if err := c.query(ctx, ServiceProcedureList, struct{}{}, &list); err != nil {
		return nil, err
	}
	out := make([]motcua.NationalProcedureRef, 0, len(list))
	for i := range list {
		if r := RefOf(&list[i]); r.Code != "" {
			out = append(out, r)
		}
	}
	return out, nil
}

// NationalProcedure returns one procedure (LayThuTuc); ENOTFOUND when the
// national database does not know the code.
func (c *Client) NationalProcedure(ctx context.Context, code string) (*motcua.NationalProcedure, error) {
	var t ThuTuc
	err := c.query(ctx, ServiceProcedure, TraCuu{MaTTHC: code}, &t)
	var pe *PortalError
	if errors.As(err, &pe) && pe.Code == CodeNotFound {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "national_procedure_not_found", "Cơ sở dữ liệu quốc gia không có thủ tục mã %s.", code)
	} else if err != nil {
		return nil, err
	}
	if str(t.MaTTHC) != code {
		return nil, broken(ServiceProcedure, "asked for %q, answered %q", code, str(t.MaTTHC))
	}
	return ProcedureOf(&t), nil
}

// NationalAgencies returns the national list of agencies
// (LayDanhMucCoQuan).
func (c *Client) NationalAgencies(ctx context.Context) ([]motcua.NationalAgency, error) {
	var list []CoQuan
	if err := c.query(ctx, ServiceAgencies, struct{}{}, &list); err != nil {
		return nil, err
	}
	out := make([]motcua.NationalAgency, 0, len(list))
	for _, a := range list {
		out = append(out, motcua.NationalAgency{Code: a.MaCoQuan, Name: a.TenCoQuan, ParentCode: str(a.MaCoQuanCha)})
	}
	return out, nil
}

// NationalFields returns the national list of fields (LayDanhMucLinhVuc).
func (c *Client) NationalFields(ctx context.Context) ([]motcua.NationalField, error) {
	var list []LinhVuc
	if err := c.query(ctx, ServiceFields, struct{}{}, &list); err != nil {
		return nil, err
	}
	out := make([]motcua.NationalField, 0, len(list))
	for _, f := range list {
		out = append(out, motcua.NationalField{Code: f.MaLinhVuc, Name: f.TenLinhVuc})
	}
	return out, nil
}

func (c *Client) query(ctx context.Context, service string, q, out any) error {
	data, err := c.call(ctx, service, "", q)
	if err != nil {
		return err
	}
	if err := DecodeAnswerData(data, out); err != nil {
		return broken(service, "%v", err)
	}
	return nil
}

// DecodeAnswerData decodes the data of an answer strictly: unknown fields
// and trailing data are errors, so that a changed protocol is noticed
// rather than half read.
func DecodeAnswerData(data json.RawMessage, out any) error {
	if len(data) == 0 {
		return errors.New("answer without data")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(out); err != nil {
		return fmt.Errorf("malformed data: %w", err)
	}
	if dec.More() {
		return errors.New("malformed data: trailing content")
	}
	return nil
}
