package blob

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua"
)

// faultyS3 answers the bucket check, then every other request with status
// and an S3 error document of code: a storage failing in a known way, to
// check how the adapter classifies what the client library reports.
func faultyS3(t *testing.T, status int, code string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Trim(r.URL.Path, "/") == "docs" { // the bucket: it exists
			if r.URL.Query().Has("location") {
				fmt.Fprint(w, `<?xml version="1.0" encoding="UTF-8"?><LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">us-east-1</LocationConstraint>`)
			}
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(status)
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>%s</Code><Message>fault</Message><Resource>%s</Resource><RequestId>1</RequestId></Error>`, code, r.URL.Path)
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func openAt(t *testing.T, endpoint string) *S3 {
	t.Helper()
	u, _ := url.Parse("s3://docs?endpoint=" + endpoint)
	c, err := parseS3(u)
	if err != nil {
		t.Fatal(err)
	}
	c.accessKey, c.secretKey = "k", "s"
	s, err := OpenS3(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestS3FaultsClassified: a storage that is overloaded, failing or gone
// is EUNAVAILABLE (the person is told to retry: 503 with Retry-After),
// within seconds (bounded retries); a refusal that retrying cannot cure
// (wrong keys) is not.
func TestS3FaultsClassified(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		status int
		code   string
		want   string
	}{
		{503, "SlowDown", motcua.EUNAVAILABLE},
		{500, "InternalError", motcua.EUNAVAILABLE},
		{507, "XMinioStorageFull", motcua.EUNAVAILABLE},
		{403, "AccessDenied", motcua.EINTERNAL},
		{403, "SignatureDoesNotMatch", motcua.EINTERNAL},
	} {
		srv, calls := faultyS3(t, c.status, c.code)
		s := openAt(t, srv.URL)
		start := time.Now()
		err := s.Put(ctx, "a/b.pdf", strings.NewReader("%PDF-1.7"))
		if got := motcua.ErrorCode(err); got != c.want {
			t.Errorf("%d %s: put answered %s (%v), want %s", c.status, c.code, got, err, c.want)
		}
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%d %s: put took %v (retries unbounded?)", c.status, c.code, el)
		}
		if _, err := s.Get(ctx, "a/b.pdf"); motcua.ErrorCode(err) != c.want {
			t.Errorf("%d %s: get answered %v, want %s", c.status, c.code, err, c.want)
		}
		if n := calls.Load(); c.want == motcua.EUNAVAILABLE && n > 2*(s3Retries+1) {
			t.Errorf("%d %s: %d requests for two operations", c.status, c.code, n)
		}
	}

	// Gone: the server stops after the bucket check.
	srv, _ := faultyS3(t, 200, "")
	s := openAt(t, srv.URL)
	srv.Close()
	if _, err := s.Exists(ctx, "a/b.pdf"); motcua.ErrorCode(err) != motcua.EUNAVAILABLE {
		t.Errorf("unreachable storage: %v", err)
	}
}
