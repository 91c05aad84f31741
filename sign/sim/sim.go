// Package sim is a time-stamping authority (RFC 3161 over HTTP) for the
// demo and the tests: it answers timestamp queries with tokens signed by
// its own certificate, counting its serial numbers in memory.
package sim

import (
	"io"
	"math/big"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua/sign"
)

// TSA serves timestamp queries at any path.
type TSA struct {
	signer *sign.Signer
	serial atomic.Int64
	// Now is the authority's clock; nil means time.Now.
	Now func() time.Time
	// Down, when set, makes it answer 503 (an outage, for tests).
	Down atomic.Bool
	// Served counts the tokens issued.
	Served atomic.Int64
	// CRLPath, when set, is the file of the CA's revocation list served
	// at GET /crl (read at each request, so that a revocation shows at
	// once).
	CRLPath string
}

// New returns a TSA signing with signer, whose certificate must be for
// time stamping.
func New(signer *sign.Signer) *TSA { return &TSA{signer: signer} }

// ServeHTTP answers a POST of application/timestamp-query with an
// application/timestamp-reply.
func (t *TSA) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	query, reply := sign.TimestampMediaTypes()
	if t.Down.Load() {
		http.Error(w, "down", http.StatusServiceUnavailable)
		return
	}
	if r.Method == http.MethodGet && r.URL.Path == "/crl" && t.CRLPath != "" {
		b, err := os.ReadFile(t.CRLPath)
		if err != nil {
			http.Error(w, "no revocation list", http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "application/pkix-crl")
		w.Write(b)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != query {
		http.Error(w, "POST "+query+" expected", http.StatusBadRequest)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 8<<10))
	if err != nil {
		http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
		return
	}
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	out := sign.IssueTimestamp(t.signer, body, big.NewInt(t.serial.Add(1)), now)
	t.Served.Add(1)
	w.Header().Set("Content-Type", reply)
	w.Write(out)
}
