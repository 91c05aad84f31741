// Package webhook delivers outbox messages to an HTTP endpoint (the real
// adapter) and provides the matching receiver (the simulator the binary and
// the tests use). A message is POSTed as JSON with its ID in the
// Idempotency-Key header; any 2xx answer means accepted. Because a message
// may be delivered more than once (an instance can die between delivery
// and its record), receivers de-duplicate on that key, as Receiver does.
package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/motcua/motcua"
)

// Envelope is the body of a delivery.
type Envelope struct {
	ID        int64           `json:"id"`
	Topic     string          `json:"topic"`
	CreatedAt time.Time       `json:"created_at"`
	Payload   json.RawMessage `json:"payload"`
}

// Client delivers to one URL. It implements motcua.Deliverer.
type Client struct {
	url  string
	http *http.Client
}

// New returns a client posting to rawURL (http or https). A nil hc means a
// client with a 30 s timeout.
func New(rawURL string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("outbox URL %q: want http(s)://host/path", rawURL)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{url: rawURL, http: hc}, nil
}

// Deliver implements motcua.Deliverer.
func (c *Client) Deliver(ctx context.Context, m *motcua.OutboxMessage) error {
	payload := json.RawMessage(m.Payload)
	if !json.Valid(payload) {
		payload, _ = json.Marshal(string(m.Payload))
	}
	body, err := json.Marshal(Envelope{ID: m.ID, Topic: m.Topic, CreatedAt: m.CreatedAt, Payload: payload})
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", "motcua-outbox-"+strconv.FormatInt(m.ID, 10))
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("deliver message %d: %w", m.ID, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("deliver message %d: %s answered %s", m.ID, c.url, resp.Status)
	}
	return nil
}

// Receiver is an http.Handler that accepts deliveries and remembers each
// message once, counting repeats. Fail, if set, makes it answer 503 to the
// deliveries it returns true for (to exercise retries).
type Receiver struct {
	Fail func(e Envelope) bool

	mu       sync.Mutex
	received map[string]Envelope
	order    []string
	repeats  int
	attempts int
}

// ServeHTTP implements http.Handler.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if req.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	key := req.Header.Get("Idempotency-Key")
	var e Envelope
	if err := json.NewDecoder(io.LimitReader(req.Body, 1<<20)).Decode(&e); err != nil || key == "" {
		http.Error(w, "bad delivery", http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.attempts++
	if r.Fail != nil && r.Fail(e) {
		http.Error(w, "try later", http.StatusServiceUnavailable)
		return
	}
	if r.received == nil {
		r.received = map[string]Envelope{}
	}
	if _, dup := r.received[key]; dup {
		r.repeats++
	} else {
		r.received[key] = e
		r.order = append(r.order, key)
	}
	w.WriteHeader(http.StatusNoContent)
}

// Received returns the distinct messages accepted, in order of arrival.
func (r *Receiver) Received() []Envelope {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Envelope, 0, len(r.order))
	for _, k := range r.order {
		out = append(out, r.received[k])
	}
	return out
}

// Repeats returns how many accepted deliveries repeated an earlier one.
func (r *Receiver) Repeats() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.repeats
}

// Attempts returns how many deliveries arrived, accepted or not.
func (r *Receiver) Attempts() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.attempts
}
