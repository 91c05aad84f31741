// Package sms sends text messages through an SMS gateway's HTTP JSON API
// (the kind the carriers' brand-name SMS services offer): one POST per
// message with an API key, the message's own id for de-duplication, and
// answers read as accepted, refused for good (a bad number, a message the
// gateway will never take) or worth retrying (the gateway down, throttling).
// The gateway's answers are sized and parsed here; nothing of them goes
// further than an error text.
package sms

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/motcua/motcua"
)

// SendRequest is the body of POST {URL}/v1/messages.
type SendRequest struct {
	// ID is the client's id of the message: a second request with the
	// same id is answered as the first, not sent again.
	ID     string `json:"id"`
	To     string `json:"to"`
	Text   string `json:"text"`
	Sender string `json:"sender,omitempty"` // brand name
}

// SendResponse is the gateway's answer: 202 with Status "accepted" (or
// "duplicate" for an id seen before), or an error code and message with a
// 4xx/5xx status.
type SendResponse struct {
	ID      string `json:"id,omitempty"`
	Status  string `json:"status,omitempty"`
	Error   string `json:"error,omitempty"`
	Message string `json:"message,omitempty"`
}

// Error codes the gateway answers with.
const (
	ErrInvalidNumber = "invalid_number" // 400: the number is not a mobile number
	ErrInvalidText   = "invalid_text"   // 400: empty or too long
	ErrUnauthorized  = "unauthorized"   // 401: wrong or missing API key
	ErrThrottled     = "throttled"      // 429
	ErrUnavailable   = "unavailable"    // 503
)

// MaxText is the longest text the gateway takes, in characters.
const MaxText = 612

// APIKeyHeader carries the API key.
const APIKeyHeader = "X-API-Key"

// Config is how to reach the gateway.
type Config struct {
	URL    string // base URL, e.g. https://sms.example.vn/api
	APIKey string
	Sender string
	// HTTP sends the requests; nil means a client with a 10 s timeout.
	HTTP *http.Client
}

// Client sends text messages. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
}

// New checks cfg and returns a client.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("sms gateway URL %q: want http(s)://host/…", cfg.URL)
	}
	if cfg.APIKey == "" {
		return nil, errors.New("sms gateway: an API key is required")
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 10 * time.Second}
	}
	return &Client{cfg: cfg, endpoint: strings.TrimSuffix(cfg.URL, "/") + "/v1/messages"}, nil
}

// maxAnswer bounds what is read of an answer.
const maxAnswer = 64 << 10

// SendSMS implements motcua.SMSSender.
func (c *Client) SendSMS(ctx context.Context, m motcua.SMS) error {
	if n := utf8.RuneCountInString(m.Text); n == 0 || n > MaxText || !utf8.ValidString(m.Text) {
		return &motcua.SendError{Err: fmt.Errorf("sms text of %d characters", n), Permanent: true}
	}
	body, err := json.Marshal(SendRequest{ID: m.ID, To: m.To, Text: m.Text, Sender: c.cfg.Sender})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(APIKeyHeader, c.cfg.APIKey)
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return &motcua.SendError{Err: fmt.Errorf("sms gateway: %w", err)}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return &motcua.SendError{Err: fmt.Errorf("sms gateway answer: %w", err)}
	}
	return masked(Answer(resp.StatusCode, raw, m.ID), m.To)
}

// masked hides the number in err's text (a gateway may echo it), keeping
// whether the failure is permanent: the text is stored and shown to
// administrators.
func masked(err error, number string) error {
	var se *motcua.SendError
	if err == nil || number == "" || !errors.As(err, &se) || !strings.Contains(err.Error(), number) {
		return err
	}
	return &motcua.SendError{Err: errors.New(strings.ReplaceAll(err.Error(), number, motcua.MaskPhone(number))), Permanent: se.Permanent}
}

// Answer reads the gateway's answer to message id: nil when it was
// accepted (or was a duplicate of one accepted), else a *motcua.SendError
// that says whether to retry. It is exported for the fuzz test: it is the
// only place that reads the gateway's bytes.
func Answer(status int, raw []byte, id string) error {
	if len(raw) > maxAnswer {
		return &motcua.SendError{Err: fmt.Errorf("sms gateway: answer over %d bytes", maxAnswer)}
	}
	var a SendResponse
	jsonErr := json.Unmarshal(raw, &a)
	switch {
	case status == http.StatusAccepted || status == http.StatusOK:
		if jsonErr != nil {
			return &motcua.SendError{Err: fmt.Errorf("sms gateway: answer is not JSON: %w", jsonErr)}
		}
		if a.ID != id || (a.Status != "accepted" && a.Status != "duplicate") {
			return &motcua.SendError{Err: fmt.Errorf("sms gateway: unexpected answer (id %q, status %q)", clip(a.ID), clip(a.Status))}
		}
		return nil
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return &motcua.SendError{Err: fmt.Errorf("sms gateway refused the message: %s %s", clip(a.Error), clip(a.Message)), Permanent: true}
	default:
		// 401 (a key being changed), 429, 5xx: the message may go later.
		return &motcua.SendError{Err: fmt.Errorf("sms gateway: HTTP %d %s", status, clip(a.Error))}
	}
}

// clip bounds a gateway string for an error text.
func clip(s string) string {
	s = strings.ToValidUTF8(s, "?")
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}
