package web_test

import (
	"net/http/httptest"
	"net/netip"
	"testing"

	"github.com/motcua/motcua/web"
)

// FuzzClientIP: whatever X-Forwarded-For a client sends through the
// trusted proxy, the address is the connection's or a parsed address that
// is not the proxy itself (unless only proxies sent it), never text.
func FuzzClientIP(f *testing.F) {
	for _, s := range []string{"", "1.2.3.4", "1.2.3.4, 10.0.0.1", "evil, 5.6.7.8", "::ffff:1.2.3.4", "2001:db8::1, 10.0.0.2", ",,,", "1.2.3.4:80"} {
		f.Add(s)
	}
	srv, err := web.New(nil, web.Options{TrustedProxies: []string{"10.0.0.0/8"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, xff string) {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = "10.0.0.1:4000"
		r.Header.Set("X-Forwarded-For", xff)
		got := srv.ClientIP(r)
		a, err := netip.ParseAddr(got)
		if err != nil {
			t.Fatalf("X-Forwarded-For %q gave %q, not an address", xff, got)
		}
		if a.Is4In6() {
			t.Fatalf("X-Forwarded-For %q gave a mapped address %q", xff, got)
		}
	})
}
