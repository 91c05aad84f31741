package web_test

import (
	"net/http/httptest"
	"testing"

	"github.com/motcua/motcua"
	"github.com/motcua/motcua/web"
)

// TestClientIPBelievesOnlyTrustedProxies: X-Forwarded-For counts only
// from a trusted proxy, and then the rightmost address that is not a
// trusted proxy is the client — what the client itself wrote to the left
// is ignored, so nobody picks the address per-address limits count.
func TestClientIPBelievesOnlyTrustedProxies(t *testing.T) {
	srv, err := web.New(nil, web.Options{TrustedProxies: []string{"10.0.0.1", "172.16.0.0/12"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote string
		xff    []string
		want   string
	}{
		{"203.0.113.9:5000", []string{"198.51.100.1"}, "203.0.113.9"},                      // not a proxy: header ignored
		{"10.0.0.1:5000", nil, "10.0.0.1"},                                                 // proxy without header
		{"10.0.0.1:5000", []string{"198.51.100.1"}, "198.51.100.1"},                        // one proxy
		{"10.0.0.1:5000", []string{"1.2.3.4, 198.51.100.1"}, "198.51.100.1"},               // spoofed left entry ignored
		{"10.0.0.1:5000", []string{"1.2.3.4", "198.51.100.1, 172.20.1.1"}, "198.51.100.1"}, // two proxies, two headers
		{"172.31.255.254:1", []string{"evil, 198.51.100.2"}, "198.51.100.2"},               // garbage left of the client
		{"10.0.0.1:5000", []string{"198.51.100.1, not-an-ip"}, "10.0.0.1"},                 // malformed right: only the connection
		{"10.0.0.1:5000", []string{"::ffff:198.51.100.3"}, "198.51.100.3"},                 // mapped IPv4
		{"[2001:db8::1]:443", []string{"198.51.100.1"}, "2001:db8::1"},                     // IPv6 client, not a proxy
		{"10.0.0.1:5000", []string{"10.0.0.1, 172.16.0.5"}, "10.0.0.1"},                    // only proxies
	} {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = c.remote
		for _, h := range c.xff {
			r.Header.Add("X-Forwarded-For", h)
		}
		if got := srv.ClientIP(r); got != c.want {
			t.Errorf("from %s with %q: %q, want %q", c.remote, c.xff, got, c.want)
		}
	}
}

// TestUnavailableAnswers503WithRetryAfter: a storage failure is 503 with
// Retry-After, on the API's JSON as on pages; throttling is 429 with it.
func TestUnavailableAnswers503WithRetryAfter(t *testing.T) {
	for _, c := range []struct {
		err    error
		status int
		after  string
	}{
		{motcua.Errorf(motcua.EUNAVAILABLE, "storage_unavailable", "Tạm thời không sẵn sàng."), 503, "5"},
		{motcua.Errorf(motcua.ETOOMANY, "too_many_login_failures", "Quá nhiều lần."), 429, "60"},
		{motcua.Errorf(motcua.EINVALID, "x", "Sai."), 422, ""},
	} {
		w := httptest.NewRecorder()
		web.WriteError(w, httptest.NewRequest("GET", "/api/v1/inbox", nil), c.err)
		if w.Code != c.status || w.Header().Get("Retry-After") != c.after {
			t.Errorf("%v: %d, Retry-After %q", c.err, w.Code, w.Header().Get("Retry-After"))
		}
	}
}
