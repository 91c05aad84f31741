package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/motcua/motcua/demo"
)

// TestLoginNeverRedirectsOffSite signs in with return addresses a browser
// would follow to another site — once it drops tabs and newlines and reads
// backslashes as slashes — and checks that each lands on the staff's own
// desk instead; a path on this site is kept.
func TestLoginNeverRedirectsOffSite(t *testing.T) {
	e := newEnv(t)
	for _, next := range []string{
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "//evil.example", "/\\evil.example",
		"/\\/evil.example", "/ /evil.example", "https://evil.example/", "/\x00/evil.example", "\t//evil.example",
		"/\u00a0/evil.example", "/%09/evil.example\x7f", "evil.example", "",
	} {
		r := e.browser().post("/dang-nhap", url.Values{"username": {"cv.anphu"}, "password": {demo.Password}, "tiep": {next}})
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || loc != "/hop-thu" {
			t.Errorf("return address %q: %d to %q, want /hop-thu", next, r.status, loc)
		}
	}
	// The raw form of the probe: ?tiep=/%09/evil.example on the sign-in
	// page is not carried into its form.
	if r := e.browser().get("/dang-nhap?tiep=/%09/evil.example"); strings.Contains(r.body, "evil.example") {
		t.Error("the sign-in page carries the off-site return address")
	}
	for _, next := range []string{"/ho-so/H99.101-250310-0001", "/bao-cao/ho-so?cot=3&don-vi=0", "/thu-tuc?q=h%E1%BB%99+t%E1%BB%8Bch"} {
		r := e.browser().post("/dang-nhap", url.Values{"username": {"cv.anphu"}, "password": {demo.Password}, "tiep": {next}})
		if loc := r.header.Get("Location"); r.status != http.StatusSeeOther || loc != next {
			t.Errorf("return address %q: %d to %q", next, r.status, loc)
		}
	}
}

// TestContentSecurityPolicyAllowsNoPlugins: pages forbid plugins and
// embedded objects altogether (object-src 'none'), not just foreign ones.
func TestContentSecurityPolicyAllowsNoPlugins(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/", "/tra-cuu", "/dang-nhap"} {
		csp := e.browser().get(path).header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "object-src 'none'") || strings.Contains(csp, "object-src 'self'") {
			t.Errorf("%s: %s", path, csp)
		}
	}
}
