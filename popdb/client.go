package popdb

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/signedhttp"
)

// Config configures a Client. The secret is given as a value: reading it
// from a file (MOTCUA_POPDB_SECRET_FILE) is the caller's job.
type Config struct {
	BaseURL string // e.g. https://dancu.example/api; the service name is appended
	// Integration is motcua's code at the register (MaTichHop), sent in
	// every request and in the client header.
	Integration string
	Secret      []byte
	HTTP        *http.Client // nil: a client with Timeout
	// Timeout bounds one exchange when HTTP is nil (0: 5 s). The caller's
	// context usually bounds it more tightly.
	Timeout time.Duration
	Now     func() time.Time // nil: time.Now; for the signatures' timestamps
}

// Client implements motcua.PopulationRegister over HTTP. It is safe for
// concurrent use.
type Client struct {
	cfg  Config
	http *http.Client
}

var _ motcua.PopulationRegister = (*Client)(nil)

// NewClient returns a client for cfg.
func NewClient(cfg Config) *Client {
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hc := cfg.HTTP
	if hc == nil {
		t := cfg.Timeout
		if t <= 0 {
			t = 5 * time.Second
		}
		hc = &http.Client{Timeout: t}
	}
	return &Client{cfg: cfg, http: hc}
}

// LookUpCitizen implements motcua.PopulationRegister with
// TraCuuThongTinCongDan.
func (c *Client) LookUpCitizen(ctx context.Context, q motcua.PopulationQuery) (*motcua.Citizen, error) {
	a, err := c.call(ctx, ServiceLookUp, q)
	if err != nil {
		return nil, err
	}
	return Citizen(a.CongDan), nil
}

// Household implements motcua.PopulationRegister with
// CungCapThongTinHoGiaDinh.
func (c *Client) Household(ctx context.Context, q motcua.PopulationQuery) (*motcua.Household, error) {
	a, err := c.call(ctx, ServiceHousehold, q)
	if err != nil {
		return nil, err
	}
	return Household(a.HoGiaDinh), nil
}

// call signs and sends a request to service and checks the signed answer.
func (c *Client) call(ctx context.Context, service string, q motcua.PopulationQuery) (*TraLoi, error) {
	if q.RequestID == "" || len(q.RequestID) > 40 {
		return nil, failf(service, "request id missing or longer than 40 characters")
	}
	req := request(q, c.cfg.Integration)
	body, err := json.Marshal(req)
	if err != nil {
		return nil, failf(service, "encode: %v", err)
	}
	data, err := c.link().Post(ctx, service, body)
	if err != nil {
		return nil, failf(service, "%v", err)
	}
	return ParseAnswer(service, req, data)
}

// link is the signed transport of this client's calls.
func (c *Client) link() signedhttp.Link {
	return signedhttp.Link{HTTP: c.http, BaseURL: c.cfg.BaseURL, Integration: c.cfg.Integration, Secret: c.cfg.Secret,
		Headers:   signedhttp.Headers{Client: HeaderClient, Timestamp: HeaderTimestamp, Signature: HeaderSignature},
		MaxAnswer: MaxAnswer, Now: c.cfg.Now}
}
