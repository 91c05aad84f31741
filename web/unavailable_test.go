package web_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// TestUnavailableThroughTheServer: a store that cannot write
// (EUNAVAILABLE) is answered 503 with Retry-After on the API, on pages
// that pass the status through web.Status, and on /readyz when the
// readiness check fails; the cause stays out of the answer.
func TestUnavailableThroughTheServer(t *testing.T) {
	storeErr := motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable", "Hệ thống tạm thời không ghi được dữ liệu.")
	var ready atomic.Bool
	ready.Store(true)
	srv, err := web.New(nil, web.Options{Ready: func(context.Context) error {
		if ready.Load() {
			return nil
		}
		return storeErr
	}})
	if err != nil {
		t.Fatal(err)
	}
	srv.HandleFunc("POST /api/v1/x", func(w http.ResponseWriter, r *http.Request) {
		web.WriteError(w, r, errorsJoin(storeErr, "database or disk is full (13)"))
	})
	srv.HandleFunc("POST /trang", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(web.Status(storeErr)) // as the pages do: status from the error, no header of their own
		io.WriteString(w, "<p>Hệ thống tạm thời không ghi được dữ liệu.</p>")
	})
	ts := httptest.NewServer(srv)
	defer ts.Close()
	do := func(method, path string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(method, ts.URL+path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}

	res, body := do("POST", "/api/v1/x")
	var eb web.ErrorBody
	json.Unmarshal([]byte(body), &eb)
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != web.RetryAfter || eb.Error != motcua.EUNAVAILABLE ||
		eb.Reason != "storage_unavailable" || strings.Contains(body, "disk is full") {
		t.Errorf("API: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	res, body = do("POST", "/trang")
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != web.RetryAfter {
		t.Errorf("page: %d Retry-After %q %s", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	res, _ = do("GET", "/readyz")
	if res.StatusCode != 200 || res.Header.Get("Retry-After") != "" {
		t.Errorf("readyz while writes work: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	ready.Store(false)
	res, _ = do("GET", "/readyz")
	if res.StatusCode != 503 || res.Header.Get("Retry-After") != web.RetryAfter {
		t.Errorf("readyz while writes fail: %d Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// Other errors keep their status and carry no Retry-After.
	if s := web.Status(motcua.Errorf(motcua.EINTERNAL, "x", "x")); s != 500 {
		t.Errorf("internal: %d", s)
	}
}

// errorsJoin wraps a domain error around a driver's text, as the store
// does, so that the answer must come from the domain error alone.
func errorsJoin(e *motcua.Error, cause string) error {
	return &wrapped{e, cause}
}

type wrapped struct {
	e     *motcua.Error
	cause string
}

func (w *wrapped) Error() string { return w.e.Error() + ": " + w.cause }
func (w *wrapped) Unwrap() error { return w.e }
