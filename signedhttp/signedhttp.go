// Package signedhttp is the round trip the JSON links to the state's
// registers share (population database, national store): a POST whose body
// is signed with motcua.SignMessage, and an answer that must be 200, no
// larger than a cap, and signed the same way with a current timestamp. The
// adapters keep their own field names, header names and error types; only
// the transport lives here, once.
package signedhttp

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua"
)

// Headers names the three headers of a link: the integration account, the
// Unix-seconds timestamp and the signature.
type Headers struct {
	Client, Timestamp, Signature string
}

// Link is one register's endpoint and credentials.
type Link struct {
	HTTP        *http.Client
	BaseURL     string // without the trailing slash; the service name is appended
	Integration string // sent in Headers.Client
	Secret      []byte
	Headers     Headers
	MaxAnswer   int              // answers longer than this are refused
	Now         func() time.Time // the clock that signs and judges staleness
}

// Post sends body to BaseURL/service and returns the answer's body once it
// is 200, at most MaxAnswer bytes and correctly signed within
// motcua.MaxMessageSkew. Every failure is an error whose text says which
// step failed (transport, status, size, signature), for the adapter to wrap
// in its own error type; a failed answer is never returned.
func (l Link) Post(ctx context.Context, service string, body []byte) ([]byte, error) {
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, l.BaseURL+"/"+service, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("request: %v", err)
	}
	ts := strconv.FormatInt(l.Now().Unix(), 10)
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set(l.Headers.Client, l.Integration)
	hr.Header.Set(l.Headers.Timestamp, ts)
	hr.Header.Set(l.Headers.Signature, motcua.SignMessage(l.Secret, ts, body))
	resp, err := l.HTTP.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("transport: %v", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(l.MaxAnswer)+1))
	if err != nil {
		return nil, fmt.Errorf("read answer: %v", err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP status %d", resp.StatusCode)
	}
	if len(data) > l.MaxAnswer {
		return nil, fmt.Errorf("answer larger than %d bytes", l.MaxAnswer)
	}
	if !motcua.VerifyMessage(l.Secret, resp.Header.Get(l.Headers.Timestamp), data, resp.Header.Get(l.Headers.Signature), l.Now()) {
		return nil, fmt.Errorf("answer unsigned, wrongly signed or stale")
	}
	return data, nil
}
